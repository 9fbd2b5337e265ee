import { UnrecoverableVendorError, type RemoteRecord } from '../sdk/index.ts';
import type { QuickBooksEntity } from './quickbooks-objects.ts';

/** An Intuit time (`2025-04-01T02:15:30-07:00`, or with milliseconds) in epoch ms, or undefined. */
export function intuitTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A RemoteRecord with its update time in ms, for ordering and dedupe. */
export interface TimedRecord {
  record: RemoteRecord;
  at: number;
  /** `Id:SyncToken` (or `Id:deleted`): the same key means the same state. */
  key: string;
}

/**
 * An entity as node-quickbooks returns it, as a RemoteRecord: version is the SyncToken,
 * `updatedAt` MetaData.LastUpdatedTime in UTC. CDC's `status: "Deleted"` stubs, and customers
 * made inactive (QuickBooks' only way to delete one), are deletions.
 */
export function quickbooksRecord(entity: Record<string, unknown>, name: QuickBooksEntity): TimedRecord {
  const id = typeof entity.Id === 'string' || typeof entity.Id === 'number' ? String(entity.Id) : '';
  if (id === '') throw new UnrecoverableVendorError(0, '', { message: `quickbooks ${name}: an entity came back without an Id` });
  const meta = entity.MetaData as { LastUpdatedTime?: unknown } | undefined;
  const at = intuitTime(meta?.LastUpdatedTime);
  const version = typeof entity.SyncToken === 'string' || typeof entity.SyncToken === 'number' ? String(entity.SyncToken) : undefined;
  const deleted = entity.status === 'Deleted' || (name === 'Customer' && entity.Active === false);
  return {
    record: {
      id,
      ...(version === undefined ? {} : { version }),
      ...(at === undefined ? {} : { updatedAt: new Date(at).toISOString() }),
      ...(deleted ? { deleted: true } : {}),
      data: entity,
    },
    at: at ?? 0,
    key: `${id}:${entity.status === 'Deleted' ? 'deleted' : (version ?? '')}`,
  };
}

/** Oldest first; ids (numeric in QuickBooks) break ties. */
export function byTimeThenId(a: TimedRecord, b: TimedRecord): number {
  if (a.at !== b.at) return a.at - b.at;
  const [x, y] = [Number(a.record.id), Number(b.record.id)];
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0;
}
