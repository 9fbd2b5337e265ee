import { UnrecoverableVendorError, type RemoteRecord } from '../sdk/index.ts';
import { salesforceTime } from './salesforce-time.ts';

/**
 * A row as jsforce returns it, as a RemoteRecord: the version is SystemModstamp (ISO 8601 UTC),
 * `updatedAt` the user-visible LastModifiedDate, and a recycle-bin row a deletion.
 */
export function salesforceRecord(row: Record<string, unknown>): RemoteRecord {
  const id = row.Id;
  if (typeof id !== 'string' || id === '') throw new UnrecoverableVendorError(0, '', { message: 'salesforce: a record came back without an Id' });
  const stamp = salesforceTime(row.SystemModstamp);
  const modified = salesforceTime(row.LastModifiedDate) ?? stamp;
  return {
    id,
    ...(stamp === undefined ? {} : { version: new Date(stamp).toISOString() }),
    ...(modified === undefined ? {} : { updatedAt: new Date(modified).toISOString() }),
    ...(row.IsDeleted === true ? { deleted: true } : {}),
    data: row,
  };
}
