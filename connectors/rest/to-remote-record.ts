import { UnrecoverableVendorError, type RemoteRecord } from '../sdk/index.ts';
import { readPath, showPath } from './read-path.ts';
import type { RestObject } from './rest-config-schema.ts';

/** A vendor timestamp (ISO with any offset, epoch s or ms, OData v2 `/Date(ms)/`) as ISO 8601 UTC. */
export function toIsoInstant(value: unknown): string | undefined {
  let ms = Number.NaN;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value < 1e12 ? value * 1000 : value;
  else if (typeof value === 'string') {
    const odata = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(value);
    if (odata) ms = Number(odata[1]);
    else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) ms = Date.parse(`${value.replace(' ', 'T')}Z`); // no zone: UTC
    else ms = Date.parse(value);
  }
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : undefined;
}

/** One list or record answer item as a RemoteRecord. */
export function toRemoteRecord(item: unknown, object: RestObject, objectName: string, status: number): RemoteRecord {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new UnrecoverableVendorError(status, JSON.stringify(item)?.slice(0, 200) ?? '', { message: `rest ${objectName}: expected records to be objects` });
  }
  const data = item as Record<string, unknown>;
  const rawId = readPath(data, object.idField);
  if (!(typeof rawId === 'string' && rawId !== '') && !(typeof rawId === 'number' && Number.isFinite(rawId))) {
    throw new UnrecoverableVendorError(status, '', { message: `rest ${objectName}: a record has no id at ${showPath(object.idField)}` });
  }
  const updatedRaw = object.updatedField === undefined ? undefined : readPath(data, object.updatedField);
  const updatedAt = toIsoInstant(updatedRaw);
  const versionRaw = object.versionField === undefined ? updatedRaw : readPath(data, object.versionField);
  const deleted = object.deletedField === undefined ? false : Boolean(readPath(data, object.deletedField));
  return {
    id: String(rawId),
    ...(versionRaw === undefined || versionRaw === null ? {} : { version: String(versionRaw) }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
    ...(deleted ? { deleted: true } : {}),
    data,
  };
}
