import type { Context } from 'hono';
import type { FakeClock } from '../shared/index.ts';
import type { QueryCursors } from './query-cursors.ts';
import type { RecordStore } from './record-store.ts';
import { SalesforceError } from './salesforce-error.ts';
import type { IdMinter } from './salesforce-ids.ts';
import type { SoqlEngine } from './soql-engine.ts';
import type { TokenAuthority } from './token-authority.ts';

/** What every route of the fake reaches; built once per fake instance. */
export interface SalesforceContext {
  clock: FakeClock;
  ids: IdMinter;
  store: RecordStore;
  soql: SoqlEngine;
  cursors: QueryCursors;
  tokens: TokenAuthority;
  orgId: string;
  userId: string;
  /** Filled in once the server listens; instance_url and ids point back at it. */
  baseUrl: () => string;
  apiUsage: { used: number; max: number };
  queryBatchSize: number;
}

export interface SalesforceEnv {
  Variables: {
    /** API version without the `v`, e.g. `58.0`. */
    version: string;
  };
}

export const LATEST_API_VERSION = 65;
export const OLDEST_API_VERSION = 20;

export async function jsonBody(c: Context<SalesforceEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character ('${text.trim().charAt(0)}' (code ${text.trim().charCodeAt(0)})): expected a valid value (number, String, array, object, 'true', 'false' or 'null') at [line:1, column:1]`,
    );
  }
}

export function versionNumber(version: string): number {
  return Number(version);
}
