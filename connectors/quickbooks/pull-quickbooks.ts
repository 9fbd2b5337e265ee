import { UnrecoverableVendorError, type ConnectorContext, type PullPage, type PullRequest } from '../sdk/index.ts';
import { callQuickBooks, type QuickBooksClient } from './call-quickbooks.ts';
import { QUICKBOOKS_LIMITS } from './quickbooks-limits.ts';
import type { QuickBooksEntity } from './quickbooks-objects.ts';
import { decodePullCursor, encodePullCursor, type QuickBooksPullState } from './quickbooks-pull-cursor.ts';
import { byTimeThenId, intuitTime, quickbooksRecord, type TimedRecord } from './quickbooks-record.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';

type QuickBooksContext = ConnectorContext<QuickBooksConfig, QuickBooksCredentials>;
type Done = (err: unknown, data?: unknown) => void;

const DEFAULT_PAGE = 200;
const DAY_MS = 24 * 3600_000;
/** CDC answers only within 30 days; a cursor this old resyncs by query instead. */
const CDC_REACH_MS = (QUICKBOOKS_LIMITS.cdcLookbackDays - 1) * DAY_MS;
/**
 * Each sweep re-reads this much before the previous answer's `time`, so a write stamped just
 * before it but committed after it is not missed; what was delivered is skipped by its key.
 */
const OVERLAP_MS = 60_000;
const MAX_DELIVERED = 2000;

const find: Record<QuickBooksEntity, (client: QuickBooksClient, criteria: string, done: Done) => void> = {
  Invoice: (client, criteria, done) => client.findInvoices(criteria as never, done),
  Payment: (client, criteria, done) => client.findPayments(criteria as never, done),
  Customer: (client, criteria, done) => client.findCustomers(criteria as never, done),
};

interface Read {
  rows: TimedRecord[];
  /** The answer may have left records out (CDC's 1,000 cap, a full query page). */
  truncated: boolean;
  /** The answer's `time`, in ms. */
  time: number;
}

/**
 * One page of changes to Invoice, Payment or Customer, oldest first. Pulls read change data
 * capture (`/cdc?entities=<Entity>&changedSince=<ISO>`), which reports deletions as
 * `deleted: true`; the next sweep starts from the answer's `time`, less an overlap, skipping
 * the `Id:SyncToken` states already delivered. CDC reaches back 30 days only: a first pull
 * without `since` (or with an older one), and a cursor left unused for longer, resync by query
 * on MetaData.LastUpdatedTime and then hand over to CDC. A query cannot see deletions, so those
 * made while a cursor was stale are not reported; a full reconciliation finds them.
 */
export async function pullQuickBooks(ctx: QuickBooksContext, request: PullRequest): Promise<PullPage> {
  const entity = request.object as QuickBooksEntity;
  const limit = Math.min(Math.max(1, Math.floor(request.limit ?? DEFAULT_PAGE)), QUICKBOOKS_LIMITS.queryMaxResults - 1);
  const now = ctx.now().getTime();
  let state = request.cursor === null ? initialState(request.since, now) : decodePullCursor(request.cursor);
  if (state.mode === 'cdc' && state.since! < now - CDC_REACH_MS) {
    ctx.logger.warn({ connectionId: ctx.connectionId, object: entity }, 'quickbooks: the cursor is older than change data capture reaches; resyncing by query, so deletions in the gap are not reported');
    state = { mode: 'query', since: state.since!, delivered: [] };
  }
  return state.mode === 'cdc' ? cdcPage(ctx, entity, state, limit) : queryPage(ctx, entity, state, limit);
}

function initialState(since: string | undefined, now: number): QuickBooksPullState {
  if (since === undefined) return { mode: 'query', delivered: [] };
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new UnrecoverableVendorError(0, '', { message: `quickbooks: since "${since}" is not an ISO 8601 instant` });
  return ms >= now - CDC_REACH_MS ? { mode: 'cdc', since: ms, delivered: [] } : { mode: 'query', since: ms, delivered: [] };
}

async function cdcPage(ctx: QuickBooksContext, entity: QuickBooksEntity, state: QuickBooksPullState, limit: number): Promise<PullPage> {
  const since = state.since!;
  const read = await readChanges(ctx, entity, since);
  const delivered = new Map(state.delivered);
  const fresh = read.rows.filter((r) => !delivered.has(r.key));
  const page = fresh.slice(0, limit);
  for (const r of page) delivered.set(r.key, r.at);
  if (fresh.length > limit || read.truncated) {
    if (page.length === 0) {
      // More than CDC returns at once, all delivered already: page through them by query.
      return queryPage(ctx, entity, { mode: 'query', since, delivered: state.delivered, resume: floorSecond(read.time) - OVERLAP_MS }, limit);
    }
    const next = page.at(-1)!.at;
    return { records: page.map((r) => r.record), done: false, nextCursor: encodePullCursor({ mode: 'cdc', since: next, delivered: kept(delivered, next - OVERLAP_MS) }) };
  }
  const next = Math.max(since, floorSecond(read.time) - OVERLAP_MS);
  return { records: page.map((r) => r.record), done: true, nextCursor: encodePullCursor({ mode: 'cdc', since: next, delivered: kept(delivered, next) }) };
}

async function queryPage(ctx: QuickBooksContext, entity: QuickBooksEntity, state: QuickBooksPullState, limit: number): Promise<PullPage> {
  const delivered = new Map(state.delivered);
  const atSince = state.since === undefined ? 0 : state.delivered.filter(([, at]) => at === state.since).length;
  const max = Math.min(QUICKBOOKS_LIMITS.queryMaxResults, limit + atSince + 1);
  const read = await readByQuery(ctx, entity, state.since, max);
  const resume = state.resume ?? floorSecond(read.time) - OVERLAP_MS;
  const fresh = read.rows.filter((r) => !delivered.has(r.key));
  const page = fresh.slice(0, limit);
  for (const r of page) delivered.set(r.key, r.at);
  if (fresh.length > limit || read.truncated) {
    // A page of nothing new means more than a query returns share one second: step past it.
    const next = page.length > 0 ? page.at(-1)!.at : (state.since ?? 0) + 1000;
    return { records: page.map((r) => r.record), done: false, nextCursor: encodePullCursor({ mode: 'query', since: next, delivered: kept(delivered, next - OVERLAP_MS), resume }) };
  }
  // The resync has caught up: change data capture continues from when it began.
  return { records: page.map((r) => r.record), done: true, nextCursor: encodePullCursor({ mode: 'cdc', since: resume, delivered: kept(delivered, resume) }) };
}

async function readChanges(ctx: QuickBooksContext, entity: QuickBooksEntity, since: number): Promise<Read> {
  // node-quickbooks puts `since` into the URL unencoded, so it must hold no `+` offset.
  const body = await callQuickBooks<Record<string, unknown>>(ctx, `change data capture of ${entity}`, (client, done) => client.changeDataCapture([entity], new Date(since).toISOString(), done));
  const responses = (body.CDCResponse as Array<{ QueryResponse?: Array<Record<string, unknown>> }> | undefined)?.[0]?.QueryResponse ?? [];
  const part = responses.find((r) => Array.isArray(r[entity]));
  const entities = (part?.[entity] as Array<Record<string, unknown>> | undefined) ?? [];
  const rows = entities.map((e) => quickbooksRecord(e, entity)).sort(byTimeThenId);
  const total = typeof part?.totalCount === 'number' ? part.totalCount : rows.length;
  return { rows, truncated: rows.length >= QUICKBOOKS_LIMITS.cdcMaxObjects || total > rows.length, time: intuitTime(body.time) ?? ctx.now().getTime() };
}

async function readByQuery(ctx: QuickBooksContext, entity: QuickBooksEntity, since: number | undefined, max: number): Promise<Read> {
  const where: string[] = [];
  if (since !== undefined) where.push(`Metadata.LastUpdatedTime >= '${new Date(since).toISOString().replace(/\.\d{3}Z$/, 'Z')}'`);
  // Queries hide inactive customers unless they mention Active; inactive is QuickBooks' delete.
  if (entity === 'Customer') where.push('Active IN (true, false)');
  const criteria = `${where.length === 0 ? '' : ` where ${where.join(' and ')}`} orderby Metadata.LastUpdatedTime startposition 1 maxresults ${max}`;
  const body = await callQuickBooks<Record<string, unknown>>(ctx, `query ${entity}`, (client, done) => find[entity](client, criteria, done));
  const entities = ((body.QueryResponse as Record<string, unknown> | undefined)?.[entity] as Array<Record<string, unknown>> | undefined) ?? [];
  const rows = entities.map((e) => quickbooksRecord(e, entity)).sort(byTimeThenId);
  return { rows, truncated: entities.length >= max, time: intuitTime(body.time) ?? ctx.now().getTime() };
}

function floorSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

// Keys that a later read from `from` could return again; the newest are kept when there are too many.
function kept(delivered: Map<string, number>, from: number): Array<[string, number]> {
  const entries = [...delivered].filter(([, at]) => at >= from).sort((a, b) => a[1] - b[1]);
  return entries.slice(-MAX_DELIVERED);
}
