import { UnrecoverableVendorError } from '../sdk/index.ts';

/** Where a Salesforce pull is. Instants are epoch ms at whole seconds, as SystemModstamp keeps them. */
export interface SalesforcePullState {
  /** The sweep's lower bound: SystemModstamp >= since. Absent: from the beginning. */
  since?: number;
  /** Ids at exactly `since` that an earlier sweep delivered; skipped. */
  seen?: string[];
  /** The last row read in this sweep, for the keyset that continues past a full LIMIT. */
  after?: [number, string];
  /** The open query's `nextRecordsUrl` (jsforce makes it absolute on the instance). */
  locator?: string | undefined;
  /** The open query's LIMIT and the rows read from it so far. */
  limit?: number;
  read?: number;
  /** The newest SystemModstamp read in this sweep and the ids at it. */
  high?: [number, string[]];
}

/** An opaque cursor for a pull state. */
export function encodePullCursor(state: SalesforcePullState): string {
  const compact = {
    v: 1,
    ...(state.since === undefined ? {} : { s: state.since }),
    ...(state.seen === undefined || state.seen.length === 0 ? {} : { e: state.seen }),
    ...(state.after === undefined ? {} : { a: state.after }),
    ...(state.locator === undefined ? {} : { l: state.locator }),
    ...(state.limit === undefined ? {} : { n: state.limit }),
    ...(state.read === undefined || state.read === 0 ? {} : { r: state.read }),
    ...(state.high === undefined ? {} : { h: state.high }),
  };
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isIds = (v: unknown): v is string[] => Array.isArray(v) && v.every((id) => typeof id === 'string');

/** The state in a cursor this connector made; anything else is a caller's bug. */
export function decodePullCursor(cursor: string): SalesforcePullState {
  let raw: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    raw = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    raw = undefined;
  }
  const { v, s, e, a, l, n, r, h } = raw ?? {};
  const ok =
    v === 1 &&
    (s === undefined || isMs(s)) &&
    (e === undefined || isIds(e)) &&
    (a === undefined || (Array.isArray(a) && a.length === 2 && isMs(a[0]) && typeof a[1] === 'string')) &&
    (l === undefined || (typeof l === 'string' && l.length <= 1000)) &&
    (n === undefined || isMs(n)) &&
    (r === undefined || isMs(r)) &&
    (h === undefined || (Array.isArray(h) && h.length === 2 && isMs(h[0]) && isIds(h[1])));
  if (!ok) throw new UnrecoverableVendorError(0, '', { message: 'salesforce: the pull cursor was not made by this connector' });
  return {
    ...(s === undefined ? {} : { since: s as number }),
    ...(e === undefined ? {} : { seen: e as string[] }),
    ...(a === undefined ? {} : { after: a as [number, string] }),
    ...(l === undefined ? {} : { locator: l as string }),
    ...(n === undefined ? {} : { limit: n as number }),
    ...(r === undefined ? {} : { read: r as number }),
    ...(h === undefined ? {} : { high: h as [number, string[]] }),
  };
}
