import { effectiveOwner } from './effective-owner.ts';
import { parseFieldPath, pathReader, pathWriter } from './field-path.ts';
import type { PathSegment } from './field-path.ts';
import { hashMapped } from './hash-mapped.ts';
import { linkSnapshot, projectHub } from './link-snapshot.ts';
import type { LinkSnapshot } from './link-snapshot.ts';
import type { FieldOwner, MappingSpecInput } from './mapping-spec-schema.ts';
import { resolveField } from './resolve-field.ts';
import type { FieldResolution, Timestamp } from './resolve-field.ts';
import { sameValue } from './same-value.ts';

/** A remote change to merge into a linked hub record. */
export interface InboundMergeInput {
  /** The hub record as stored now; undefined when there is none yet. */
  current: Record<string, unknown> | undefined;
  /** The remote record mapped to hub terms: the `output` of `toHub`. */
  incoming: Record<string, unknown>;
  /** The link's snapshot from the last successful sync, if any. */
  snapshot?: LinkSnapshot;
  /** When each record last changed: the hub's `updatedAt`, the vendor's modified stamp. */
  timestamps?: { hub?: Timestamp; remote?: Timestamp };
}

/** The decision for one mapped field. */
export interface FieldDecision extends FieldResolution {
  field: number;
  hub: string;
  remote: string;
  owner: FieldOwner;
  hubValue: unknown;
  remoteValue: unknown;
}

/** The merge of one inbound change. */
export interface InboundMerge {
  /** One per field that had an incoming value. */
  decisions: FieldDecision[];
  /** The decisions a person must settle; their fields keep the hub value meanwhile. */
  conflicts: FieldDecision[];
  /** Hub path → value, for every field that takes the remote value. */
  patch: Record<string, unknown>;
  /** A copy of `current` with the patch applied. */
  record: Record<string, unknown>;
}

/**
 * Merges an inbound change field by field with `resolveField`. What changed since the last
 * sync comes from the snapshot: per field from its values, per record from its hash alone.
 * Fields absent from `incoming` (unmapped or failed) are left alone. Pure: `current` is copied.
 */
export function mergeInbound(spec: Pick<MappingSpecInput, 'direction' | 'fields'>, input: InboundMergeInput): InboundMerge {
  if (spec.direction === 'out') throw new TypeError('mergeInbound: an "out" mapping never receives inbound changes');
  const { current, incoming, snapshot, timestamps } = input;
  const recordLevel = recordChanges(spec, input);
  const decisions: FieldDecision[] = [];
  const patch: Record<string, unknown> = {};
  const writes: Array<{ segments: PathSegment[]; value: unknown }> = [];
  spec.fields.forEach((field, index) => {
    const parsed = parseFieldPath(field.hub, `fields[${index}].hub`);
    if (!parsed.ok) throw new TypeError(`mergeInbound: ${parsed.error.message}`);
    const read = pathReader(parsed.segments);
    const remoteValue = read(incoming);
    if (remoteValue === undefined) return;
    const hubValue = read(current);
    const owner = effectiveOwner(spec.direction, field);
    let { hubChanged, remoteChanged } = recordLevel;
    if (snapshot?.values !== undefined) {
      const base = snapshot.values[field.hub];
      hubChanged = !sameValue(hubValue, base);
      remoteChanged = !sameValue(remoteValue, base);
    }
    const resolution = resolveField({
      owner,
      hubValue,
      remoteValue,
      ...(hubChanged === undefined ? {} : { hubChanged }),
      ...(remoteChanged === undefined ? {} : { remoteChanged }),
      ...(timestamps?.hub === undefined ? {} : { hubUpdatedAt: timestamps.hub }),
      ...(timestamps?.remote === undefined ? {} : { remoteUpdatedAt: timestamps.remote }),
    });
    decisions.push({ field: index, hub: field.hub, remote: field.remote, owner, hubValue, remoteValue, ...resolution });
    if (resolution.action === 'take_remote') {
      patch[field.hub] = remoteValue;
      writes.push({ segments: parsed.segments, value: remoteValue });
    }
  });
  const record = current === undefined ? {} : structuredClone(current);
  for (const { segments, value } of writes) pathWriter(segments)(record, structuredClone(value));
  return { decisions, conflicts: decisions.filter((d) => d.action === 'conflict'), patch, record };
}

function recordChanges(
  spec: Pick<MappingSpecInput, 'fields'>,
  { current, incoming, snapshot }: InboundMergeInput,
): { hubChanged?: boolean; remoteChanged?: boolean } {
  if (snapshot?.hash === undefined || snapshot.values !== undefined) return {};
  return {
    hubChanged: linkSnapshot(spec, current).hash !== snapshot.hash,
    remoteChanged: hashMapped(projectHub(spec, incoming)) !== snapshot.hash,
  };
}
