import { createHash } from 'node:crypto';
import {
  fieldsToWrite,
  holds,
  UnrecoverableVendorError,
  type ConnectorContext,
  type GetRequest,
  type PushRequest,
  type PushResult,
  type RemoteRecord,
} from '../sdk/index.ts';
import { callQuickBooks, type QuickBooksClient } from './call-quickbooks.ts';
import { intuitErrorCode } from './intuit-fault.ts';
import type { QuickBooksEntity } from './quickbooks-objects.ts';
import { quickbooksRecord } from './quickbooks-record.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';
import { VersionConflictVendorError } from './version-conflict-vendor-error.ts';

type QuickBooksContext = ConnectorContext<QuickBooksConfig, QuickBooksCredentials>;
type Entity = Record<string, unknown>;
type Done = (err: unknown, data?: unknown) => void;
type Call = (client: QuickBooksClient, entity: Entity, done: Done) => void;

interface EntityCalls {
  create: Call;
  read: (client: QuickBooksClient, id: string, done: Done) => void;
  update: Call;
  remove?: Call;
  void?: Call;
}

// node-quickbooks types its entities narrowly; the connector passes what the mapping produced.
const CALLS: Record<QuickBooksEntity, EntityCalls> = {
  Invoice: {
    create: (c, e, done) => c.createInvoice(e as never, done),
    read: (c, id, done) => c.getInvoice(id, done),
    update: (c, e, done) => c.updateInvoice(e as never, done),
    remove: (c, e, done) => c.deleteInvoice(e as never, done),
    void: (c, e, done) => c.voidInvoice(e as never, done),
  },
  Payment: {
    create: (c, e, done) => c.createPayment(e as never, done),
    read: (c, id, done) => c.getPayment(id, done),
    update: (c, e, done) => c.updatePayment(e as never, done),
    remove: (c, e, done) => c.deletePayment(e as never, done),
    void: (c, e, done) => c.voidPayment(e as never, done),
  },
  Customer: {
    create: (c, e, done) => c.createCustomer(e as never, done),
    read: (c, id, done) => c.getCustomer(id, done),
    update: (c, e, done) => c.updateCustomer(e as never, done),
  },
};

/** Fields QuickBooks sets itself; a write sends the current SyncToken instead. */
const SYSTEM = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status', 'requestId']);
const STALE = '5010';
const NOT_FOUND = '610';

/**
 * Intuit's `requestid` for a write: the idempotency key itself for a create when it fits, so a
 * replayed create returns the original entity; otherwise a digest. Other writes add the
 * operation and attempt, so they never replay the create's answer.
 */
export function requestIdFor(parts: readonly string[]): string {
  const joined = parts.join(':');
  return /^[A-Za-z0-9_.:-]{1,50}$/.test(joined) ? joined : createHash('sha256').update(joined, 'utf8').digest('hex').slice(0, 40);
}

/**
 * Creates, updates or deletes one Invoice, Payment or Customer.
 * - create sends the idempotency key as `requestid`: a replay returns the first answer.
 * - update reads the entity, writes nothing when it already holds the data, and otherwise sends
 *   a sparse update with the SyncToken it read. `expectedVersion`, when given, makes the write
 *   conditional: a different SyncToken is a VersionConflictVendorError. A stale SyncToken met on
 *   the write (5010) re-reads and retries once when the fields being written did not change
 *   remotely in between, and is a VersionConflictVendorError otherwise.
 * - delete voids invoices and payments (or deletes them, per `deleteMode`) and makes customers
 *   inactive; deleting what is already gone succeeds.
 */
export async function pushQuickBooks(ctx: QuickBooksContext, request: PushRequest): Promise<PushResult> {
  const name = request.object as QuickBooksEntity;
  const data = writable(request.data ?? {});
  switch (request.op) {
    case 'create': {
      if (request.data?.Id !== undefined) throw new UnrecoverableVendorError(0, '', { message: `create ${name}: a new entity cannot carry an Id` });
      const created = await callQuickBooks<Entity>(ctx, `create ${name}`, (c, done) => CALLS[name].create(c, { ...data, requestId: requestIdFor([request.idempotencyKey]) }, done));
      return resultOf(created, name);
    }
    case 'update':
      return update(ctx, name, request.id!, data, request);
    case 'delete':
      return name === 'Customer' ? update(ctx, name, request.id!, { Active: false }, { ...request, expectedVersion: undefined }) : remove(ctx, name, request.id!, request.idempotencyKey);
  }
}

/** One entity by id, or null when QuickBooks has none (deleted ones included). */
export async function getQuickBooks(ctx: QuickBooksContext, request: GetRequest): Promise<RemoteRecord | null> {
  const entity = await read(ctx, request.object as QuickBooksEntity, request.id);
  return entity === undefined ? null : quickbooksRecord(entity, request.object as QuickBooksEntity).record;
}

/** The entity as a write compares with it: without the sub-total line QuickBooks adds to every invoice. */
function comparable(entity: Entity): Entity {
  if (!Array.isArray(entity.Line)) return entity;
  return { ...entity, Line: entity.Line.filter((line) => (line as { DetailType?: unknown } | null)?.DetailType !== 'SubTotalLineDetail') };
}

async function update(ctx: QuickBooksContext, name: QuickBooksEntity, id: string, data: Entity, request: Pick<PushRequest, 'idempotencyKey' | 'expectedVersion'>): Promise<PushResult> {
  const base = await mustRead(ctx, name, id);
  const differing = fieldsToWrite(data, comparable(base));
  if (differing.length === 0) return resultOf(base, name);
  if (request.expectedVersion !== undefined && String(base.SyncToken) !== request.expectedVersion) {
    throw new VersionConflictVendorError({ object: name, id, expectedVersion: request.expectedVersion, currentVersion: String(base.SyncToken), fields: differing, remote: base, status: 0 });
  }
  let current = base;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const entity = { ...data, Id: id, SyncToken: current.SyncToken, sparse: true, requestId: requestIdFor(['update', request.idempotencyKey, String(attempt)]) };
      return resultOf(await callQuickBooks<Entity>(ctx, `update ${name}`, (c, done) => CALLS[name].update(c, entity, done)), name);
    } catch (err) {
      if (intuitErrorCode(err) !== STALE) throw err;
      const latest = await mustRead(ctx, name, id);
      if (fieldsToWrite(data, comparable(latest)).length === 0) return resultOf(latest, name);
      // Someone saved the entity between our read and our write. Only their changes to other fields are safe to keep.
      const [before, after] = [comparable(current), comparable(latest)];
      const moved = Object.keys(data).filter((key) => !holds(after[key], before[key]));
      if (attempt > 0 || moved.length > 0) {
        throw new VersionConflictVendorError({ object: name, id, expectedVersion: String(current.SyncToken), currentVersion: String(latest.SyncToken), fields: moved, remote: latest });
      }
      current = latest;
    }
  }
}

async function remove(ctx: QuickBooksContext, name: QuickBooksEntity, id: string, idempotencyKey: string): Promise<PushResult> {
  const calls = CALLS[name];
  const voiding = ctx.config.deleteMode === 'void';
  for (let attempt = 0; ; attempt += 1) {
    const current = await read(ctx, name, id);
    if (current === undefined) return { id };
    if (voiding && isVoided(current)) return resultOf(current, name);
    const entity = { Id: id, SyncToken: current.SyncToken, requestId: requestIdFor([voiding ? 'void' : 'delete', idempotencyKey, String(attempt)]) };
    try {
      const answer = await callQuickBooks<Entity>(ctx, `${voiding ? 'void' : 'delete'} ${name}`, (c, done) => (voiding ? calls.void! : calls.remove!)(c, entity, done));
      if (!voiding) return { id };
      // voidInvoice answers `{ Invoice, time }`; voidPayment unwraps the entity itself.
      return resultOf((answer[name] as Entity | undefined) ?? answer, name);
    } catch (err) {
      const code = intuitErrorCode(err);
      if (code === NOT_FOUND) return { id };
      if (code !== STALE || attempt > 0) throw err;
    }
  }
}

// QuickBooks zeroes a voided transaction and notes it.
function isVoided(entity: Entity): boolean {
  return entity.TotalAmt === 0 && typeof entity.PrivateNote === 'string' && entity.PrivateNote.startsWith('Voided');
}

async function read(ctx: QuickBooksContext, name: QuickBooksEntity, id: string): Promise<Entity | undefined> {
  if (!/^\d{1,20}$/.test(id)) throw new UnrecoverableVendorError(0, '', { message: `quickbooks: "${id.slice(0, 40)}" is not a QuickBooks ${name} id` });
  try {
    return await callQuickBooks<Entity>(ctx, `read ${name}`, (c, done) => CALLS[name].read(c, id, done));
  } catch (err) {
    if (intuitErrorCode(err) === NOT_FOUND) return undefined;
    throw err;
  }
}

async function mustRead(ctx: QuickBooksContext, name: QuickBooksEntity, id: string): Promise<Entity> {
  const entity = await read(ctx, name, id);
  if (entity === undefined) throw new UnrecoverableVendorError(404, '', { message: `update ${name}: QuickBooks has no ${name} ${id}; it was deleted` });
  return entity;
}

function writable(data: Entity): Entity {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !SYSTEM.has(key)));
}

function resultOf(entity: Entity, name: QuickBooksEntity): PushResult {
  const { record } = quickbooksRecord(entity, name);
  return { id: record.id, ...(record.version === undefined ? {} : { version: record.version }), data: record.data };
}
