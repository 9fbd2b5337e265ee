import { UnrecoverableVendorError } from '../sdk/index.ts';

/** Where a QuickBooks pull is. Instants are epoch ms. */
export interface QuickBooksPullState {
  /** `cdc` reads change data capture; `query` resyncs by LastUpdatedTime when CDC cannot reach back. */
  mode: 'cdc' | 'query';
  /** Changes at or after this instant are read; absent in a query resync from the beginning. */
  since?: number;
  /** `Id:SyncToken` keys already delivered with their update time, so a re-read skips them. */
  delivered: Array<[string, number]>;
  /** Query resync only: where change data capture takes over once the resync ends. */
  resume?: number;
}

export function encodePullCursor(state: QuickBooksPullState): string {
  const compact = {
    v: 1,
    m: state.mode,
    ...(state.since === undefined ? {} : { s: state.since }),
    ...(state.delivered.length === 0 ? {} : { d: state.delivered }),
    ...(state.resume === undefined ? {} : { r: state.resume }),
  };
  return Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
}

const isMs = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

/** The state in a cursor this connector made; anything else is a caller's bug. */
export function decodePullCursor(cursor: string): QuickBooksPullState {
  let raw: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    raw = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    raw = undefined;
  }
  const { v, m, s, d, r } = raw ?? {};
  const ok =
    v === 1 &&
    (m === 'cdc' || m === 'query') &&
    (s === undefined || isMs(s)) &&
    (m === 'query' || s !== undefined) &&
    (d === undefined || (Array.isArray(d) && d.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isMs(e[1])))) &&
    (r === undefined || isMs(r));
  if (!ok) throw new UnrecoverableVendorError(0, '', { message: 'quickbooks: the pull cursor was not made by this connector' });
  return {
    mode: m as 'cdc' | 'query',
    ...(s === undefined ? {} : { since: s as number }),
    delivered: (d as Array<[string, number]> | undefined) ?? [],
    ...(r === undefined ? {} : { resume: r as number }),
  };
}
