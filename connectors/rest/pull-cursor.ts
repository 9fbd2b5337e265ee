import { UnrecoverableVendorError } from '../sdk/index.ts';

/** Where a sweep is: the updated-since it runs from, the newest update seen, and the next page. */
export interface PullState {
  /** Updated-since of this sweep, ISO 8601. */
  since?: string;
  /** Newest `updatedAt` seen in this sweep; the next sweep's `since`. */
  highWater?: string;
  /** Next page: a cursor, page number, offset or link, depending on the pagination. */
  page?: string | number;
}

/** An opaque cursor for a pull state. */
export function encodeCursor(state: PullState): string {
  const compact = { v: 1, ...(state.since === undefined ? {} : { s: state.since }), ...(state.highWater === undefined ? {} : { h: state.highWater }), ...(state.page === undefined ? {} : { p: state.page }) };
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

/** The state in a cursor this connector made; anything else is a caller's bug. */
export function decodeCursor(cursor: string): PullState {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const r = raw as { v?: unknown; s?: unknown; h?: unknown; p?: unknown } | undefined;
  const okText = (v: unknown) => v === undefined || typeof v === 'string';
  if (r === undefined || r === null || typeof r !== 'object' || r.v !== 1 || !okText(r.s) || !okText(r.h) || !(r.p === undefined || typeof r.p === 'string' || typeof r.p === 'number')) {
    throw new UnrecoverableVendorError(0, '', { message: 'rest: the pull cursor was not made by this connector' });
  }
  return {
    ...(r.s === undefined ? {} : { since: r.s as string }),
    ...(r.h === undefined ? {} : { highWater: r.h as string }),
    ...(r.p === undefined ? {} : { page: r.p as string | number }),
  };
}
