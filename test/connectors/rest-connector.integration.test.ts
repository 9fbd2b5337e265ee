import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthExpiredError,
  createConnectorContext,
  createOutboundHttp,
  RateLimitedError,
  restConnector,
  TransientVendorError,
  UnrecoverableVendorError,
  type ConnectorContext,
  type RemoteRecord,
} from '../../connectors/index.ts';
import { startRestFake, type RestFake } from '../fakes/rest/index.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const outbound = createOutboundHttp({ allowPrivate: true });
let fake: RestFake;

beforeAll(async () => {
  fake = await startRestFake();
});
afterAll(async () => {
  outbound.close();
  await fake.close();
});

function context(config: Record<string, unknown>, credentials: Record<string, unknown>, saved: Record<string, unknown>[] = []): ConnectorContext {
  const made = createConnectorContext({
    connector: restConnector,
    config,
    credentials,
    fetch: outbound.fetch,
    logger: silent,
    saveCredentials: async (c) => void saved.push(c as Record<string, unknown>),
  });
  if (!made.ok) throw new Error(`${made.error}: ${JSON.stringify(made.issues)}`);
  return made.context;
}

async function sweep(ctx: ConnectorContext, object: string, cursor: string | null, limit: number) {
  const records: RemoteRecord[] = [];
  let pages = 0;
  for (;;) {
    const page = await restConnector.pull!(ctx, { object, cursor, limit });
    pages += 1;
    records.push(...page.records);
    cursor = page.nextCursor;
    if (page.done) return { records, cursor, pages };
    if (pages > 50) throw new Error('runaway');
  }
}

const example = (name: string) => structuredClone(restConnector.examples().find((e) => e.name === name)!.config) as Record<string, any>;

const contactsConfig = (extra: Record<string, unknown> = {}) => ({
  baseUrl: `${fake.url}/api`,
  auth: { type: 'header' },
  objects: {
    contacts: {
      path: '/contacts',
      idField: 'id',
      updatedField: 'updated_at',
      listPath: 'data',
      pagination: { type: 'cursor', cursorParam: 'cursor', limitParam: 'limit', nextCursorPath: 'meta.next_cursor' },
      updatedSinceParam: 'updated_since',
      fields: { id: { type: 'string', readOnly: true }, name: { type: 'string' }, email: { type: 'string' }, phone: { type: 'string' }, updated_at: { type: 'date', readOnly: true } },
    },
  },
  ...extra,
});
const apiKey = { name: 'Authorization', value: 'Bearer fake-api-key' };

describe('rest connector: cursor pagination and updated-since', () => {
  it('pages with the cursor, then a later sweep asks only for what changed since the newest update seen', async () => {
    const ids = fake.seed('contacts', Array.from({ length: 5 }, (_, i) => ({ name: `Person ${i}`, email: `p${i}@example.in` })));
    const ctx = context(contactsConfig(), apiKey);
    const first = await sweep(ctx, 'contacts', null, 2);
    expect(first.pages).toBe(3);
    expect(first.records.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    expect(first.records[0]).toMatchObject({ id: ids[0], updatedAt: expect.stringMatching(/Z$/), version: expect.any(String), data: { name: 'Person 0' } });
    const listCalls = fake.requests.filter((r) => r.path === '/api/contacts');
    expect(listCalls.at(-1)!.query).toEqual(expect.arrayContaining([['limit', '2'], ['cursor', expect.any(String)]]));

    fake.edit('contacts', ids[1]!, { phone: '+91 98450 00001' });
    const second = await sweep(ctx, 'contacts', first.cursor, 2);
    const since = fake.requests.filter((r) => r.path === '/api/contacts').at(-1)!.query.find(([k]) => k === 'updated_since');
    expect(since?.[1]).toBe(first.records.at(-1)!.updatedAt);
    // Inclusive filter: the boundary record comes again (at-least-once), then the change.
    expect(second.records.map((r) => r.id)).toEqual([ids[4], ids[1]]);
    expect(second.records[1]!.data).toMatchObject({ phone: '+91 98450 00001' });
    const third = await sweep(ctx, 'contacts', second.cursor, 2);
    expect(third.records.map((r) => r.id)).toEqual([ids[1]]);
  });

  it('starts from `since` on a first pull and refuses a cursor it did not make', async () => {
    const ctx = context(contactsConfig(), apiKey);
    const page = await restConnector.pull!(ctx, { object: 'contacts', cursor: null, limit: 100, since: '2999-01-01T00:00:00.000Z' });
    expect(page).toMatchObject({ records: [], done: true });
    await expect(restConnector.pull!(ctx, { object: 'contacts', cursor: 'garbage', limit: 1 })).rejects.toBeInstanceOf(UnrecoverableVendorError);
  });

  it('creates, updates, reads and deletes, sending the idempotency key in the configured header', async () => {
    const ctx = context(contactsConfig({ idempotencyHeader: 'X-Request-Key' }), apiKey);
    const created = await restConnector.push!(ctx, { object: 'contacts', op: 'create', data: { name: 'Meera Nair' }, idempotencyKey: 'job-1' });
    expect(fake.requests.at(-1)!.headers['x-request-key']).toBe('job-1');
    const updated = await restConnector.push!(ctx, { object: 'contacts', op: 'update', id: created.id, data: { email: 'meera@example.in' }, idempotencyKey: 'job-2' });
    expect(updated).toMatchObject({ id: created.id, data: { name: 'Meera Nair', email: 'meera@example.in' } });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/api/contacts/${created.id}` });
    expect((await restConnector.get!(ctx, { object: 'contacts', id: created.id }))?.data).toMatchObject({ email: 'meera@example.in' });
    expect(await restConnector.push!(ctx, { object: 'contacts', op: 'delete', id: created.id, idempotencyKey: 'job-3' })).toEqual({ id: created.id });
    expect(await restConnector.get!(ctx, { object: 'contacts', id: created.id })).toBeNull();
    // Deleting what is already gone succeeds: a retried delete must not fail.
    expect(await restConnector.push!(ctx, { object: 'contacts', op: 'delete', id: created.id, idempotencyKey: 'job-4' })).toEqual({ id: created.id });
    const noKeys = context(contactsConfig({ idempotencyHeader: false }), apiKey);
    await restConnector.push!(noKeys, { object: 'contacts', op: 'create', data: { name: 'No Key' }, idempotencyKey: 'job-5' });
    expect(fake.requests.at(-1)!.headers['idempotency-key']).toBeUndefined();
  });

  it('maps 429 with Retry-After, 400, 5xx and refused keys to the named errors', async () => {
    const ctx = context(contactsConfig(), apiKey);
    fake.failNext({ status: 429, retryAfter: '12' });
    const limited = await restConnector.pull!(ctx, { object: 'contacts', cursor: null }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(12_000);
    const invalid = await restConnector.push!(ctx, { object: 'contacts', op: 'create', data: { email: 'no-name@example.in' }, idempotencyKey: 'k-400' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(UnrecoverableVendorError);
    expect(invalid).toMatchObject({ status: 400, body: expect.stringContaining('name is required') });
    fake.failNext({ status: 502 });
    await expect(restConnector.pull!(ctx, { object: 'contacts', cursor: null })).rejects.toBeInstanceOf(TransientVendorError);
    const wrongKey = context(contactsConfig(), { name: 'Authorization', value: 'Bearer wrong' });
    await expect(restConnector.pull!(wrongKey, { object: 'contacts', cursor: null })).rejects.toBeInstanceOf(AuthExpiredError);
    expect(await restConnector.check(wrongKey)).toMatchObject({ ok: false, code: 'auth_failed' });
    expect(await restConnector.check(ctx)).toMatchObject({ ok: true });
  });

  it('authenticates with HTTP Basic', async () => {
    const ctx = context(contactsConfig({ auth: { type: 'basic' } }), { username: 'hub', password: 'fake-password' });
    expect(await restConnector.check(ctx)).toEqual({ ok: true, message: 'GET /contacts answered 200' });
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Basic');
    expect(await restConnector.check(context(contactsConfig({ auth: { type: 'basic' } }), { username: 'hub', password: 'nope' }))).toMatchObject({ ok: false, code: 'auth_failed' });
  });
});

describe('rest connector: OAuth2 client credentials', () => {
  const oauthConfig = (extra: Record<string, unknown> = {}) => contactsConfig({ auth: { type: 'oauth2-client-credentials', tokenUrl: fake.tokenUrl, scope: 'contacts.read contacts.write', ...extra } });
  const client = { clientId: 'fake-client', clientSecret: 'fake-client-secret' };

  it('gets one token, caches it in the credentials for every later call and context, and renews it once after a 401', async () => {
    const saved: Record<string, unknown>[] = [];
    const before = fake.tokensIssued;
    const ctx = context(oauthConfig(), client, saved);
    await restConnector.check(ctx);
    await restConnector.pull!(ctx, { object: 'contacts', cursor: null, limit: 1 });
    expect(fake.tokensIssued).toBe(before + 1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ ...client, accessToken: expect.stringMatching(/^fat_/), accessTokenExpiresAt: expect.any(String) });
    const tokenCall = fake.requests.filter((r) => r.path === '/oauth/token').at(-1)!;
    expect(tokenCall.headers.authorization).toBe('Basic');

    // Another worker starts from the stored credentials: no new token.
    const later = context(oauthConfig(), saved[0]!, saved);
    await restConnector.check(later);
    expect(fake.tokensIssued).toBe(before + 1);

    fake.expireTokens();
    expect(await restConnector.check(later)).toMatchObject({ ok: true });
    expect(fake.tokensIssued).toBe(before + 2);
    expect(saved).toHaveLength(2);
    expect(saved[1]!.accessToken).not.toBe(saved[0]!.accessToken);
  });

  it('sends the client in the form body when configured, and reports a refused client as auth_failed', async () => {
    const ctx = context(oauthConfig({ clientAuthentication: 'body' }), client);
    expect(await restConnector.check(ctx)).toMatchObject({ ok: true });
    expect(fake.requests.filter((r) => r.path === '/oauth/token').at(-1)!.headers.authorization).toBeUndefined();
    const bad = context(oauthConfig(), { clientId: 'fake-client', clientSecret: 'wrong' });
    const result = await restConnector.check(bad);
    expect(result).toEqual({ ok: false, code: 'auth_failed', message: 'the token endpoint refused the client credentials (401 invalid_client)' });
    await expect(restConnector.pull!(bad, { object: 'contacts', cursor: null })).rejects.toBeInstanceOf(AuthExpiredError);
  });
});

describe('rest connector: the shipped Zoho Books-style example against the fake', () => {
  let config: Record<string, any>;
  beforeEach(() => {
    config = example('zoho-books');
    config.baseUrl = `${fake.url}/books/v3`;
    config.query = [{ name: 'organization_id', value: fake.organizationId }];
  });
  const zohoKey = { name: 'Authorization', value: 'Zoho-oauthtoken fake-api-key' };

  it('pages with page/per_page until has_more_page is false, reading +0530 times as UTC', async () => {
    const ids = fake.seed('invoices', Array.from({ length: 5 }, (_, i) => ({ customer_id: '982000000567001', reference_number: `MS-${i}`, line_items: [{ name: 'Milestone', rate: 1000 * (i + 1), quantity: 1 }] })));
    const ctx = context(config, zohoKey);
    const all = await sweep(ctx, 'invoices', null, 2);
    expect(all.pages).toBe(3);
    expect(all.records.map((r) => r.id)).toEqual(ids);
    const pageCalls = fake.requests.filter((r) => r.path === '/books/v3/invoices').slice(-3);
    expect(pageCalls.map((r) => r.query.find(([k]) => k === 'page')?.[1])).toEqual(['1', '2', '3']);
    expect(pageCalls[0]!.query).toEqual(expect.arrayContaining([['organization_id', fake.organizationId], ['per_page', '2'], ['sort_column', 'last_modified_time']]));
    const stored = fake.record('invoices', ids[0]!)!;
    expect(all.records[0]!.updatedAt).toBe(new Date(Math.floor(stored.updatedAt.getTime() / 1000) * 1000).toISOString());
    expect(all.records[0]!.data).toMatchObject({ invoice_id: ids[0], total: 1000, last_modified_time: expect.stringMatching(/\+0530$/) });

    fake.edit('invoices', ids[2]!, { notes: 'revised' });
    const changes = await sweep(ctx, 'invoices', all.cursor, 200);
    expect(changes.records.map((r) => r.id)).toContain(ids[2]);
    expect(fake.requests.filter((r) => r.path === '/books/v3/invoices').at(-1)!.query.find(([k]) => k === 'last_modified_time')?.[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('creates with POST and updates with PUT, reading records from their `invoice` envelope', async () => {
    const ctx = context(config, zohoKey);
    const created = await restConnector.push!(ctx, { object: 'invoices', op: 'create', data: { customer_id: '982000000567001', line_items: [{ name: 'Advance', rate: 50000, quantity: 1 }] }, idempotencyKey: 'zb-1' });
    expect(created).toMatchObject({ id: expect.stringMatching(/^982/), data: { total: 50000, status: 'draft' } });
    const updated = await restConnector.push!(ctx, { object: 'invoices', op: 'update', id: created.id, data: { notes: 'Due in 30 days' }, idempotencyKey: 'zb-2' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/books/v3/invoices/${created.id}` });
    expect(updated.data).toMatchObject({ notes: 'Due in 30 days' });
    config.query = [];
    const wrongOrg = context(config, zohoKey);
    await expect(restConnector.pull!(wrongOrg, { object: 'invoices', cursor: null })).rejects.toMatchObject({ status: 400, body: expect.stringContaining('organization_id') });
  });
});

describe('rest connector: the shipped OData (Dataverse-style) example against the fake', () => {
  let config: Record<string, any>;
  const client = { clientId: 'fake-client', clientSecret: 'fake-client-secret' };
  beforeEach(() => {
    config = example('odata-dynamics');
    config.baseUrl = `${fake.url}/odata`;
    config.auth.tokenUrl = fake.tokenUrl;
    config.headers = config.headers.map((h: { name: string; value: string }) => (h.name === 'Prefer' ? { name: 'Prefer', value: 'odata.maxpagesize=2,return=representation' } : h));
  });

  it('follows @odata.nextLink to the end, then asks with $filter=modifiedon gt <newest>', async () => {
    const ids = fake.seed('accounts', Array.from({ length: 5 }, (_, i) => ({ name: `Account ${i}`, accountnumber: `A-${i}` })));
    const ctx = context(config, client);
    const all = await sweep(ctx, 'accounts', null, 100);
    expect(all.pages).toBe(3);
    expect(all.records.map((r) => r.id)).toEqual(ids);
    expect(all.records[0]).toMatchObject({ version: 'W/"1"', data: { '@odata.etag': 'W/"1"', accountid: ids[0] } });
    expect(fake.requests.filter((r) => r.path === '/odata/accounts').at(-1)!.query).toEqual(expect.arrayContaining([['$skiptoken', '4']]));

    fake.edit('accounts', ids[3]!, { telephone1: '+91 22 4000 0000' });
    const changes = await sweep(ctx, 'accounts', all.cursor, 100);
    expect(changes.records.map((r) => r.id)).toContain(ids[3]);
    const filter = fake.requests.filter((r) => r.path === '/odata/accounts').at(-1)!.query.find(([k]) => k === '$filter')?.[1];
    expect(filter).toMatch(/^modifiedon gt \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('writes conditionally with the ETag: a stale version is refused (412) instead of overwriting', async () => {
    const ctx = context(config, client);
    const created = await restConnector.push!(ctx, { object: 'accounts', op: 'create', data: { name: 'Sharma Constructions' }, idempotencyKey: 'od-1' });
    expect(created.version).toBe('W/"1"');
    const updated = await restConnector.push!(ctx, { object: 'accounts', op: 'update', id: created.id, data: { telephone1: '020 4000 0000' }, idempotencyKey: 'od-2', expectedVersion: created.version! });
    expect(updated.version).toBe('W/"2"');
    expect(fake.requests.at(-1)).toMatchObject({ method: 'PATCH', path: `/odata/accounts(${created.id})`, headers: { 'if-match': 'W/"1"' } });
    const stale = await restConnector.push!(ctx, { object: 'accounts', op: 'update', id: created.id, data: { name: 'x' }, idempotencyKey: 'od-3', expectedVersion: 'W/"1"' }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(UnrecoverableVendorError);
    expect((stale as UnrecoverableVendorError).status).toBe(412);
  });

  it('pages with $skip/$top when configured for offsets', async () => {
    const offsetConfig = {
      ...config,
      headers: [],
      objects: { accounts: { ...config.objects.accounts, pagination: { type: 'offset', offsetParam: '$skip', limitParam: '$top' }, pageSize: 3 } },
    };
    const ctx = context(offsetConfig, client);
    const total = fake.count('accounts');
    const all = await sweep(ctx, 'accounts', null, 3);
    expect(all.records).toHaveLength(total);
    expect(all.pages).toBe(Math.floor(total / 3) + 1);
  });

  it('does not follow a next link to another origin, which would carry the credentials there', async () => {
    const ctx = context(config, client);
    const evil = Buffer.from(JSON.stringify({ v: 1, p: 'http://evil.example/odata/accounts?$skiptoken=2' })).toString('base64url');
    await expect(restConnector.pull!(ctx, { object: 'accounts', cursor: evil })).rejects.toThrow(/outside http:\/\/127\.0\.0\.1/);
  });
});

describe('rest config validation', () => {
  const parse = (config: unknown) => restConnector.parseConfig(config);

  it('refuses secrets in plain-text config, impossible pagination and samples that do not fit the fields', () => {
    const base = contactsConfig();
    const secretHeader = parse({ ...base, headers: [{ name: 'X-Api-Key', value: 'k' }] });
    expect(secretHeader).toMatchObject({ ok: false, issues: [{ path: 'headers[0].name', message: expect.stringMatching(/credentials/) }] });
    const secretQuery = parse({ ...base, query: [{ name: 'access_token', value: 't' }] });
    expect(secretQuery.ok).toBe(false);
    const contacts = (base.objects as Record<string, Record<string, unknown>>).contacts!;
    const pages = parse({ ...base, objects: { contacts: { ...contacts, pagination: { type: 'page', pageParam: 'page' } } } });
    expect(pages).toMatchObject({ ok: false, issues: [{ path: 'objects.contacts.pagination' }] });
    const samples = parse({ ...base, objects: { contacts: { ...contacts, samples: [{ id: 7 }] } } });
    expect(samples).toMatchObject({ ok: false, issues: [{ path: 'objects.contacts.samples[0]', message: 'id: expected a string, got number' }] });
    expect(parse({ ...base, objects: {} })).toMatchObject({ ok: false, issues: [{ path: 'objects' }] });
    expect(parse({ ...base, baseUrl: 'ftp://x' })).toMatchObject({ ok: false, issues: [{ path: 'baseUrl' }] });
  });

  it('asks for the credentials the auth type needs', () => {
    const header = parse(contactsConfig());
    const oauth = parse(contactsConfig({ auth: { type: 'oauth2-client-credentials', tokenUrl: 'https://login.example.com/token' } }));
    if (!header.ok || !oauth.ok) throw new Error('configs');
    expect(restConnector.parseCredentials({ name: 'Authorization', value: 'Bearer x' }, header.value).ok).toBe(true);
    expect(restConnector.parseCredentials({ clientId: 'a', clientSecret: 'b' }, header.value)).toMatchObject({ ok: false });
    expect(restConnector.parseCredentials({ clientId: 'a', clientSecret: 'b' }, oauth.value).ok).toBe(true);
    expect(restConnector.parseCredentials({ clientId: 'a' }, oauth.value)).toMatchObject({ ok: false, issues: [{ path: 'clientSecret' }] });
    expect(restConnector.outboundUrls(oauth.value)).toEqual([
      { path: 'baseUrl', url: `${fake.url}/api` },
      { path: 'auth.tokenUrl', url: 'https://login.example.com/token' },
    ]);
  });
});
