import { effectiveOwner } from './effective-owner.ts';
import type { FieldMapping, MappingSpecInput } from './mapping-spec-schema.ts';
import { sameValue } from './same-value.ts';

/** A field identified the way diffs identify it: by its hub/remote path pair. */
export interface FieldRef {
  hub: string;
  remote: string;
}

/** The field settings whose change alters what a field maps to. */
export type FieldSetting = 'toRemote' | 'toHub' | 'valueMap' | 'default' | 'required' | 'owner';

/** The spec-level settings a diff reports. */
export type SpecSetting = 'connectionId' | 'name' | 'hubObject' | 'remoteObject' | 'direction' | 'match' | 'filter' | 'deletePolicy';

/** What changed between two versions of a spec, and what needs resyncing because of it. */
export interface SpecDiff {
  added: FieldRef[];
  removed: FieldRef[];
  changed: Array<FieldRef & { settings: FieldSetting[] }>;
  specChanges: SpecSetting[];
  /** Hub paths whose mapped values may differ now; a targeted resync covers these fields. */
  affectedHubFields: string[];
  /** True when the change can alter every record (objects, direction, match or filter changed). */
  resyncAll: boolean;
}

const FIELD_SETTINGS: readonly FieldSetting[] = ['toRemote', 'toHub', 'valueMap', 'default', 'required', 'owner'];
const SPEC_SETTINGS: readonly SpecSetting[] = ['connectionId', 'name', 'hubObject', 'remoteObject', 'direction', 'match', 'filter', 'deletePolicy'];
// Renaming a spec or changing what a hub delete does leaves every mapped value as it was.
const COSMETIC: ReadonlySet<SpecSetting> = new Set(['name', 'deletePolicy']);

/**
 * Lists added, removed and changed fields between two spec versions (fields are matched by
 * hub/remote path pair, so moving a field within the list is not a change) and the hub fields
 * a resync must cover.
 */
export function diffSpecs(a: MappingSpecInput, b: MappingSpecInput): SpecDiff {
  const key = (f: FieldRef): string => JSON.stringify([f.hub, f.remote]);
  const before = new Map(a.fields.map((f) => [key(f), f]));
  const after = new Map(b.fields.map((f) => [key(f), f]));
  const added: FieldRef[] = [];
  const removed: FieldRef[] = [];
  const changed: SpecDiff['changed'] = [];
  for (const [k, field] of after) {
    const old = before.get(k);
    if (old === undefined) {
      added.push(ref(field));
      continue;
    }
    const settings = FIELD_SETTINGS.filter((s) => !sameSetting(setting(a, old, s), setting(b, field, s)));
    if (settings.length > 0) changed.push({ ...ref(field), settings });
  }
  for (const [k, field] of before) if (!after.has(k)) removed.push(ref(field));

  const specChanges = SPEC_SETTINGS.filter((s) => !sameSetting(a[s] ?? defaultOf(s), b[s] ?? defaultOf(s)));
  const affected = new Set([...added, ...removed, ...changed].map((f) => f.hub));
  return {
    added,
    removed,
    changed,
    specChanges,
    affectedHubFields: [...affected].sort(),
    resyncAll: specChanges.some((s) => !COSMETIC.has(s)),
  };
}

// Compares what applies, so writing out a default (required: false, the default owner) is no change.
function setting(spec: MappingSpecInput, field: FieldMapping, name: FieldSetting): unknown {
  if (name === 'required') return field.required ?? false;
  if (name === 'owner') return effectiveOwner(spec.direction, field);
  return field[name];
}

function ref(field: FieldMapping | FieldRef): FieldRef {
  return { hub: field.hub, remote: field.remote };
}

function defaultOf(setting: SpecSetting): unknown {
  return setting === 'deletePolicy' ? 'ignore' : undefined;
}

// Unlike sync values, an explicit null in a spec differs from an absent setting.
function sameSetting(x: unknown, y: unknown): boolean {
  if (x === undefined || y === undefined || x === null || y === null) return x === y;
  return sameValue(x, y);
}
