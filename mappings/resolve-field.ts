import type { FieldOwner } from './mapping-spec-schema.ts';
import { sameValue } from './same-value.ts';

/** A point in time as the systems report it: ISO 8601 text, epoch milliseconds or a Date. */
export type Timestamp = string | number | Date;

/** What two-way sync knows about one field when a remote change arrives. */
export interface FieldResolutionInput {
  owner: FieldOwner;
  /** The hub record's current value. */
  hubValue: unknown;
  /** The incoming value, already mapped to hub terms. */
  remoteValue: unknown;
  /** Whether the hub side changed since the last sync; omit when unknown. */
  hubChanged?: boolean;
  /** Whether the remote side changed since the last sync; omit when unknown. */
  remoteChanged?: boolean;
  /** When each side last changed (record-level is fine). */
  hubUpdatedAt?: Timestamp;
  remoteUpdatedAt?: Timestamp;
}

/** Why a field resolved the way it did. */
export type ResolutionReason =
  | 'same'
  | 'hub_unset'
  | 'owner_hub'
  | 'owner_remote'
  | 'only_remote_changed'
  | 'only_hub_changed'
  | 'remote_newer'
  | 'hub_newer'
  | 'equal_timestamps'
  | 'missing_timestamps';

/** The decision for one field: take the remote value, keep the hub's, or ask a person. */
export interface FieldResolution {
  action: 'take_remote' | 'keep_hub' | 'conflict';
  reason: ResolutionReason;
}

/**
 * Decides one field of an inbound change, in this order:
 * 1. equal values (null and absent are equal) → keep_hub, nothing to do;
 * 2. the hub has never had a value (undefined) → take_remote, nothing can be lost;
 * 3. owner `hub` → keep_hub; owner `remote` → take_remote;
 * 4. owner `newest`: if only one side changed since the last sync, that side wins;
 *    otherwise (both changed, or no snapshot to tell) the later timestamp wins, and equal or
 *    missing timestamps make a conflict.
 */
export function resolveField(input: FieldResolutionInput): FieldResolution {
  const { owner, hubValue, remoteValue, hubChanged, remoteChanged } = input;
  if (sameValue(hubValue, remoteValue)) return { action: 'keep_hub', reason: 'same' };
  if (hubValue === undefined) return { action: 'take_remote', reason: 'hub_unset' };
  if (owner === 'hub') return { action: 'keep_hub', reason: 'owner_hub' };
  if (owner === 'remote') return { action: 'take_remote', reason: 'owner_remote' };
  // The values differ, so if one side still holds the last-synced value the other side moved.
  if (hubChanged === false) return { action: 'take_remote', reason: 'only_remote_changed' };
  if (remoteChanged === false) return { action: 'keep_hub', reason: 'only_hub_changed' };
  const hubAt = millis(input.hubUpdatedAt);
  const remoteAt = millis(input.remoteUpdatedAt);
  if (hubAt === undefined || remoteAt === undefined) return { action: 'conflict', reason: 'missing_timestamps' };
  if (hubAt === remoteAt) return { action: 'conflict', reason: 'equal_timestamps' };
  return remoteAt > hubAt ? { action: 'take_remote', reason: 'remote_newer' } : { action: 'keep_hub', reason: 'hub_newer' };
}

function millis(value: Timestamp | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
