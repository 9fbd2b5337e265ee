import type { QueryResult } from 'jsforce';
import { UnrecoverableVendorError, type ConnectorContext, type PullPage, type PullRequest, type RemoteRecord } from '../sdk/index.ts';
import { salesforceErrorCode } from './salesforce-answer-error.ts';
import { SALESFORCE_LIMITS } from './salesforce-limits.ts';
import { decodePullCursor, encodePullCursor, type SalesforcePullState } from './salesforce-pull-cursor.ts';
import { salesforceRecord } from './salesforce-record.ts';
import { callSalesforce } from './salesforce-session.ts';
import type { SalesforceConfig, SalesforceCredentials } from './salesforce-settings.ts';
import { salesforceTime } from './salesforce-time.ts';
import { soqlDateTime, soqlString } from './soql-literals.ts';

type SalesforceContext = ConnectorContext<SalesforceConfig, SalesforceCredentials>;
type Row = Record<string, unknown>;

const DEFAULT_PAGE = 200;
/** A second younger than this may still receive writes, so its ids are not remembered yet. */
const SETTLE_MS = 5_000;
/** Ids remembered at the boundary second; beyond this the boundary is re-delivered instead. */
const MAX_SEEN = 500;

/**
 * One page of changes to an sObject, oldest first, deletions included (queryAll reads the
 * recycle bin). A sweep runs `SELECT FIELDS(ALL) ... WHERE SystemModstamp >= <since> ORDER BY
 * SystemModstamp, Id LIMIT n`, follows `nextRecordsUrl` with queryMore, and continues past a
 * full LIMIT with a keyset on (SystemModstamp, Id). SystemModstamp keeps whole seconds, so the
 * next sweep starts at the newest second again and skips the ids it already delivered there;
 * ids of a second that may still receive writes are not skipped, so a record edited twice in
 * that second comes again rather than being lost.
 */
export async function pullSalesforce(ctx: SalesforceContext, request: PullRequest): Promise<PullPage> {
  const type = request.object;
  const limit = Math.min(Math.max(1, Math.floor(request.limit ?? DEFAULT_PAGE)), SALESFORCE_LIMITS.fieldsAllLimit);
  let state: SalesforcePullState = request.cursor === null ? initialState(request.since) : decodePullCursor(request.cursor);

  let result: QueryResult<Row> | undefined;
  if (state.locator !== undefined) {
    const locator = state.locator;
    try {
      result = await callSalesforce(ctx, async (conn) => await conn.queryMore<Row>(locator));
    } catch (err) {
      // An idle cursor expires after 15 minutes; the keyset says where to start again.
      if (salesforceErrorCode(err) !== 'INVALID_QUERY_LOCATOR') throw err;
      ctx.logger.info({ connectionId: ctx.connectionId, object: type }, 'salesforce: query cursor expired; querying again from the last row read');
      state = { ...state, locator: undefined };
    }
  }
  if (result === undefined) {
    const soql = sweepQuery(type, state, limit);
    result = await callSalesforce(ctx, async (conn) => await conn.query<Row>(soql, { scanAll: true }));
    state = { ...state, locator: undefined, limit, read: 0 };
  }

  const records: RemoteRecord[] = [];
  let { after, high } = state;
  for (const row of result.records) {
    const stamp = salesforceTime(row.SystemModstamp);
    const id = row.Id;
    if (stamp === undefined || typeof id !== 'string') {
      throw new UnrecoverableVendorError(0, '', { message: `salesforce ${type}: a row came back without Id or SystemModstamp` });
    }
    after = [stamp, id];
    // Past MAX_SEEN the list only has to say it overflowed, so it stops growing the cursor.
    high = high === undefined || stamp > high[0] ? [stamp, [id]] : stamp === high[0] && high[1].length <= MAX_SEEN ? [stamp, [...high[1], id]] : high;
    if (stamp === state.since && state.seen?.includes(id)) continue;
    records.push(salesforceRecord(row));
  }

  const read = (state.read ?? 0) + result.records.length;
  if (!result.done && typeof result.nextRecordsUrl === 'string') {
    return { records, done: false, nextCursor: encodePullCursor({ ...state, after, high, locator: result.nextRecordsUrl, read }) };
  }
  if (read >= (state.limit ?? limit) && result.records.length > 0) {
    return { records, done: false, nextCursor: encodePullCursor({ ...state, after, high, locator: undefined, read: 0 }) };
  }
  return { records, done: true, nextCursor: encodePullCursor(nextSweep(state, high, ctx.now().getTime())) };
}

function initialState(since: string | undefined): SalesforcePullState {
  if (since === undefined) return {};
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new UnrecoverableVendorError(0, '', { message: `salesforce: since "${since}" is not an ISO 8601 instant` });
  return { since: ms };
}

function sweepQuery(type: string, state: SalesforcePullState, limit: number): string {
  let where = '';
  if (state.after !== undefined) {
    const [stamp, id] = state.after;
    const at = soqlDateTime(stamp);
    where = ` WHERE (SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${soqlString(id)}))`;
  } else if (state.since !== undefined) {
    where = ` WHERE SystemModstamp >= ${soqlDateTime(state.since)}`;
  }
  return `SELECT FIELDS(ALL) FROM ${type}${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${limit}`;
}

// The next sweep starts at the newest second read, skipping the ids delivered there once that
// second can no longer change.
function nextSweep(state: SalesforcePullState, high: SalesforcePullState['high'], now: number): SalesforcePullState {
  if (high === undefined) return { ...(state.since === undefined ? {} : { since: state.since }), ...(state.seen === undefined ? {} : { seen: state.seen }) };
  const [since, ids] = high;
  if (since > now - SETTLE_MS) return { since, seen: [] };
  // Too many to remember: a settled second takes no more writes, so the next sweep starts after it.
  return ids.length <= MAX_SEEN ? { since, seen: ids } : { since: since + 1000, seen: [] };
}
