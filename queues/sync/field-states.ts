import { effectiveOwner, hashMapped, type FieldOwner, type MappingSpec } from '../../mappings/index.ts';
import { readPath } from './field-paths.ts';

/** One mapped field's value in a mapped record, with its content hash. */
export interface FieldState {
  hub: string;
  remote: string;
  owner: FieldOwner;
  value: unknown;
  /** `absent` when the mapping left the field out. */
  hash: string;
}

/** Hash of a value as the link stores it; undefined (left out) is `absent`. */
export function valueHash(value: unknown): string {
  return value === undefined ? 'absent' : hashMapped(value === null ? null : value).slice(0, 32);
}

/** Each mapped field's value at its remote path in `remoteShaped` (an outbound mapping result, or a vendor record). */
export function fieldStates(spec: MappingSpec, remoteShaped: unknown): FieldState[] {
  return spec.fields.map((f) => {
    const value = readPath(remoteShaped, f.remote);
    return { hub: f.hub, remote: f.remote, owner: effectiveOwner(spec.direction, f), value, hash: valueHash(value) };
  });
}

/** The digest the link keeps beside its field hashes: what the remote holds, as one value. */
export function hashOfFieldHashes(hashes: ReadonlyArray<{ path: string; hash: string }>): string {
  return hashMapped([...hashes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))).slice(0, 32);
}
