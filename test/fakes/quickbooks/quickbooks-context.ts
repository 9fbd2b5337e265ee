import type { Context } from 'hono';
import type { Company } from './company.ts';
import type { FakeClock } from '../shared/index.ts';
import type { IdempotencyCache } from './idempotency-cache.ts';
import { formatIntuitTime } from './intuit-time.ts';
import type { Ledger } from './ledger.ts';
import { fault } from './quickbooks-error.ts';
import type { TokenAuthority } from './token-authority.ts';

/** What every route of the fake reaches; built once per fake instance. */
export interface QuickBooksContext {
  clock: FakeClock;
  tokens: TokenAuthority;
  ledger: Ledger;
  companies: Map<string, Company>;
  idempotency: IdempotencyCache;
  /** Intuit allows 500 requests a minute per company; the fake counts the same way. */
  requestsPerMinute: number;
  recentRequests: Map<string, number[]>;
  timeZone: string;
}

export interface QuickBooksEnv {
  Variables: { company: Company };
}

export function responseTime(ctx: QuickBooksContext): string {
  return formatIntuitTime(ctx.clock.now(), ctx.timeZone, { millis: true });
}

export async function jsonBody(c: Context<QuickBooksEnv>): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw fault(400, {
      message: 'Request has invalid or unsupported property',
      detail: 'Property Name:Request body is not valid JSON specified is unsupported or invalid',
      code: '2010',
    });
  }
}
