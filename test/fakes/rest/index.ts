import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { registerCursorRoutes } from './cursor-routes.ts';
import { FakeClock } from './fake-clock.ts';
import { json, type FakeContext } from './fake-context.ts';
import { FaultQueue, type FaultSpec } from './fault-queue.ts';
import { registerODataRoutes } from './odata-routes.ts';
import { RecordStore, type FakeRecord } from './record-store.ts';
import { TokenAuthority, type FakeClient } from './token-authority.ts';
import { registerZohoRoutes } from './zoho-routes.ts';

export type { FaultSpec } from './fault-queue.ts';
export type { FakeClient } from './token-authority.ts';

/** The collections the fake serves, each in its own API style. */
export type RestFakeCollection = 'contacts' | 'invoices' | 'accounts';

export interface RestFakeOptions {
  /** Static keys, accepted as `Authorization: Bearer <k>`, `Authorization: Zoho-oauthtoken <k>` or `X-Api-Key: <k>`. @default ['fake-api-key'] */
  apiKeys?: string[];
  /** @default { username: 'hub', password: 'fake-password' } */
  basic?: { username: string; password: string };
  /** Clients of `/oauth/token`. @default [{ clientId: 'fake-client', clientSecret: 'fake-client-secret' }] */
  clients?: FakeClient[];
  /** @default 3600 */
  tokenTtlSeconds?: number;
  /** What Zoho-style routes require as `organization_id`. @default '60012345678' */
  organizationId?: string;
  /** @default the system clock */
  now?: () => Date;
}

/** One request as the fake saw it; the Authorization value is reduced to its scheme. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: [string, string][];
  headers: Record<string, string>;
  status: number;
}

export interface RestFake {
  readonly url: string;
  readonly port: number;
  readonly tokenUrl: string;
  readonly organizationId: string;
  /** Adds records as they would exist at the vendor; fields only (ids and times are assigned). */
  seed(collection: RestFakeCollection, records: Record<string, unknown>[]): string[];
  /** A change made at the vendor (by a person), bumping its update time and version. */
  edit(collection: RestFakeCollection, id: string, patch: Record<string, unknown>): void;
  count(collection: RestFakeCollection): number;
  record(collection: RestFakeCollection, id: string): FakeRecord | undefined;
  /** The next matching API requests fail with this status instead of being handled. */
  failNext(fault: FaultSpec): void;
  /** Every issued OAuth2 token stops working; the next call with one gets a 401. */
  expireTokens(): void;
  readonly tokensIssued: number;
  readonly requests: readonly LoggedRequest[];
  close(): Promise<void>;
}

const API_PREFIXES = ['/api/', '/books/', '/odata/'];

/**
 * Starts a small generic JSON API on 127.0.0.1: cursor pagination (`/api/contacts`), Zoho-style
 * pages (`/books/v3/invoices`), OData paging (`/odata/accounts`), an OAuth2 client-credentials
 * token endpoint, idempotency keys on writes, and injectable failures.
 * @example const fake = await startRestFake(); ... await fake.close();
 */
export async function startRestFake(options: RestFakeOptions = {}): Promise<RestFake> {
  const {
    apiKeys = ['fake-api-key'],
    basic = { username: 'hub', password: 'fake-password' },
    clients = [{ clientId: 'fake-client', clientSecret: 'fake-client-secret' }],
    tokenTtlSeconds = 3600,
    organizationId = '60012345678',
    now = () => new Date(),
  } = options;
  const store = new RecordStore();
  const clock = new FakeClock(now);
  const tokens = new TokenAuthority(clients, tokenTtlSeconds, now);
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const replies = new Map<string, { status: number; body: string; headers: [string, string][] }>();
  let origin = '';
  const ctx: FakeContext = { store, clock, origin: () => origin, organizationId };
  const app = new Hono();

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = name === 'authorization' ? (value.split(' ')[0] ?? '') : value;
    });
    const entry: LoggedRequest = { method: c.req.method, path: url.pathname, query: [...url.searchParams], headers, status: 0 };
    requests.push(entry);
    await next();
    entry.status = c.res.status;
  });

  app.post('/oauth/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    let id = form.get('client_id') ?? '';
    let secret = form.get('client_secret') ?? '';
    const basicAuth = /^Basic (.+)$/i.exec(c.req.header('authorization') ?? '');
    if (basicAuth !== null) {
      const decoded = Buffer.from(basicAuth[1]!, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, at));
      secret = decodeURIComponent(decoded.slice(at + 1));
    }
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    if (!tokens.clientMatches(id, secret)) return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    return json(200, tokens.issue(), { 'cache-control': 'no-store' });
  });

  app.use('*', async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (!API_PREFIXES.some((p) => path.startsWith(p))) return next();
    const fault = faults.take(path);
    if (fault !== undefined) {
      return json(fault.status, fault.body ?? { error: 'injected', status: fault.status }, fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter });
    }
    const verdict = authenticate(c.req.header('authorization'), c.req.header('x-api-key'));
    if (verdict !== 'ok') return json(401, { error: verdict }, { 'www-authenticate': `Bearer error="${verdict}"` });
    const key = c.req.header('idempotency-key');
    if (key === undefined || c.req.method === 'GET') return next();
    const cacheKey = `${c.req.method} ${path} ${key}`;
    const seen = replies.get(cacheKey);
    if (seen !== undefined) return new Response(seen.status === 204 ? null : seen.body, { status: seen.status, headers: [...seen.headers, ['idempotent-replayed', 'true']] });
    await next();
    if (c.res.status < 500) replies.set(cacheKey, { status: c.res.status, body: await c.res.clone().text(), headers: [...c.res.headers] });
  });

  function authenticate(authorization: string | undefined, apiKey: string | undefined): 'ok' | 'unauthorized' | 'invalid_token' {
    if (apiKey !== undefined) return apiKeys.includes(apiKey) ? 'ok' : 'unauthorized';
    const [scheme = '', value = ''] = (authorization ?? '').split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) {
      if (apiKeys.includes(value) || tokens.isValid(value)) return 'ok';
      return value.startsWith('fat_') ? 'invalid_token' : 'unauthorized';
    }
    if (scheme === 'Zoho-oauthtoken') return apiKeys.includes(value) ? 'ok' : 'invalid_token';
    if (/^basic$/i.test(scheme)) return Buffer.from(value, 'base64').toString('utf8') === `${basic.username}:${basic.password}` ? 'ok' : 'unauthorized';
    return 'unauthorized';
  }

  registerCursorRoutes(app, ctx);
  registerZohoRoutes(app, ctx);
  registerODataRoutes(app, ctx);
  app.notFound(() => json(404, { error: 'no_route' }));

  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const idFor = (collection: RestFakeCollection): string => {
    const n = store.nextNumber();
    if (collection === 'contacts') return `c_${String(n).padStart(4, '0')}`;
    if (collection === 'invoices') return `982000000${String(n).padStart(6, '0')}`;
    return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  };

  return {
    url: origin,
    port,
    tokenUrl: `${origin}/oauth/token`,
    organizationId,
    seed(collection, records) {
      return records.map((fields) => {
        const id = idFor(collection);
        store.collection(collection).set(id, { id, updatedAt: clock.stamp(), version: 1, fields: { ...fields } });
        return id;
      });
    },
    edit(collection, id, patch) {
      const r = store.collection(collection).get(id);
      if (r === undefined) throw new Error(`no ${collection} record ${id}`);
      r.fields = { ...r.fields, ...patch };
      r.updatedAt = clock.stamp();
      r.version += 1;
    },
    count: (collection) => store.collection(collection).size,
    record: (collection, id) => store.collection(collection).get(id),
    failNext: (fault) => faults.add(fault),
    expireTokens: () => tokens.expireAll(),
    get tokensIssued() {
      return tokens.issued;
    },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
