import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthExpiredError,
  createConnectorContext,
  createOutboundHttp,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type ConnectorContext,
  type PullPage,
  type RemoteRecord,
  type WebhookInput,
} from '../../connectors/index.ts';
import { salesforceConnector } from '../../connectors/salesforce/index.ts';
import { buildSalesforceOutboundMessage, verifierFor } from '../../webhooks/verifiers/index.ts';
import { startSalesforceFake, type SalesforceFake, type SalesforceFakeOptions } from '../fakes/salesforce/index.ts';
import { describeConformance } from './conformance.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const API = '62.0';

const opportunity = (name: string, extra: Record<string, unknown> = {}) => ({ Name: name, StageName: 'Prospecting', CloseDate: '2026-12-31', Amount: 250000, ...extra });

const hook = (body: string): WebhookInput => ({
  headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
  rawBody: Buffer.from(body),
  receivedAt: new Date('2026-11-21T10:00:00Z'),
});

describeConformance({
  connector: salesforceConnector,
  holdsCredentials: true,
  setup: async () => {
    const sf = await startSalesforceFake();
    for (let i = 1; i <= 7; i += 1) sf.insert('Opportunity', opportunity(`Milestone ${i}`));
    const changed = sf.records('Opportunity')[1]!.Id as string;
    const message = (id: string) =>
      buildSalesforceOutboundMessage({
        organizationId: sf.credentials.orgId,
        actionId: '04kJ8000000AbCdIAK',
        notifications: [{ id: `04lJ80000${id.slice(-9)}`, sObjectType: 'Opportunity', fields: { Id: id, StageName: 'Closed Won', Amount: 1200.5 } }],
      });
    return {
      config: { instanceUrl: sf.url, loginUrl: sf.url, apiVersion: API, organizationId: sf.credentials.orgId, externalIdField: 'Hub_External_Id__c' },
      credentials: { clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, refreshToken: sf.credentials.refreshToken },
      badCredentials: { clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, refreshToken: 'not-a-refresh-token' },
      pull: {
        object: 'Opportunity',
        expected: 7,
        limit: 3,
        change: () => {
          sf.simulateUserEdit('Opportunity', changed, { NextStep: 'Site visit' });
          return changed;
        },
      },
      push: {
        object: 'Opportunity',
        create: opportunity('Tower C — plinth'),
        update: { StageName: 'Closed Won' },
        count: () => sf.records('Opportunity').length,
      },
      fail: (status, retryAfterSeconds) => sf.failNext({ status, ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }) }),
      webhook: { samples: [hook(message(changed))], invalid: hook('<soapenv:Envelope><unclosed>') },
      teardown: () => sf.close(),
    };
  },
});

const outbound = createOutboundHttp({ allowPrivate: true });
afterAll(() => outbound.close());

let sf: SalesforceFake;

async function start(options: SalesforceFakeOptions = {}): Promise<void> {
  sf = await startSalesforceFake({ now: () => new Date('2026-11-21T10:00:00.000Z'), ...options });
}

afterEach(async () => {
  await sf?.close();
});

function context({
  config = {},
  credentials = {},
  saved = [],
}: { config?: Record<string, unknown>; credentials?: Record<string, unknown>; saved?: Record<string, unknown>[] } = {}): ConnectorContext {
  const made = createConnectorContext({
    connector: salesforceConnector,
    config: { instanceUrl: sf.url, loginUrl: sf.url, apiVersion: API, organizationId: sf.credentials.orgId, externalIdField: 'Hub_External_Id__c', ...config },
    credentials: { clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret, refreshToken: sf.credentials.refreshToken, ...credentials },
    fetch: outbound.fetch,
    logger: silent,
    now: () => sf.now(),
    saveCredentials: async (c) => void saved.push(c as Record<string, unknown>),
    connectionId: 'conn_sf',
    tenantId: 'tn_1',
  });
  if (!made.ok) throw new Error(`${made.error}: ${JSON.stringify(made.issues)}`);
  return made.context;
}

async function sweep(ctx: ConnectorContext, object: string, cursor: string | null, limit = 200) {
  const records: RemoteRecord[] = [];
  const pages: PullPage[] = [];
  for (;;) {
    const page = await salesforceConnector.pull!(ctx, { object, cursor, limit });
    pages.push(page);
    records.push(...page.records);
    cursor = page.nextCursor;
    if (page.done) return { records, cursor, pages: pages.length };
    if (pages.length > 50) throw new Error('runaway pull');
  }
}

const failureOf = async (promise: Promise<unknown>): Promise<unknown> => promise.then(
  () => {
    throw new Error('expected the call to fail');
  },
  (err: unknown) => err,
);

describe('salesforce connector: polling by SystemModstamp', () => {
  beforeEach(() => start({ queryBatchSize: 2 }));

  it('picks up only what changed since the cursor, paging through query cursors', async () => {
    const ids = ['A', 'B', 'C', 'D', 'E'].map((n) => sf.insert('Opportunity', opportunity(`Milestone ${n}`)));
    sf.advanceClock(10_000);
    const ctx = context();

    const first = await sweep(ctx, 'Opportunity', null, 4);
    expect(first.records.map((r) => r.id)).toEqual(ids);
    expect(first.pages).toBeGreaterThan(2);
    expect(first.records[0]).toMatchObject({ version: '2026-11-21T10:00:00.000Z', updatedAt: '2026-11-21T10:00:00.000Z', data: { Name: 'Milestone A', StageName: 'Prospecting' } });
    expect(sf.requests.some((r) => /\/query\/01g/.test(r.path))).toBe(true);

    sf.advanceClock(60_000);
    const quiet = await sweep(ctx, 'Opportunity', first.cursor);
    expect(quiet.records).toEqual([]);

    sf.advanceClock(30_000);
    sf.simulateUserEdit('Opportunity', ids[2]!, { StageName: 'Closed Won' });
    sf.advanceClock(10_000);
    const changed = await sweep(ctx, 'Opportunity', quiet.cursor);
    expect(changed.records.map((r) => [r.id, r.data.StageName, r.version])).toEqual([[ids[2], 'Closed Won', '2026-11-21T10:01:40.000Z']]);

    sf.advanceClock(60_000);
    expect((await sweep(ctx, 'Opportunity', changed.cursor)).records).toEqual([]);
    const soql = sf.requests.filter((r) => r.path.endsWith('/queryAll')).map((r) => r.query.q);
    expect(soql.at(-1)).toBe('SELECT FIELDS(ALL) FROM Opportunity WHERE SystemModstamp >= 2026-11-21T10:01:40Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 200');
  });

  it('does not lose a second edit made in the same second as the sweep, and stops repeating once the second is over', async () => {
    const ctx = context();
    const id = sf.insert('Opportunity', opportunity('Slab'));
    const first = await sweep(ctx, 'Opportunity', null);
    expect(first.records.map((r) => r.id)).toEqual([id]);

    sf.simulateUserEdit('Opportunity', id, { NextStep: 'Pour concrete' });
    const again = await sweep(ctx, 'Opportunity', first.cursor);
    expect(again.records.map((r) => [r.id, r.data.NextStep])).toEqual([[id, 'Pour concrete']]);

    sf.advanceClock(10_000);
    const settled = await sweep(ctx, 'Opportunity', again.cursor);
    expect(settled.records.map((r) => r.id)).toEqual([id]);
    expect((await sweep(ctx, 'Opportunity', settled.cursor)).records).toEqual([]);
  });

  it('continues past a full page of records stamped in the same second', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => sf.insert('Opportunity', opportunity(`Same second ${i}`)));
    sf.advanceClock(60_000);
    const ctx = context();
    const first = await sweep(ctx, 'Opportunity', null, 3);
    expect(first.records.map((r) => r.id)).toEqual(ids);
    expect((await sweep(ctx, 'Opportunity', first.cursor, 3)).records).toEqual([]);
  });

  it('reports deletions from the recycle bin, and starts from a given instant', async () => {
    const keep = sf.insert('Opportunity', opportunity('Keep'));
    const drop = sf.insert('Opportunity', opportunity('Drop'));
    sf.advanceClock(10_000);
    const ctx = context();
    const first = await sweep(ctx, 'Opportunity', null);
    sf.advanceClock(60_000);
    sf.simulateUserDelete('Opportunity', drop);
    sf.advanceClock(10_000);
    const after = await sweep(ctx, 'Opportunity', first.cursor);
    expect(after.records).toEqual([expect.objectContaining({ id: drop, deleted: true })]);

    const since = await salesforceConnector.pull!(ctx, { object: 'Opportunity', cursor: null, since: '2026-11-21T10:00:30.000Z' });
    expect(since.records.map((r) => r.id)).toEqual([drop]);
    expect(keep).not.toBe(drop);
  });

  it('recovers when an idle query cursor has expired', async () => {
    const ids = ['A', 'B', 'C', 'D', 'E'].map((n) => sf.insert('Opportunity', opportunity(n)));
    const ctx = context();
    const page = await salesforceConnector.pull!(ctx, { object: 'Opportunity', cursor: null, limit: 5 });
    expect(page.done).toBe(false);
    sf.advanceClock(16 * 60_000);
    const rest = await sweep(ctx, 'Opportunity', page.nextCursor, 5);
    expect([...page.records, ...rest.records].map((r) => r.id)).toEqual(ids);
  });
});

describe('salesforce connector: idempotent writes', () => {
  beforeEach(() => start());

  it('upserts a create on the external id: the same key twice makes one record', async () => {
    const ctx = context();
    const first = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower B'), idempotencyKey: 'ms_01HZX:create' });
    sf.clearRequests();
    const again = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower B'), idempotencyKey: 'ms_01HZX:create' });

    expect(again).toEqual(first);
    expect(first).toMatchObject({ id: expect.stringMatching(/^006/), version: '2026-11-21T10:00:00.000Z', data: { Hub_External_Id__c: 'ms_01HZX:create', Name: 'Tower B' } });
    expect(sf.records('Opportunity')).toHaveLength(1);
    expect(sf.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('upserts on a mapped external id, on a custom milestone object', async () => {
    await sf.close();
    await start({ extraFields: { Account: [{ name: 'Hub_Milestone_Id__c', type: 'string', externalId: true, unique: true }] } });
    const ctx = context({ config: { milestoneObject: 'Milestone__c', externalIdField: 'Hub_Milestone_Id__c', extraFields: { Milestone__c: { Status__c: 'string', Amount__c: 'number' } } } });
    expect(Object.keys(salesforceConnector.objects(ctx.config))).toEqual(['Milestone__c', 'Account']);
    expect(salesforceConnector.objectSchema(ctx.config, 'Milestone__c')?.properties.Status__c).toEqual({ type: 'string' });

    const data = { Hub_Milestone_Id__c: 'ms_42', Name: 'Slab casting', Status__c: 'Planned', Amount__c: 120000.5 };
    const created = await salesforceConnector.push!(ctx, { object: 'Milestone__c', op: 'create', data, idempotencyKey: 'job-1' });
    const replayed = await salesforceConnector.push!(ctx, { object: 'Milestone__c', op: 'create', data, idempotencyKey: 'job-2' });
    expect(replayed.id).toBe(created.id);
    expect(sf.records('Milestone__c')).toEqual([expect.objectContaining({ Hub_Milestone_Id__c: 'ms_42', Amount__c: 120000.5 })]);
    expect(sf.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/services/data/v${API}/sobjects/Milestone__c/Hub_Milestone_Id__c/ms_42`]);
  });

  it('stamps and checks an idempotency marker when the object has no external id field', async () => {
    const ctx = context({ config: { externalIdField: undefined, idempotencyField: 'Hub_External_Id__c' } });
    const key = 'sync-out/milestone/ms_7/create with spaces';
    const first = await salesforceConnector.push!(ctx, { object: 'Account', op: 'create', data: { Name: 'Acme Infra' }, idempotencyKey: key });
    const again = await salesforceConnector.push!(ctx, { object: 'Account', op: 'create', data: { Name: 'Acme Infra' }, idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(sf.records('Account')).toEqual([expect.objectContaining({ Name: 'Acme Infra', Hub_External_Id__c: expect.stringMatching(/^h_[A-Za-z0-9_-]{43}$/) })]);
  });

  it('writes only fields that differ, so a repeated update is a no-op; deletes are idempotent', async () => {
    const ctx = context();
    const { id } = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower D'), idempotencyKey: 'k1' });
    sf.advanceClock(5000);
    sf.clearRequests();
    const updated = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { StageName: 'Closed Won', Amount: 250000 }, idempotencyKey: 'k2' });
    expect(updated).toMatchObject({ id, version: '2026-11-21T10:00:05.000Z', data: { StageName: 'Closed Won', IsWon: true } });
    expect(sf.requests.filter((r) => r.method === 'PATCH').map((r) => JSON.parse(r.body) as unknown)).toEqual([{ StageName: 'Closed Won' }]);

    sf.advanceClock(5000);
    const again = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { StageName: 'Closed Won' }, idempotencyKey: 'k2' });
    expect(again).toEqual(updated);

    expect(await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'delete', id, idempotencyKey: 'k3' })).toEqual({ id });
    expect(await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'delete', id, idempotencyKey: 'k3' })).toEqual({ id });
    expect(await salesforceConnector.get!(ctx, { object: 'Opportunity', id })).toBeNull();
    const gone = await failureOf(salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { Name: 'x' }, idempotencyKey: 'k4' }));
    expect(gone).toBeInstanceOf(UnrecoverableVendorError);
  });
});

describe('salesforce connector: pushes without read-back', () => {
  beforeEach(() => start());

  /** The requests the fake answered since the last clear, as `METHOD path`, with the SOQL of each query. */
  const sent = () => sf.requests.map((r) => `${r.method} ${r.path.replace(`/services/data/v${API}`, '')}${r.query.q === undefined ? '' : ` ${r.query.q.split(' WHERE ')[1]!.split(' ')[0]!}`}`);

  it('sends no query after a create or an update when the caller says readBack: false, and answers with the id alone', async () => {
    const ctx = context();
    // The first push refreshes the session; a read-back create reads the record again.
    const read = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower E'), idempotencyKey: 'ms_e:create' });
    expect(read).toMatchObject({ id: expect.stringMatching(/^006/), version: '2026-11-21T10:00:00.000Z', data: { Name: 'Tower E' } });
    sf.clearRequests();

    const created = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower F'), idempotencyKey: 'ms_f:create', readBack: false });
    const id = sf.records('Opportunity').find((r) => r.Name === 'Tower F')!.Id as string;
    expect(created).toEqual({ id });
    expect(sent()).toEqual(['GET /query Hub_External_Id__c', 'PATCH /sobjects/Opportunity/Hub_External_Id__c/ms_f%3Acreate']);

    sf.clearRequests();
    const replayed = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Tower F'), idempotencyKey: 'ms_f:create', readBack: false });
    expect(replayed).toEqual({ id });
    expect(sent()).toEqual(['GET /query Hub_External_Id__c']);

    sf.advanceClock(5000);
    sf.clearRequests();
    const updated = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { StageName: 'Closed Won' }, idempotencyKey: 'ms_f:update', readBack: false });
    expect(updated).toEqual({ id });
    expect(sent()).toEqual(['GET /query Id', `PATCH /sobjects/Opportunity/${id}`]);
    expect(sf.getRecord('Opportunity', id)).toMatchObject({ StageName: 'Closed Won', SystemModstamp: '2026-11-21T10:00:05.000+0000' });

    sf.clearRequests();
    expect(await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { StageName: 'Closed Won' }, idempotencyKey: 'ms_f:update', readBack: false })).toEqual({ id });
    expect(sent()).toEqual(['GET /query Id']);

    // Without the flag the update is read back, as before.
    sf.clearRequests();
    const back = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'update', id, data: { NextStep: 'Handover' }, idempotencyKey: 'ms_f:update:2' });
    expect(back).toMatchObject({ id, version: '2026-11-21T10:00:05.000Z', data: { NextStep: 'Handover' } });
    expect(sent()).toEqual(['GET /query Id', `PATCH /sobjects/Opportunity/${id}`, 'GET /query Id']);
  });

  it('skips the read-back of a create stamped with a marker field, or made with no idempotency field at all', async () => {
    const marked = context({ config: { externalIdField: undefined, idempotencyField: 'Hub_External_Id__c' } });
    await salesforceConnector.push!(marked, { object: 'Account', op: 'create', data: { Name: 'Warm-up' }, idempotencyKey: 'warm-up' });
    sf.clearRequests();
    const first = await salesforceConnector.push!(marked, { object: 'Account', op: 'create', data: { Name: 'Acme Infra' }, idempotencyKey: 'acct-1', readBack: false });
    expect(first).toEqual({ id: sf.records('Account').find((r) => r.Name === 'Acme Infra')!.Id });
    expect(sent()).toEqual(['GET /query Hub_External_Id__c', 'POST /sobjects/Account']);

    const plain = context({ config: { externalIdField: undefined } });
    await salesforceConnector.push!(plain, { object: 'Account', op: 'create', data: { Name: 'Warm-up 2' }, idempotencyKey: 'warm-up-2' });
    sf.clearRequests();
    const second = await salesforceConnector.push!(plain, { object: 'Account', op: 'create', data: { Name: 'Beta Builders' }, idempotencyKey: 'acct-2', readBack: false });
    expect(second).toEqual({ id: sf.records('Account').find((r) => r.Name === 'Beta Builders')!.Id });
    expect(sent()).toEqual(['POST /sobjects/Account']);
  });
});

describe('salesforce connector: tokens', () => {
  beforeEach(() => start());

  it('refreshes an expired access token exactly once for concurrent calls, and stores it', async () => {
    const saved: Record<string, unknown>[] = [];
    const warm = context({ saved });
    const { id } = await salesforceConnector.push!(warm, { object: 'Opportunity', op: 'create', data: opportunity('Refresh me'), idempotencyKey: 'r1' });
    expect(saved).toHaveLength(1);
    const accessToken = saved[0]!.accessToken as string;
    expect(accessToken).toMatch(/^00D/);

    sf.expireAccessTokens();
    const before = sf.tokenRefreshCount;
    const later: Record<string, unknown>[] = [];
    const ctx = context({ credentials: { accessToken }, saved: later });
    const [page, read, checked] = await Promise.all([
      salesforceConnector.pull!(ctx, { object: 'Opportunity', cursor: null }),
      salesforceConnector.get!(ctx, { object: 'Opportunity', id }),
      salesforceConnector.check(ctx),
    ]);
    expect(page.records).toHaveLength(1);
    expect(read?.id).toBe(id);
    expect(checked).toMatchObject({ ok: true });
    expect(sf.tokenRefreshCount - before).toBe(1);
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ refreshToken: sf.credentials.refreshToken, accessToken: expect.not.stringMatching(accessToken) });
    expect(ctx.credentials).toEqual(later[0]);
  });

  it('raises AuthExpiredError when the refresh token was revoked, and check() says auth_failed', async () => {
    sf.revokeToken(sf.credentials.refreshToken);
    const ctx = context();
    const err = await failureOf(salesforceConnector.pull!(ctx, { object: 'Account', cursor: null }));
    expect(err).toBeInstanceOf(AuthExpiredError);
    expect((err as Error).message).toContain('invalid_grant');
    expect(await salesforceConnector.check(context())).toMatchObject({ ok: false, code: 'auth_failed' });
  });

  it('gives up with AuthExpiredError when the refreshed session is refused too', async () => {
    const ctx = context();
    await salesforceConnector.check(ctx);
    const before = sf.tokenRefreshCount;
    sf.failNext({ status: 401, count: 2, path: '/query' });
    expect(await failureOf(salesforceConnector.pull!(ctx, { object: 'Account', cursor: null }))).toBeInstanceOf(AuthExpiredError);
    expect(sf.tokenRefreshCount - before).toBe(1);
  });
});

describe('salesforce connector: vendor failures', () => {
  beforeEach(() => start());

  it('maps 429 and the daily allowance to RateLimitedError, 400 codes to Unrecoverable, lock contention and 5xx to Transient', async () => {
    const ctx = context();
    await salesforceConnector.check(ctx);

    sf.failNext({ status: 429, retryAfter: 30, path: '/query' });
    const limited = await failureOf(salesforceConnector.pull!(ctx, { object: 'Account', cursor: null }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 30_000, status: 429 });

    const missing = await failureOf(salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: { Name: 'No stage' }, idempotencyKey: 'bad-1' }));
    expect(missing).toBeInstanceOf(UnrecoverableVendorError);
    expect(missing).toMatchObject({ status: 400, message: expect.stringContaining('REQUIRED_FIELD_MISSING') });
    const field = await failureOf(salesforceConnector.push!(ctx, { object: 'Account', op: 'create', data: { Name: 'X', Colour__c: 'red' }, idempotencyKey: 'bad-2' }));
    expect(field).toMatchObject({ status: 400, message: expect.stringContaining('INVALID_FIELD') });

    const { id } = await salesforceConnector.push!(ctx, { object: 'Account', op: 'create', data: { Name: 'Locked' }, idempotencyKey: 'ok-1' });
    sf.failNext({ status: 400, method: 'PATCH', body: [{ message: 'unable to obtain exclusive access to this record', errorCode: 'UNABLE_TO_LOCK_ROW' }] });
    const locked = await failureOf(salesforceConnector.push!(ctx, { object: 'Account', op: 'update', id, data: { Phone: '1' }, idempotencyKey: 'ok-2' }));
    expect(locked).toBeInstanceOf(TransientVendorError);

    sf.failNext({ status: 503, retryAfter: 5 });
    expect(await failureOf(salesforceConnector.get!(ctx, { object: 'Account', id }))).toMatchObject({ name: 'TransientVendorError', retryAfterMs: 5000 });

    sf.setApiUsage(sf.apiUsage.max);
    const daily = await failureOf(salesforceConnector.get!(ctx, { object: 'Account', id }));
    expect(daily).toBeInstanceOf(RateLimitedError);
    expect(daily).toMatchObject({ status: 403 });
  });

  it('check() proves the configured fields exist', async () => {
    expect(await salesforceConnector.check(context())).toMatchObject({ ok: true, message: expect.stringContaining('daily API requests left') });
    expect(await salesforceConnector.check(context({ config: { externalIdField: 'Nope__c' } }))).toMatchObject({ ok: false, code: 'misconfigured' });
    expect(await salesforceConnector.check(context({ config: { milestoneObject: 'Invoice__c' } }))).toMatchObject({ ok: false, code: 'misconfigured' });
    expect(await salesforceConnector.check(context({ config: { extraFields: { Account: { Region__c: 'string' } } } }))).toMatchObject({ ok: false, code: 'misconfigured' });
  });

  it('refuses a config that cannot work, and declares its limits as data', () => {
    const base = { instanceUrl: 'https://acme.my.salesforce.com', organizationId: '00DJ8000000AbCd' };
    expect(salesforceConnector.parseConfig(base)).toMatchObject({ ok: true, value: { loginUrl: 'https://login.salesforce.com', apiVersion: '62.0', milestoneObject: 'Opportunity' } });
    expect(salesforceConnector.parseConfig({ ...base, apiVersion: '48.0' }).ok).toBe(false);
    expect(salesforceConnector.parseConfig({ ...base, milestoneObject: 'Milestone' }).ok).toBe(false);
    expect(salesforceConnector.parseConfig({ ...base, externalIdField: 'Hub_Id__c', idempotencyField: 'Marker__c' }).ok).toBe(false);
    expect(salesforceConnector.rateLimits(salesforceConnector.parseConfig(base).ok ? (salesforceConnector.parseConfig(base) as { value: unknown }).value : undefined)).toEqual([
      expect.objectContaining({ requests: 100_000, perSeconds: 86_400, scope: 'account' }),
    ]);
  });
});

describe('salesforce connector: outbound messages', () => {
  let listener: ReturnType<typeof createServer>;
  let received: Array<{ body: Buffer; url: string }>;
  let url: string;

  beforeAll(async () => {
    received = [];
    listener = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), url: req.url ?? '' });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>');
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/webhooks/conn_sf?token=sf-shared-token`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });
  beforeEach(() => start());

  it('parses a verified outbound message into one typed change per notification', async () => {
    const ctx = context();
    const { id } = await salesforceConnector.push!(ctx, { object: 'Opportunity', op: 'create', data: opportunity('Notify me', { Amount: 999.5 }), idempotencyKey: 'n1' });
    const sent = await sf.sendOutboundMessage({ url, sObject: 'Opportunity', id, fields: ['Name', 'StageName', 'Amount', 'IsClosed', 'SystemModstamp'] });
    expect(sent.acked).toBe(true);
    const { body } = received.at(-1)!;

    const settings = salesforceConnector.webhookSettings(ctx.config)!;
    expect(settings).toEqual({ scheme: 'salesforce-outbound', options: { organizationId: sf.credentials.orgId } });
    const verified = verifierFor(settings.scheme)!.verify({ rawBody: body, headers: {}, url, secrets: [{ value: 'sf-shared-token' }], now: new Date(), options: settings.options });
    expect(verified).toMatchObject({ ok: true, eventId: sent.notificationIds[0] });

    const parsed = await salesforceConnector.parseWebhook!({ headers: {}, rawBody: body, receivedAt: new Date() }, ctx.config);
    expect(parsed).toEqual({
      ok: true,
      changes: [
        {
          eventId: sent.notificationIds[0],
          type: 'outbound_message',
          object: 'Opportunity',
          id,
          occurredAt: '2026-11-21T10:00:00.000Z',
          data: {
            organizationId: sf.credentials.orgId,
            actionId: expect.stringMatching(/^04k/),
            sObjectType: 'Opportunity',
            fields: { Id: id, Name: 'Notify me', StageName: 'Prospecting', Amount: 999.5, IsClosed: false, SystemModstamp: '2026-11-21T10:00:00.000+0000' },
          },
        },
      ],
    });
  });

  it('names no object for sObjects it does not sync, keeps nil fields as null, and refuses bodies it cannot read', async () => {
    const ctx = context();
    const body = buildSalesforceOutboundMessage({
      organizationId: sf.credentials.orgId,
      actionId: '04kJ8000000AbCdIAK',
      notifications: [
        { id: '04lJ8000000AAAAIA1', sObjectType: 'Contact', fields: { Id: '003J8000000AbCdIAK', Email: 'a@b.in' } },
        { id: '04lJ8000000AAAAIA2', sObjectType: 'Account', fields: { Id: '001J8000000AbCdIAK', Name: 'A & B <co>', Phone: null } },
      ],
    });
    const parsed = await salesforceConnector.parseWebhook!(hook(body), ctx.config);
    expect(parsed.ok && parsed.changes.map((c) => [c.object, c.id, (c.data as { fields: unknown }).fields])).toEqual([
      [undefined, '003J8000000AbCdIAK', { Id: '003J8000000AbCdIAK', Email: 'a@b.in' }],
      ['Account', '001J8000000AbCdIAK', { Id: '001J8000000AbCdIAK', Name: 'A & B <co>', Phone: null }],
    ]);
    for (const bad of ['', 'not xml', '<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', '<Envelope><Body></Body></Envelope>', body.replace('<sf:Id>003J8000000AbCdIAK</sf:Id>', '')]) {
      expect((await salesforceConnector.parseWebhook!(hook(bad), ctx.config)).ok, bad.slice(0, 40)).toBe(false);
    }
  });
});
