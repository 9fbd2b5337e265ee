import { createHash } from 'node:crypto';
import type { SaveResult, UpsertResult } from 'jsforce';
import {
  fieldsToWrite,
  UnrecoverableVendorError,
  type ConnectorContext,
  type GetRequest,
  type PushRequest,
  type PushResult,
  type RemoteRecord,
} from '../sdk/index.ts';
import { salesforceErrorCode } from './salesforce-answer-error.ts';
import { salesforceRecord } from './salesforce-record.ts';
import { callSalesforce } from './salesforce-session.ts';
import type { SalesforceConfig, SalesforceCredentials } from './salesforce-settings.ts';
import { soqlString } from './soql-literals.ts';

type SalesforceContext = ConnectorContext<SalesforceConfig, SalesforceCredentials>;
type Row = Record<string, unknown>;

const ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const MARKER = /^[A-Za-z0-9_.:@-]{1,64}$/;
const GONE = new Set(['NOT_FOUND', 'ENTITY_IS_DELETED']);

/**
 * The value an idempotency key becomes in an external-id or marker field: the key itself when
 * it is short and plain, otherwise a digest of it (external-id fields are short text).
 */
export function markerValue(idempotencyKey: string): string {
  return MARKER.test(idempotencyKey) ? idempotencyKey : `h_${createHash('sha256').update(idempotencyKey, 'utf8').digest('base64url')}`;
}

/**
 * Creates, updates or deletes one record. Creates are idempotent: with `externalIdField` the
 * record is looked up by its external id (the mapped value, or the idempotency key) and, when
 * absent, upserted on it; with `idempotencyField` the key is stamped on the record and looked up
 * first; with neither, a retried create can duplicate. Updates read the record first and write
 * only the fields that differ, so a repeated update changes nothing. Salesforce's REST writes
 * take no version, so `expectedVersion` is not enforced. Deleting a record already gone succeeds.
 *
 * The result carries the record as written, read again after the write, unless the caller says
 * `readBack: false` (as sync does for mappings that never read Salesforce): then no read follows
 * the write and the result is the id alone. A create's idempotency lookup still runs.
 */
export async function pushSalesforce(ctx: SalesforceContext, request: PushRequest): Promise<PushResult> {
  const type = request.object;
  const { attributes: _attributes, ...data } = request.data ?? {};
  switch (request.op) {
    case 'create':
      return createRecord(ctx, type, data, request.idempotencyKey, wantsReadBack(request));
    case 'update':
      return updateRecord(ctx, type, checkedId(request.id!), data, wantsReadBack(request));
    case 'delete':
      return deleteRecord(ctx, type, checkedId(request.id!));
  }
}

/** One record by id, or null when Salesforce has none (or it is in the recycle bin). */
export async function getSalesforce(ctx: SalesforceContext, request: GetRequest): Promise<RemoteRecord | null> {
  const row = await rowWhere(ctx, request.object, 'Id', checkedId(request.id));
  return row === undefined ? null : salesforceRecord(row);
}

async function createRecord(ctx: SalesforceContext, type: string, data: Row, idempotencyKey: string, back: boolean): Promise<PushResult> {
  const { externalIdField, idempotencyField } = ctx.config;
  if (externalIdField !== undefined) {
    const given = data[externalIdField];
    const value = typeof given === 'string' && given !== '' ? given : markerValue(idempotencyKey);
    const existing = await rowWhere(ctx, type, externalIdField, value);
    if (existing !== undefined) return back ? resultOf(existing) : idOf(existing);
    const { [externalIdField]: _given, ...rest } = data;
    // jsforce joins the external id into the URL unencoded.
    const saved = await callSalesforce(ctx, (conn) => conn.sobject(type).upsert({ ...rest, [externalIdField]: encodeURIComponent(value) }, externalIdField));
    // An upsert that updated answers without the id before API 46.0: then only a read can tell it.
    const id = upsertedId(saved);
    return back || id === undefined ? resultOf(await mustFind(ctx, type, externalIdField, value)) : { id };
  }
  if (idempotencyField !== undefined) {
    const value = markerValue(idempotencyKey);
    const existing = await rowWhere(ctx, type, idempotencyField, value);
    if (existing !== undefined) return back ? resultOf(existing) : idOf(existing);
    const saved = await callSalesforce(ctx, (conn) => conn.sobject(type).create({ ...data, [idempotencyField]: value }));
    return written(ctx, type, savedId(saved, type), back);
  }
  const saved = await callSalesforce(ctx, (conn) => conn.sobject(type).create(data));
  return written(ctx, type, savedId(saved, type), back);
}

async function updateRecord(ctx: SalesforceContext, type: string, id: string, data: Row, back: boolean): Promise<PushResult> {
  const { Id: _id, ...fields } = data;
  const current = await rowWhere(ctx, type, 'Id', id);
  if (current === undefined) throw new UnrecoverableVendorError(404, '', { message: `update ${type}: Salesforce has no record ${id}; it was deleted` });
  const changed = fieldsToWrite(fields, current);
  if (changed.length === 0) return back ? resultOf(current) : { id };
  const patch: Row = { Id: id };
  for (const key of changed) patch[key] = fields[key];
  await callSalesforce(ctx, (conn) => conn.sobject(type).update(patch as { Id: string }));
  return written(ctx, type, id, back);
}

/** The record just written, read again when the caller wants it; otherwise its id alone. */
async function written(ctx: SalesforceContext, type: string, id: string, back: boolean): Promise<PushResult> {
  return back ? resultOf(await mustFind(ctx, type, 'Id', id)) : { id };
}

async function deleteRecord(ctx: SalesforceContext, type: string, id: string): Promise<PushResult> {
  try {
    await callSalesforce(ctx, (conn) => conn.sobject(type).destroy(id));
  } catch (err) {
    if (!GONE.has(salesforceErrorCode(err) ?? '')) throw err;
  }
  return { id };
}

async function rowWhere(ctx: SalesforceContext, type: string, field: string, value: string): Promise<Row | undefined> {
  const soql = `SELECT FIELDS(ALL) FROM ${type} WHERE ${field} = ${soqlString(value)} ORDER BY CreatedDate ASC LIMIT 1`;
  const result = await callSalesforce(ctx, async (conn) => await conn.query<Row>(soql));
  return result.records[0];
}

async function mustFind(ctx: SalesforceContext, type: string, field: string, value: string): Promise<Row> {
  const row = await rowWhere(ctx, type, field, value);
  if (row === undefined) throw new UnrecoverableVendorError(0, '', { message: `salesforce ${type}: the record just written cannot be read back (${field})` });
  return row;
}

function resultOf(row: Row): PushResult {
  const record = salesforceRecord(row);
  return { id: record.id, ...(record.version === undefined ? {} : { version: record.version }), data: record.data };
}

/** The id of a found record, as a result without the record. */
function idOf(row: Row): PushResult {
  return { id: salesforceRecord(row).id };
}

/** The id an upsert answered with; undefined when it answered 204 (an update before API 46.0). */
function upsertedId(saved: UpsertResult): string | undefined {
  return saved.success && typeof saved.id === 'string' && saved.id !== '' ? saved.id : undefined;
}

// Whether the caller wants the written record back; sync says no for mappings that never read Salesforce.
function wantsReadBack(request: PushRequest): boolean {
  return request.readBack !== false;
}

function savedId(saved: SaveResult, type: string): string {
  if (saved.success) return saved.id;
  throw new UnrecoverableVendorError(400, JSON.stringify(saved.errors).slice(0, 2000), { message: `create ${type}: Salesforce refused the record` });
}

function checkedId(id: string): string {
  if (!ID.test(id)) throw new UnrecoverableVendorError(0, '', { message: `salesforce: "${id.slice(0, 40)}" is not a Salesforce record id` });
  return id;
}
