import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { FailureInjector, FakeClock, RequestLog } from '../shared/index.ts';
import type { FailureSpec, LoggedRequest } from '../shared/index.ts';
import { registerApiGate } from './api-gate.ts';
import { registerCompositeRoutes } from './composite-routes.ts';
import { registerOAuthRoutes } from './oauth-routes.ts';
import type { OutboundResult } from './outbound-message.ts';
import { deliverOutboundMessage } from './outbound-message.ts';
import { QueryCursors } from './query-cursors.ts';
import { registerQueryRoutes } from './query-routes.ts';
import { RecordStore } from './record-store.ts';
import type { SalesforceContext, SalesforceEnv } from './salesforce-context.ts';
import { LATEST_API_VERSION } from './salesforce-context.ts';
import { SalesforceError, defaultFailureBody } from './salesforce-error.ts';
import { IdMinter, normalizeId } from './salesforce-ids.ts';
import { registerServiceRoutes } from './service-routes.ts';
import { registerSObjectRoutes } from './sobject-routes.ts';
import type { FieldDef, SObjectSchema } from './sobject-schema.ts';
import { SOBJECT_SCHEMAS } from './sobject-schemas.ts';
import { SoqlEngine } from './soql-engine.ts';
import type { TokenStats } from './token-authority.ts';
import { TokenAuthority } from './token-authority.ts';

export type { FailureSpec, LoggedRequest } from '../shared/index.ts';
export type { OutboundResult } from './outbound-message.ts';
export type { TokenStats } from './token-authority.ts';

export interface SalesforceFakeOptions {
  /** @default 'milestone-hub-client' */
  clientId?: string;
  /** @default 'milestone-hub-secret' */
  clientSecret?: string;
  /** For the OAuth password grant. @default 'integration@milestone-hub.example' */
  username?: string;
  /** Password with security token appended, as the password grant expects. @default 'pass1234token' */
  password?: string;
  /** @default 'http://127.0.0.1/oauth/callback' */
  redirectUri?: string;
  /** Session lifetime. @default 7_200_000 (two hours, Salesforce's default timeout) */
  accessTokenTtlMs?: number;
  /** The org's rolling 24-hour REST allowance. @default 15_000 (Developer Edition) */
  dailyApiRequests?: number;
  /**
   * Largest query batch the fake returns. Salesforce returns at most 2000 (or the 200..2000
   * `batchSize` asked in `Sforce-Query-Options`) and sometimes fewer; lower this to page small data.
   * @default 2000
   */
  queryBatchSize?: number;
  /** Time source. @default the system clock */
  now?: () => Date;
  /** Extra fields per object, e.g. `{ Opportunity: [{ name: 'Region__c', type: 'string' }] }`. */
  extraFields?: Record<string, Array<Partial<FieldDef> & Pick<FieldDef, 'name' | 'type'>>>;
}

export interface OutboundMessageInput {
  /** The listener's endpoint URL. */
  url: string;
  sObject: string;
  /** Field values to send (must include `Id` unless `id` is given), or names of fields to read from record `id`. */
  fields: Record<string, unknown> | string[];
  id?: string;
  /** @default the fake org's id */
  organizationId?: string;
  /** @default one `04k` action id per fake */
  actionId?: string;
  /** Sends a live session id instead of `xsi:nil`, as "Send Session ID" does. */
  includeSessionId?: boolean;
}

export interface SalesforceFake {
  /** Base URL: use it as both `loginUrl` and `instanceUrl`. */
  readonly url: string;
  /** A connected app, a user and a refresh token ready for use. */
  readonly credentials: {
    clientId: string;
    clientSecret: string;
    username: string;
    password: string;
    redirectUri: string;
    refreshToken: string;
    orgId: string;
    userId: string;
  };
  close(): Promise<void>;
  readonly requests: LoggedRequest[];
  clearRequests(): void;
  failNext(spec: FailureSpec): void;
  expireAccessTokens(): void;
  issueRefreshToken(): string;
  issueAccessToken(): string;
  revokeToken(token: string): void;
  /** Successful refresh-token grants so far. */
  readonly tokenRefreshCount: number;
  readonly tokenStats: Readonly<TokenStats>;
  setClock(source: (() => Date) | undefined): void;
  advanceClock(ms: number): void;
  now(): Date;
  /** Seeds a record as if it already existed in the org; returns its 18-character id. */
  insert(type: string, fields: Record<string, unknown>): string;
  /** A record as the REST API renders it, deleted ones included; undefined when unknown. */
  getRecord(type: string, id: string): Record<string, unknown> | undefined;
  records(type: string, options?: { includeDeleted?: boolean }): Array<Record<string, unknown>>;
  /** A change made by a person in Salesforce: another user, bumping LastModifiedDate and SystemModstamp. */
  simulateUserEdit(type: string, id: string, fields: Record<string, unknown>): Record<string, unknown>;
  simulateUserDelete(type: string, id: string): void;
  readonly apiUsage: { used: number; max: number };
  setApiUsage(used: number): void;
  sendOutboundMessage(input: OutboundMessageInput): Promise<OutboundResult>;
}

function withExtraFields(extra: SalesforceFakeOptions['extraFields']): SObjectSchema[] {
  return SOBJECT_SCHEMAS.map((schema) => {
    const added = extra?.[schema.name] ?? [];
    const fields = added.map(
      (f): FieldDef => ({ label: f.name, createable: true, updateable: true, nillable: true, custom: f.name.endsWith('__c'), ...f }),
    );
    return { ...schema, fields: [...schema.fields, ...fields] };
  });
}

function failureResponse(spec: FailureSpec): Response {
  const body = spec.body ?? defaultFailureBody(spec.status);
  const headers: Record<string, string> = {
    'content-type': typeof body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8',
  };
  if (spec.retryAfter !== undefined) headers['retry-after'] = String(spec.retryAfter);
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: spec.status, headers });
}

/**
 * Starts a local Salesforce org on 127.0.0.1 that jsforce cannot tell from the real one: OAuth2
 * token endpoint, REST sObject rows, upsert by external id, describe, SOQL query with cursors,
 * sObject Collections, limits, and outbound messages. Point jsforce at it with
 * `new Connection({ loginUrl: fake.url, instanceUrl: fake.url, oauth2: { loginUrl: fake.url, clientId, clientSecret }, refreshToken })`.
 *
 * @example
 * const sf = await startSalesforceFake();
 * const conn = new Connection({
 *   oauth2: { loginUrl: sf.url, clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret },
 *   instanceUrl: sf.url,
 *   refreshToken: sf.credentials.refreshToken,
 *   version: '58.0',
 * });
 */
export async function startSalesforceFake(options: SalesforceFakeOptions = {}): Promise<SalesforceFake> {
  const {
    clientId = 'milestone-hub-client',
    clientSecret = 'milestone-hub-secret',
    username = 'integration@milestone-hub.example',
    password = 'pass1234token',
    redirectUri = 'http://127.0.0.1/oauth/callback',
    accessTokenTtlMs = 2 * 3600_000,
    dailyApiRequests = 15_000,
    queryBatchSize = 2000,
    now,
    extraFields,
  } = options;
  if (!Number.isInteger(queryBatchSize) || queryBatchSize < 1) throw new Error('queryBatchSize must be a positive integer');
  if (!Number.isInteger(dailyApiRequests) || dailyApiRequests < 1) throw new Error('dailyApiRequests must be a positive integer');

  const clock = new FakeClock();
  if (now) clock.set(now);
  const ids = new IdMinter();
  const store = new RecordStore({ schemas: withExtraFields(extraFields), clock, ids });
  const userSchema = store.requireSchema('User');
  const integrationUser = store.create(userSchema, { Username: username, Email: 'integration@milestone-hub.example', IsActive: true });
  integrationUser.values.Name = 'Integration User';
  const userId = integrationUser.values.Id as string;
  store.defaultUserId = userId;
  const person = store.create(userSchema, { Username: 'asha.rao@milestone-hub.example', Email: 'asha.rao@milestone-hub.example', IsActive: true });
  person.values.Name = 'Asha Rao';
  const personId = person.values.Id as string;
  const orgId = ids.next('00D');
  const actionId = ids.next('04k');

  let baseUrl = '';
  const tokens = new TokenAuthority({
    clock,
    credentials: { clientId, clientSecret, username, password, redirectUri },
    accessTtlMs: accessTokenTtlMs,
    orgId,
    userId,
  });
  const ctx: SalesforceContext = {
    clock,
    ids,
    store,
    soql: new SoqlEngine(store),
    cursors: new QueryCursors({ clock, ids }),
    tokens,
    orgId,
    userId,
    baseUrl: () => baseUrl,
    apiUsage: { used: 0, max: dailyApiRequests },
    queryBatchSize,
  };

  const log = new RequestLog();
  const failures = new FailureInjector();
  const app = new Hono<SalesforceEnv>();

  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? '' : await c.req.text();
    const failure = failures.take(c.req.method, url.pathname);
    let injected: Response | undefined;
    if (failure) injected = failureResponse(failure);
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

  registerOAuthRoutes(app, ctx);
  registerApiGate(app, ctx);
  registerServiceRoutes(app, ctx);
  registerSObjectRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerCompositeRoutes(app, ctx);

  app.notFound(() => {
    const error = new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
    return new Response(JSON.stringify(error.body), { status: 404, headers: { 'content-type': 'application/json;charset=UTF-8' } });
  });
  app.onError((error) => {
    if (error instanceof SalesforceError) {
      const text = typeof error.body === 'string' ? error.body : JSON.stringify(error.body);
      const type = typeof error.body === 'string' ? 'text/plain;charset=UTF-8' : 'application/json;charset=UTF-8';
      return new Response(text, { status: error.status, headers: { 'content-type': type, ...error.headers } });
    }
    const body = [{ message: `An unexpected error occurred: ${error.message}`, errorCode: 'UNKNOWN_EXCEPTION' }];
    return new Response(JSON.stringify(body), { status: 500, headers: { 'content-type': 'application/json;charset=UTF-8' } });
  });

  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const refreshToken = tokens.issueRefreshToken();
  const latest = `${LATEST_API_VERSION}.0`;

  const recordOf = (type: string, id: string) => {
    const schema = store.requireSchema(type);
    const record = store.find(id);
    return record && record.schema === schema ? record : undefined;
  };

  return {
    url: baseUrl,
    credentials: { clientId, clientSecret, username, password, redirectUri, refreshToken, orgId, userId },
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
    issueRefreshToken: () => tokens.issueRefreshToken(),
    issueAccessToken: () => tokens.issueAccessToken(),
    revokeToken: (token) => {
      tokens.revoke(token);
    },
    get tokenRefreshCount() {
      return tokens.stats.refreshes;
    },
    get tokenStats() {
      return { ...tokens.stats };
    },
    setClock: (source) => clock.set(source),
    advanceClock: (ms) => clock.advance(ms),
    now: () => new Date(clock.now()),
    insert: (type, fields) => store.create(store.requireSchema(type), fields, { asUserId: personId }).values.Id as string,
    getRecord: (type, id) => {
      const record = recordOf(type, id);
      return record ? store.render(record, latest) : undefined;
    },
    records: (type, { includeDeleted = false } = {}) =>
      store.list(store.requireSchema(type), { includeDeleted }).map((r) => store.render(r, latest)),
    simulateUserEdit: (type, id, fields) => {
      const record = store.update(store.requireSchema(type), id, fields, { asUserId: personId });
      return store.render(record, latest);
    },
    simulateUserDelete: (type, id) => {
      store.delete(store.requireSchema(type), id);
    },
    get apiUsage() {
      return { ...ctx.apiUsage };
    },
    setApiUsage: (used) => {
      ctx.apiUsage.used = used;
    },
    sendOutboundMessage: async (input) => {
      const schema = store.requireSchema(input.sObject);
      let fields: Record<string, unknown>;
      if (Array.isArray(input.fields)) {
        if (!input.id) throw new Error('sendOutboundMessage: `id` is required when `fields` lists field names');
        const rendered = store.render(store.get(schema, input.id), latest, ['Id', ...input.fields.filter((f) => f !== 'Id')]);
        const { attributes: _attributes, ...values } = rendered;
        fields = values;
      } else {
        const id = input.id ?? input.fields.Id;
        if (typeof id !== 'string' || !normalizeId(id)) throw new Error('sendOutboundMessage: a record Id is required');
        fields = { Id: normalizeId(id), ...input.fields };
      }
      const version = `${LATEST_API_VERSION}.0`;
      return deliverOutboundMessage(input.url, {
        organizationId: input.organizationId ?? orgId,
        actionId: input.actionId ?? actionId,
        ...(input.includeSessionId ? { sessionId: tokens.issueAccessToken() } : {}),
        enterpriseUrl: `${baseUrl}/services/Soap/c/${version}/${orgId.slice(0, 15)}`,
        partnerUrl: `${baseUrl}/services/Soap/u/${version}/${orgId.slice(0, 15)}`,
        notifications: [{ id: ids.random('04l'), sObjectType: schema.name, fields }],
      });
    },
  };
}
