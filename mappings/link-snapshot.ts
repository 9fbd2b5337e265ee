import { parseFieldPath, pathReader } from './field-path.ts';
import { hashMapped } from './hash-mapped.ts';
import type { MappingSpecInput } from './mapping-spec-schema.ts';

/**
 * What the hub and the remote agreed on after the last successful sync of a linked pair, in hub
 * terms: the value of every mapped hub path (`values`), and its hash. Store it on the link after
 * each write in either direction. With `values`, merges decide field by field; with only the
 * hash, they know per record whether each side changed.
 */
export interface LinkSnapshot {
  values?: Readonly<Record<string, unknown>>;
  hash?: string;
}

/** Builds the snapshot of a hub record for a spec's mapped hub paths. */
export function linkSnapshot(spec: Pick<MappingSpecInput, 'fields'>, hubRecord: unknown): Required<LinkSnapshot> {
  const values = projectHub(spec, hubRecord);
  return { values, hash: hashMapped(values) };
}

/** The values of a spec's mapped hub paths in a hub-shaped record, keyed by path; absent paths are left out. */
export function projectHub(spec: Pick<MappingSpecInput, 'fields'>, hubRecord: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const parsed = parseFieldPath(field.hub, '');
    if (!parsed.ok) continue;
    const value = pathReader(parsed.segments)(hubRecord);
    if (value !== undefined) values[field.hub] = value;
  }
  return values;
}
