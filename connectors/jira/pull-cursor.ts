import { UnrecoverableVendorError } from '../sdk/index.ts';

/** Where a pull of issues stands. Times are epoch milliseconds. */
export interface IssueSweep {
  /** Lower bound of the JQL (`updated >= lo`), minute-aligned; absent for a first full read. */
  lo?: number;
  /** Continues the current query at its next page; `jql` is that query, which Jira requires unchanged. */
  tok?: string;
  jql?: string;
  /** The API user's zone while a sweep runs; a new sweep reads it again. */
  z?: string;
  /** Newest update seen in the current sweep. */
  hi?: number;
  /** `key@updated` of records already returned at or after `lo`, so the overlap is not returned twice. */
  seen: string[];
}

// Enough for every change in the overlap window of a busy project; beyond it a repeat is possible, never a loss.
const MAX_SEEN = 2000;

/** An opaque cursor for a sweep state. */
export function encodeSweep(state: IssueSweep): string {
  const seen = state.seen.length > MAX_SEEN ? state.seen.slice(-MAX_SEEN) : state.seen;
  return Buffer.from(JSON.stringify({ v: 1, ...state, seen }), 'utf8').toString('base64url');
}

/** The sweep state in a cursor this connector made; anything else is a caller's bug. */
export function decodeSweep(cursor: string): IssueSweep {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const r = raw as Partial<IssueSweep> & { v?: unknown };
  const optional = (value: unknown, type: 'string' | 'number') => value === undefined || typeof value === type;
  const valid =
    r !== null &&
    typeof r === 'object' &&
    r.v === 1 &&
    optional(r.lo, 'number') &&
    optional(r.tok, 'string') &&
    optional(r.jql, 'string') &&
    optional(r.z, 'string') &&
    optional(r.hi, 'number') &&
    (r.tok === undefined) === (r.jql === undefined) &&
    Array.isArray(r.seen) &&
    r.seen.every((s) => typeof s === 'string');
  if (!valid) throw new UnrecoverableVendorError(0, '', { message: 'jira: the pull cursor was not made by this connector' });
  return {
    seen: r.seen!,
    ...(r.lo === undefined ? {} : { lo: r.lo }),
    ...(r.tok === undefined ? {} : { tok: r.tok, jql: r.jql! }),
    ...(r.z === undefined ? {} : { z: r.z }),
    ...(r.hi === undefined ? {} : { hi: r.hi }),
  };
}
