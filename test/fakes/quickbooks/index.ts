import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { FailureInjector, FakeClock, RequestLog } from '../shared/index.ts';
import type { FailureSpec, LoggedRequest } from '../shared/index.ts';
import { Company } from './company.ts';
import { registerDataRoutes } from './data-routes.ts';
import type { EntityName } from './entity-fields.ts';
import { entityNamed } from './entity-fields.ts';
import { registerGateway } from './gateway.ts';
import { IdempotencyCache } from './idempotency-cache.ts';
import { formatIntuitTime, truncateToSecond } from './intuit-time.ts';
import type { ChangeEvent } from './ledger.ts';
import { Ledger } from './ledger.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import { QuickBooksError, defaultFailure, unsupportedOperation } from './quickbooks-error.ts';
import type { QuickBooksContext, QuickBooksEnv } from './quickbooks-context.ts';
import { registerRequestIdReplay } from './request-id-replay.ts';
import type { TokenSet, TokenStats } from './token-authority.ts';
import { TokenAuthority } from './token-authority.ts';
import type { WebhookDelivery, WebhookRegistration } from './webhook-dispatcher.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

export type { FailureSpec, LoggedRequest } from '../shared/index.ts';
export type { ChangeEvent } from './ledger.ts';
export type { TokenSet, TokenStats } from './token-authority.ts';
export type { WebhookDelivery, WebhookRegistration } from './webhook-dispatcher.ts';

export interface QuickBooksFakeOptions {
  /** @default 'ABmilestonehubclientid' */
  clientId?: string;
  /** @default 'milestone-hub-client-secret' */
  clientSecret?: string;
  /** The first connected company. @default '9341452912345678' */
  realmId?: string;
  /** @default 'Milestone Hub Demo Co' */
  companyName?: string;
  /** Zone of the company's MetaData times; US companies render in Pacific time. @default 'America/Los_Angeles' */
  timeZone?: string;
  /** @default { value: 'USD', name: 'United States Dollar' } */
  currency?: { value: string; name: string };
  /** Each refresh returns a new refresh token and retires the old one. @default true */
  rotateRefreshTokens?: boolean;
  /** Intuit's per-company throttle. @default 500 */
  requestsPerMinute?: number;
  /** Time source. @default the system clock */
  now?: () => Date;
  /** Where the authorize endpoint sends the user back. @default 'http://127.0.0.1/oauth/callback' */
  redirectUri?: string;
}

interface RealmOption {
  realmId?: string;
}

export interface QuickBooksFake {
  /** Base URL of the fake; data services live under `${url}/v3/company/`. */
  readonly url: string;
  /** Value for `QuickBooks.V3_ENDPOINT_BASE_URL`, or for an instance's `endpoint` property. */
  readonly v3BaseUrl: string;
  /** Value for `QuickBooks.TOKEN_URL`. */
  readonly tokenUrl: string;
  /** Value for `QuickBooks.REVOKE_URL`. */
  readonly revokeUrl: string;
  /** Intuit's consent URL, which here redirects straight back with a code and realmId. */
  readonly authorizeUrl: string;
  /** An app connected to the first company, with live tokens. */
  readonly credentials: {
    clientId: string;
    clientSecret: string;
    realmId: string;
    accessToken: string;
    refreshToken: string;
    redirectUri: string;
  };
  close(): Promise<void>;
  readonly requests: LoggedRequest[];
  clearRequests(): void;
  failNext(spec: FailureSpec): void;
  expireAccessTokens(): void;
  /** Successful refresh-token grants so far. */
  readonly tokenRefreshCount: number;
  readonly tokenStats: Readonly<TokenStats>;
  /** Connects the app to another company (tenant isolation tests) and returns its tokens. */
  connectCompany(options?: { realmId?: string; companyName?: string }): { realmId: string } & TokenSet;
  setClock(source: (() => Date) | undefined): void;
  advanceClock(ms: number): void;
  now(): Date;
  /** Creates an entity as a QuickBooks user would; it is notified like any other change. */
  insert(type: string, data: Record<string, unknown>, options?: RealmOption): Record<string, unknown>;
  /** The entity as the API renders it; a deleted one as its `status: "Deleted"` stub. */
  getEntity(type: string, id: string, options?: RealmOption): Record<string, unknown> | undefined;
  entities(type: string, options?: RealmOption & { includeDeleted?: boolean }): Array<Record<string, unknown>>;
  /** A sparse edit made in QuickBooks by a person: no SyncToken race, SyncToken still moves on. */
  simulateUserEdit(type: string, id: string, changes: Record<string, unknown>, options?: RealmOption): Record<string, unknown>;
  simulateUserDelete(type: string, id: string, options?: RealmOption): void;
  /** A customer payment recorded in QuickBooks against one invoice, reducing its Balance. */
  simulatePayment(input: { invoiceId: string; amount: number; paymentRefNum?: string } & RealmOption): Record<string, unknown>;
  registerWebhook(registration: WebhookRegistration): () => void;
  flushWebhooks(): Promise<WebhookDelivery[]>;
  readonly pendingWebhookEvents: number;
  /** Every change event in order, whether or not a webhook is registered. */
  readonly changeEvents: ChangeEvent[];
  /** Writes answered from the `requestid` replay store. */
  readonly requestIdReplays: number;
}

function failureResponse(spec: FailureSpec, path: string, timeZone: string, now: number): Response {
  const body = spec.body ?? stampTime(defaultFailure(spec.status, path).body, timeZone, now);
  const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: spec.status, headers });
}

function stampTime(body: unknown, timeZone: string, now: number): unknown {
  if (typeof body !== 'object' || body === null) return body;
  if ('Fault' in body) return { ...body, time: formatIntuitTime(now, timeZone, { millis: true }) };
  if ('fault' in body) return { ...body, time: now };
  return body;
}

/**
 * Starts a local QuickBooks Online (v3 data services plus Intuit OAuth 2.0) on 127.0.0.1 that
 * node-quickbooks cannot tell from Intuit. node-quickbooks reads its URLs from statics, so point
 * it here with `QuickBooks.V3_ENDPOINT_BASE_URL = fake.v3BaseUrl` (read when an instance is
 * built; or set `qbo.endpoint = fake.v3BaseUrl` on one instance) and
 * `QuickBooks.TOKEN_URL = fake.tokenUrl` (read on every refresh, process-wide).
 *
 * @example
 * const qb = await startQuickBooksFake();
 * const qbo = new QuickBooks(clientId, clientSecret, accessToken, false, realmId, true, false, 75, '2.0', refreshToken);
 * qbo.endpoint = qb.v3BaseUrl;
 */
export async function startQuickBooksFake(options: QuickBooksFakeOptions = {}): Promise<QuickBooksFake> {
  const {
    clientId = 'ABmilestonehubclientid',
    clientSecret = 'milestone-hub-client-secret',
    realmId = '9341452912345678',
    companyName = 'Milestone Hub Demo Co',
    timeZone = 'America/Los_Angeles',
    currency = { value: 'USD', name: 'United States Dollar' },
    rotateRefreshTokens = true,
    requestsPerMinute = 500,
    now,
    redirectUri = 'http://127.0.0.1/oauth/callback',
  } = options;
  if (!/^\d+$/.test(realmId)) throw new Error('realmId must be digits, as Intuit realm ids are');
  if (!Number.isInteger(requestsPerMinute) || requestsPerMinute < 1) throw new Error('requestsPerMinute must be a positive integer');
  // Throws RangeError now for an unknown zone rather than on the first rendered timestamp.
  new Intl.DateTimeFormat('en-US', { timeZone });

  const clock = new FakeClock();
  if (now) clock.set(now);
  const webhooks = new WebhookDispatcher();
  const changeEvents: ChangeEvent[] = [];
  const ledger = new Ledger({
    clock,
    onChange: (event) => {
      changeEvents.push(event);
      webhooks.enqueue(event);
    },
  });
  const tokens = new TokenAuthority({ clock, clientId, clientSecret, rotate: rotateRefreshTokens });
  const ctx: QuickBooksContext = {
    clock,
    tokens,
    ledger,
    companies: new Map(),
    idempotency: new IdempotencyCache(),
    requestsPerMinute,
    recentRequests: new Map(),
    timeZone,
  };

  const addCompany = (id: string, name: string): Company => {
    if (ctx.companies.has(id)) throw new Error(`company ${id} already exists`);
    const at = truncateToSecond(clock.now());
    const company = new Company({ realmId: id, companyName: name, timeZone, currency, createdAt: at });
    // Every company starts with the two service items QuickBooks creates for it.
    company.insert('Item', { Name: 'Services', FullyQualifiedName: 'Services', Type: 'Service', Active: true, UnitPrice: 0, Taxable: false, TrackQtyOnHand: false, IncomeAccountRef: { value: '1', name: 'Services' } }, at, '1');
    company.insert('Item', { Name: 'Hours', FullyQualifiedName: 'Hours', Type: 'Service', Active: true, UnitPrice: 0, Taxable: false, TrackQtyOnHand: false, IncomeAccountRef: { value: '1', name: 'Services' } }, at, '2');
    ctx.companies.set(id, company);
    return company;
  };
  addCompany(realmId, companyName);

  const log = new RequestLog();
  const failures = new FailureInjector();
  const app = new Hono<QuickBooksEnv>();

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    const failure = failures.take(c.req.method, url.pathname);
    let injected: Response | undefined;
    if (failure) injected = failureResponse(failure, url.pathname, timeZone, clock.now());
    else await next();
    log.add({
      method: c.req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(c.req.raw.headers),
      body,
      status: injected ? injected.status : c.res.status,
      at: new Date(clock.now()),
    });
    if (injected) return injected;
  });

  registerOAuthRoutes(app, ctx, () => realmId);
  registerGateway(app, ctx);
  registerRequestIdReplay(app, ctx);
  registerDataRoutes(app, ctx);

  const errorResponse = (error: QuickBooksError) =>
    new Response(JSON.stringify(stampTime(error.body, timeZone, clock.now())), {
      status: error.status,
      headers: { 'content-type': 'application/json;charset=UTF-8', ...error.headers },
    });
  app.notFound((c) => errorResponse(unsupportedOperation(new URL(c.req.url).pathname)));
  app.onError((error) => {
    if (error instanceof QuickBooksError) return errorResponse(error);
    return errorResponse(
      new QuickBooksError(500, '10000', error.message, {
        body: { Fault: { Error: [{ Message: 'An application error has occurred while processing your request', Detail: `System Failure Error: ${error.message}`, code: '10000' }], type: 'SystemFault' } },
      }),
    );
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const initial = tokens.issue(realmId);

  const companyOf = (options?: RealmOption): Company => {
    const company = ctx.companies.get(options?.realmId ?? realmId);
    if (!company) throw new Error(`no company ${options?.realmId}`);
    return company;
  };
  const nameOf = (type: string): EntityName => {
    const name = entityNamed(type);
    if (!name) throw new Error(`the fake does not serve ${type}`);
    return name;
  };
  let nextRealm = BigInt(realmId) + 1n;

  return {
    url,
    v3BaseUrl: `${url}/v3/company/`,
    tokenUrl: `${url}/oauth2/v1/tokens/bearer`,
    revokeUrl: `${url}/oauth2/v1/tokens/revoke`,
    authorizeUrl: `${url}/connect/oauth2`,
    credentials: { clientId, clientSecret, realmId, accessToken: initial.access_token, refreshToken: initial.refresh_token, redirectUri },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
    get requests() {
      return log.entries;
    },
    clearRequests: () => log.clear(),
    failNext: (spec) => failures.add(spec),
    expireAccessTokens: () => tokens.expireAccessTokens(),
    get tokenRefreshCount() {
      return tokens.stats.refreshes;
    },
    get tokenStats() {
      return { ...tokens.stats };
    },
    connectCompany: ({ realmId: id, companyName: name } = {}) => {
      const company = addCompany(id ?? String(nextRealm++), name ?? 'Another Company');
      return { realmId: company.realmId, ...tokens.issue(company.realmId) };
    },
    setClock: (source) => clock.set(source),
    advanceClock: (ms) => clock.advance(ms),
    now: () => new Date(clock.now()),
    insert: (type, data, opts) => {
      const company = companyOf(opts);
      return company.render(ledger.create(company, nameOf(type), data, { allowDuplicateDocNum: false }));
    },
    getEntity: (type, id, opts) => {
      const company = companyOf(opts);
      const entity = company.find(nameOf(type), id);
      return entity ? company.render(entity) : undefined;
    },
    entities: (type, opts) => {
      const company = companyOf(opts);
      return company.list(nameOf(type), { includeDeleted: !!opts?.includeDeleted }).map((e) => company.render(e));
    },
    simulateUserEdit: (type, id, changes, opts) => {
      const company = companyOf(opts);
      const entity = ledger.update(company, nameOf(type), { ...changes, Id: id, sparse: true }, { checkSyncToken: false });
      return company.render(entity);
    },
    simulateUserDelete: (type, id, opts) => {
      const company = companyOf(opts);
      const name = nameOf(type);
      const entity = company.get(name, id);
      if (name === 'Customer' || name === 'Item') {
        ledger.update(company, name, { Id: id, Active: false, sparse: true }, { checkSyncToken: false });
      } else {
        ledger.delete(company, name, { Id: id, SyncToken: String(entity.syncToken) });
      }
    },
    simulatePayment: ({ invoiceId, amount, paymentRefNum, realmId: id }) => {
      const company = companyOf({ realmId: id });
      const invoice = company.get('Invoice', invoiceId);
      const payment = ledger.create(company, 'Payment', {
        CustomerRef: invoice.data.CustomerRef,
        TotalAmt: amount,
        ...(paymentRefNum ? { PaymentRefNum: paymentRefNum } : {}),
        Line: [{ Amount: amount, LinkedTxn: [{ TxnId: invoiceId, TxnType: 'Invoice' }] }],
      });
      return company.render(payment);
    },
    registerWebhook: (registration) => webhooks.register(registration),
    flushWebhooks: () => webhooks.flush(),
    get pendingWebhookEvents() {
      return webhooks.pending;
    },
    get changeEvents() {
      return [...changeEvents];
    },
    get requestIdReplays() {
      return ctx.idempotency.hits;
    },
  };
}
