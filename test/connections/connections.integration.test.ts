import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activeWebhookSecrets,
  connectionsCollection,
  decryptCredentials,
  resolveWebhookRoute,
  webhookRoutesCollection,
  type ConnectionDoc,
} from '../../core/connections/index.ts';
import { startRestFake, type RestFake } from '../fakes/rest/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { keysFor, restConnectionBody, sharedMasterKey } from './connection-fixture.ts';

let fake: RestFake;
beforeAll(async () => {
  fake = await startRestFake();
});
afterAll(() => fake.close());

type ConnectionOut = { id: string; connector: string; status: string; config: Record<string, any>; webhookUrl: string; hasCredentials: boolean; webhook: { secrets: Array<{ id: string; createdAt: string; notAfter?: string }> }; version: number; lastCheck?: { ok: boolean } };

async function setup() {
  const app = testApp();
  const t = await app.tenant('acme');
  const create = async (body: unknown = restConnectionBody(fake.url)) => {
    const res = await app.call('POST', '/v1/connections', { key: t.key, body });
    return { res, body: (await res.json()) as ConnectionOut & { errors?: Array<{ path: string; code: string; message: string }> } };
  };
  const stored = (id: string) => app.services.store.forTenant(t.id).collection(connectionsCollection).findById(id) as Promise<ConnectionDoc>;
  return { ...app, t, create, stored };
}

describe('POST /v1/connections', () => {
  it('creates a connection with an unguessable id, its webhook URL and route, credentials and secrets encrypted', async () => {
    const { create, stored, services, t } = await setup();
    const { res, body } = await create({ ...restConnectionBody(fake.url), connector: 'webhook', config: { scheme: 'standard-webhooks' }, credentials: undefined, webhook: { secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { value: 'whsec_old-secret-value-xyz', notAfter: '2030-01-01T00:00:00Z' }], maxBodyBytes: 65536 } });
    expect(res.status).toBe(201);
    expect(body.id).toMatch(/^conn_[0-9a-z]{26}$/);
    expect(body).toMatchObject({ connector: 'webhook', status: 'active', webhookUrl: `https://hub.test/v1/hooks/${body.id}`, config: { scheme: 'standard-webhooks' }, hasCredentials: false });
    expect(body.webhook).toEqual({ secrets: [{ id: expect.stringMatching(/^whs_/), createdAt: expect.any(String) }, { id: expect.stringMatching(/^whs_/), createdAt: expect.any(String), notAfter: '2030-01-01T00:00:00.000Z' }], maxBodyBytes: 65536 });
    expect(JSON.stringify(body)).not.toContain('whsec_');

    const route = await services.store.platform(webhookRoutesCollection).findById(body.id);
    expect(route).toMatchObject({ _id: body.id, tenant: t.id, active: true });
    const doc = await stored(body.id);
    expect(doc.webhook.secrets.every((s) => s.value.startsWith('enc:v1:'))).toBe(true);
    expect(activeWebhookSecrets(services.vault, doc, new Date('2025-01-01T00:00:00Z')).map((s) => s.value).sort()).toEqual(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_old-secret-value-xyz']);
    expect(await resolveWebhookRoute(services.store, body.id)).toMatchObject({ tenantId: t.id, connection: { _id: body.id } });
  });

  it('stores the config as its connector parsed it (defaults applied) and the credentials only as ciphertext', async () => {
    const { create, stored, services } = await setup();
    const { res, body } = await create();
    expect(res.status).toBe(201);
    expect(body.config).toMatchObject({ idempotencyHeader: 'Idempotency-Key', objects: { contacts: { pageSize: 100, createMethod: 'POST', updateMethod: 'PATCH' } } });
    expect(body.hasCredentials).toBe(true);
    const doc = await stored(body.id);
    expect(doc.credentials).toMatch(/^enc:v1:k1:connection\.credentials:/);
    expect(JSON.stringify(doc)).not.toContain('fake-api-key');
    expect(decryptCredentials(services.vault, doc)).toEqual({ ok: true, credentials: { name: 'Authorization', value: 'Bearer fake-api-key' } });
    expect(doc.outbox).toEqual([expect.objectContaining({ type: 'connection.created', connectionId: body.id })]);
  });

  it('answers 422 with the path of every config and credentials problem, never echoing a value', async () => {
    const { create } = await setup();
    const unknown = await create({ ...restConnectionBody(fake.url), connector: 'sap-rfc' });
    expect(unknown.res.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'connector', code: 'unknown_connector', message: expect.stringMatching(/rest/) })]);

    const body = restConnectionBody(fake.url);
    const badConfig = await create({
      ...body,
      config: { ...body.config, baseUrl: 'not-a-url', objects: { contacts: { ...body.config.objects.contacts, path: 'contacts', pagination: { type: 'cursor' } } } },
      credentials: { name: 'Authorization' },
    });
    expect(badConfig.res.status).toBe(422);
    const paths = badConfig.body.errors!.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['config.baseUrl', 'config.objects.contacts.path', 'config.objects.contacts.pagination.cursorParam']));

    const badCredentials = await create({ ...body, credentials: { name: 'Authorization', value: '', extra: 'super-secret-value' } });
    expect(badCredentials.res.status).toBe(422);
    expect(badCredentials.body.errors!.map((e) => e.path).sort()).toEqual(['credentials', 'credentials.value']);
    expect(JSON.stringify(badCredentials.body)).not.toContain('super-secret-value');

    const noWebhooks = await create({ ...body, webhook: { secrets: ['a-secret-of-length'] } });
    expect(noWebhooks.body.errors).toEqual([expect.objectContaining({ path: 'webhook.secrets', code: 'no_webhooks' })]);

    const badOptions = await create({ connector: 'webhook', name: 'SF', config: { scheme: 'salesforce-outbound', options: { organizationId: 'nope' } } });
    expect(badOptions.res.status).toBe(422);
    expect(badOptions.body.errors).toEqual([expect.objectContaining({ path: 'config.options.organizationId' })]);
    const okOptions = await create({ connector: 'webhook', name: 'SF', config: { scheme: 'salesforce-outbound', options: { organizationId: '00D5g000004ABCD' } } });
    expect(okOptions.res.status).toBe(201);

    const shortSecret = await create({ connector: 'webhook', name: 'W', config: { scheme: 'github' }, webhook: { secrets: ['short'] } });
    expect(shortSecret.res.status).toBe(400);
  });
});

describe('reading, changing and deleting connections', () => {
  it('lists and reads connections, filtered by connector', async () => {
    const { create, call, t } = await setup();
    const a = (await create()).body;
    const b = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'github' } })).body;
    const all = (await (await call('GET', '/v1/connections', { key: t.key })).json()) as { items: ConnectionOut[]; nextCursor: string | null };
    expect(all.items.map((i) => i.id)).toEqual([a.id, b.id]);
    const rest = (await (await call('GET', '/v1/connections?connector=rest', { key: t.key })).json()) as { items: ConnectionOut[] };
    expect(rest.items.map((i) => i.id)).toEqual([a.id]);
    const one = await call('GET', `/v1/connections/${a.id}`, { key: t.key });
    expect(((await one.json()) as ConnectionOut).id).toBe(a.id);
    const described = (await (await call('GET', `/v1/connections/${a.id}/connector`, { key: t.key })).json()) as { objects: Array<{ name: string; schema: { properties: Record<string, unknown> } }> };
    expect(described.objects.map((o) => o.name)).toEqual(['contacts']);
    expect(Object.keys(described.objects[0]!.schema.properties)).toContain('due_on');
    expect((await call('GET', '/v1/connections/conn_00000000000000000000000000', { key: t.key })).status).toBe(404);
  });

  it('PATCH renames, pauses and resumes, and re-validates config and credentials', async () => {
    const { create, call, t, stored } = await setup();
    const c = (await create()).body;
    const patch = (body: unknown) => call('PATCH', `/v1/connections/${c.id}`, { key: t.key, body });
    const renamed = (await (await patch({ name: 'Contacts (prod)', status: 'paused' })).json()) as ConnectionOut & { name: string };
    expect(renamed).toMatchObject({ name: 'Contacts (prod)', status: 'paused' });
    expect(((await (await patch({ status: 'active' })).json()) as ConnectionOut).status).toBe('active');

    const before = (await stored(c.id)).credentials;
    const rekeyed = await patch({ credentials: { name: 'X-Api-Key', value: 'fake-api-key' } });
    expect(rekeyed.status).toBe(200);
    expect((await stored(c.id)).credentials).not.toBe(before);

    // Switching auth keeps the stored credentials, which no longer fit: say so.
    const body = restConnectionBody(fake.url);
    const toBasic = await patch({ config: { ...body.config, auth: { type: 'basic' } } });
    expect(toBasic.status).toBe(422);
    expect(((await toBasic.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toEqual(expect.arrayContaining(['credentials.username']));
    const both = await patch({ config: { ...body.config, auth: { type: 'basic' } }, credentials: { username: 'hub', password: 'fake-password' } });
    expect(both.status).toBe(200);
    expect((await patch({ config: { ...body.config, baseUrl: 'ftp://x' } })).status).toBe(422);
    expect((await patch({})).status).toBe(400);
    expect((await patch({ status: 'deleted' })).status).toBe(400);
    const doc = await stored(c.id);
    expect(doc.outbox!.filter((e) => e.type === 'connection.updated').map((e) => e.changed)).toEqual([['name', 'status'], ['status'], ['credentials'], ['config', 'credentials']]);
  });

  it('DELETE stops all traffic: the route goes inactive, secrets and credentials are dropped, reads answer 404', async () => {
    const { create, call, t, stored, services } = await setup();
    const c = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'github' }, webhook: { secrets: ['a-long-enough-secret'] } })).body;
    expect((await call('DELETE', `/v1/connections/${c.id}`, { key: t.key })).status).toBe(204);
    expect((await call('GET', `/v1/connections/${c.id}`, { key: t.key })).status).toBe(404);
    expect((await call('DELETE', `/v1/connections/${c.id}`, { key: t.key })).status).toBe(404);
    expect((await call('POST', `/v1/connections/${c.id}/test`, { key: t.key })).status).toBe(404);
    expect(await services.store.platform(webhookRoutesCollection).findById(c.id)).toMatchObject({ active: false });
    expect(await resolveWebhookRoute(services.store, c.id)).toBeNull();
    const doc = await stored(c.id);
    expect(doc).toMatchObject({ status: 'deleted', deletedAt: expect.any(Date), webhook: { secrets: [] } });
    expect(doc.credentials).toBeUndefined();
    const listed = (await (await call('GET', '/v1/connections', { key: t.key })).json()) as { items: unknown[] };
    expect(listed.items).toEqual([]);
    const deleted = (await (await call('GET', '/v1/connections?status=deleted', { key: t.key })).json()) as { items: ConnectionOut[] };
    expect(deleted.items.map((i) => i.id)).toEqual([c.id]);
  });
});

describe('POST /v1/connections/{id}/test', () => {
  it("runs the connector's check against the vendor and records the outcome", async () => {
    const { create, call, t } = await setup();
    const ok = (await create()).body;
    const res = await call('POST', `/v1/connections/${ok.id}/test`, { key: t.key });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, message: 'GET /contacts answered 200', checkedAt: expect.any(String) });
    expect(((await (await call('GET', `/v1/connections/${ok.id}`, { key: t.key })).json()) as ConnectionOut).lastCheck).toMatchObject({ ok: true });

    const wrong = (await create({ ...restConnectionBody(fake.url), credentials: { name: 'Authorization', value: 'Bearer wrong' } })).body;
    expect(await (await call('POST', `/v1/connections/${wrong.id}/test`, { key: t.key })).json()).toMatchObject({ ok: false, code: 'auth_failed' });
    const down = (await create(restConnectionBody('http://127.0.0.1:1'))).body;
    expect(await (await call('POST', `/v1/connections/${down.id}/test`, { key: t.key })).json()).toMatchObject({ ok: false, code: 'unreachable', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('keeps a refreshed OAuth2 token encrypted on the connection, so the next test reuses it', async () => {
    const { create, call, t, stored, services } = await setup();
    const body = restConnectionBody(fake.url);
    const c = (await create({ ...body, config: { ...body.config, auth: { type: 'oauth2-client-credentials', tokenUrl: fake.tokenUrl } }, credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret' } })).body;
    const before = fake.tokensIssued;
    await call('POST', `/v1/connections/${c.id}/test`, { key: t.key });
    await call('POST', `/v1/connections/${c.id}/test`, { key: t.key });
    expect(fake.tokensIssued).toBe(before + 1);
    const creds = decryptCredentials(services.vault, await stored(c.id));
    expect(creds).toMatchObject({ ok: true, credentials: { clientId: 'fake-client', accessToken: expect.stringMatching(/^fat_/) } });
  });
});

describe('secrets stay secret', () => {
  it('never returns or logs credentials, webhook secrets or issued tokens', async () => {
    const { create, call, t, services, stored } = await setup();
    const body = restConnectionBody(fake.url);
    const secrets = ['whsec_never-shown-anywhere-1', 'whsec_never-shown-anywhere-2'];
    const oauth = (await create({ ...body, config: { ...body.config, auth: { type: 'oauth2-client-credentials', tokenUrl: fake.tokenUrl } }, credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret' } })).body;
    const hooks = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'standard-webhooks' }, webhook: { secrets: [secrets[0]] } })).body;
    const texts: string[] = [];
    const record = async (res: Response) => texts.push(await res.clone().text());
    await record(await call('GET', '/v1/connections', { key: t.key }));
    await record(await call('GET', `/v1/connections/${oauth.id}`, { key: t.key }));
    await record(await call('POST', `/v1/connections/${oauth.id}/test`, { key: t.key }));
    const decrypted = decryptCredentials(services.vault, await stored(oauth.id));
    if (!decrypted.ok) throw new Error(decrypted.error);
    const token = String(decrypted.credentials.accessToken);
    expect(token).toMatch(/^fat_/);
    await record(await call('PATCH', `/v1/connections/${oauth.id}`, { key: t.key, body: { credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret' } } }));
    await record(await call('PATCH', `/v1/connections/${oauth.id}`, { key: t.key, body: { credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret', bogus: 1 } } }));
    await record(await call('POST', `/v1/connections/${hooks.id}/webhook-secrets`, { key: t.key, body: { value: secrets[1] } }));
    await record(await call('GET', `/v1/connections/${hooks.id}`, { key: t.key }));
    await record(await call('GET', `/v1/connections/${oauth.id}/connector`, { key: t.key }));
    const everything = [...texts, services.logs.text].join('\n');
    expect(services.logs.lines.length).toBeGreaterThan(5);
    for (const secret of ['fake-client-secret', 'fake-api-key', token, ...secrets]) expect(everything).not.toContain(secret);
  });
});

describe('webhook secret rotation', () => {
  it('adds a new secret; old ones keep verifying until the notAfter given for them, then only the new one does', async () => {
    const { create, call, t, stored, services } = await setup();
    const c = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'standard-webhooks' }, webhook: { secrets: ['whsec_original-secret-000'] } })).body;
    const now = Date.now();
    const overlapEnds = new Date(now + 3600_000).toISOString();
    const res = await call('POST', `/v1/connections/${c.id}/webhook-secrets`, { key: t.key, body: { value: 'whsec_rotated-secret-111', oldSecretsNotAfter: overlapEnds } });
    expect(res.status).toBe(201);
    const added = (await res.json()) as { secret: { id: string }; webhook: { secrets: Array<{ id: string; notAfter?: string }> } };
    expect(added.webhook.secrets).toEqual([expect.objectContaining({ id: c.webhook.secrets[0]!.id, notAfter: overlapEnds }), expect.objectContaining({ id: added.secret.id })]);
    expect(added.webhook.secrets[1]!.notAfter).toBeUndefined();

    const doc = await stored(c.id);
    const during = activeWebhookSecrets(services.vault, doc, new Date(now + 60_000));
    expect(during.map((s) => s.value)).toEqual(['whsec_rotated-secret-111', 'whsec_original-secret-000']);
    expect(during[1]!.notAfter?.toISOString()).toBe(overlapEnds);
    expect(activeWebhookSecrets(services.vault, doc, new Date(now + 2 * 3600_000)).map((s) => s.value)).toEqual(['whsec_rotated-secret-111']);
    // Exactly at notAfter the old secret has stopped.
    expect(activeWebhookSecrets(services.vault, doc, new Date(overlapEnds)).map((s) => s.value)).toEqual(['whsec_rotated-secret-111']);

    expect((await call('DELETE', `/v1/connections/${c.id}/webhook-secrets/${added.secret.id}`, { key: t.key })).status).toBe(204);
    expect((await call('DELETE', `/v1/connections/${c.id}/webhook-secrets/${added.secret.id}`, { key: t.key })).status).toBe(404);
    expect(activeWebhookSecrets(services.vault, await stored(c.id), new Date(now)).map((s) => s.value)).toEqual(['whsec_original-secret-000']);
  });

  it('skips secrets that no longer decrypt, and binds them to their tenant', async () => {
    const { create, stored, services } = await setup();
    const c = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'github' }, webhook: { secrets: ['a-long-enough-secret'] } })).body;
    const doc = await stored(c.id);
    expect(activeWebhookSecrets(services.vault, { ...doc, tenantId: 'tn_someone_else' }, new Date())).toEqual([]);
    expect(decryptCredentials(services.vault, { credentials: doc.webhook.secrets[0]!.value, tenantId: doc.tenantId })).toMatchObject({ ok: false, error: 'tampered' });
  });

  it('holds at most ten secrets, and refuses secrets on connectors that take no webhooks', async () => {
    const { create, call, t } = await setup();
    const c = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'github' } })).body;
    for (let i = 0; i < 10; i += 1) expect((await call('POST', `/v1/connections/${c.id}/webhook-secrets`, { key: t.key, body: { value: `secret-number-${i}` } })).status).toBe(201);
    expect((await call('POST', `/v1/connections/${c.id}/webhook-secrets`, { key: t.key, body: { value: 'one-too-many' } })).status).toBe(422);
    const rest = (await create()).body;
    expect((await call('POST', `/v1/connections/${rest.id}/webhook-secrets`, { key: t.key, body: { value: 'a-long-enough-secret' } })).status).toBe(422);
  });
});

describe('outbound URL guard (HUB_ALLOW_PRIVATE_URLS unset)', () => {
  it.each([
    ['http://127.0.0.1:8080/api', 'config.baseUrl'],
    ['http://10.1.2.3/api', 'config.baseUrl'],
    ['http://169.254.169.254/latest', 'config.baseUrl'],
    ['http://[::1]/api', 'config.baseUrl'],
    ['http://localhost:3000/api', 'config.baseUrl'],
    ['http://2130706433/api', 'config.baseUrl'],
    ['http://0x7f.1/api', 'config.baseUrl'],
  ])('refuses to save %s (422 at %s)', async (url, path) => {
    const { call, tenant } = testApp({ env: { HUB_ALLOW_PRIVATE_URLS: 'false' } });
    const t = await tenant('acme');
    const body = restConnectionBody('x');
    const res = await call('POST', '/v1/connections', { key: t.key, body: { ...body, config: { ...body.config, baseUrl: url } } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path, code: 'private_address', message: expect.stringMatching(/HUB_ALLOW_PRIVATE_URLS/) })]);
  });

  it('checks the OAuth2 token URL too, and saves public addresses', async () => {
    const { call, tenant } = testApp({ env: { HUB_ALLOW_PRIVATE_URLS: 'false' } });
    const t = await tenant('acme');
    const body = restConnectionBody('x');
    const config = { ...body.config, baseUrl: 'https://93.184.216.34/api', auth: { type: 'oauth2-client-credentials', tokenUrl: 'http://192.168.1.10/token' } };
    const res = await call('POST', '/v1/connections', { key: t.key, body: { ...body, config, credentials: { clientId: 'a', clientSecret: 'b' } } });
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'config.auth.tokenUrl', code: 'private_address' })]);
    const ok = await call('POST', '/v1/connections', { key: t.key, body: { ...body, config: { ...config, auth: { type: 'header' } } } });
    expect(ok.status).toBe(201);
  });

  it('refuses at call time too: a connection saved where private URLs were allowed cannot reach them once they are not', async () => {
    const env = sharedMasterKey();
    const permissive = testApp({ env: { ...env, HUB_ALLOW_PRIVATE_URLS: 'true' } });
    const t = await permissive.tenant('acme');
    const c = (await (await permissive.call('POST', '/v1/connections', { key: t.key, body: restConnectionBody(fake.url) })).json()) as ConnectionOut;
    const strict = testApp({ env: { ...env, HUB_ALLOW_PRIVATE_URLS: 'false' }, store: permissive.services.store });
    const calls = fake.requests.length;
    const res = await strict.call('POST', `/v1/connections/${c.id}/test`, { key: t.key });
    expect(await res.json()).toMatchObject({ ok: false, code: 'refused_address' });
    expect(fake.requests.length).toBe(calls);
  });
});

describe('access', () => {
  it('lets admins manage, managers and integrations read, and refuses other roles', async () => {
    const { create, call, t } = await setup();
    const c = (await create()).body;
    const keys = await keysFor(call, t.key);
    for (const role of ['manager', 'integration']) {
      expect((await call('GET', '/v1/connections', { key: keys[role] })).status, role).toBe(200);
      expect((await call('GET', `/v1/connections/${c.id}`, { key: keys[role] })).status, role).toBe(200);
      expect((await call('POST', '/v1/connections', { key: keys[role], body: restConnectionBody(fake.url) })).status, role).toBe(403);
      expect((await call('PATCH', `/v1/connections/${c.id}`, { key: keys[role], body: { name: 'x' } })).status, role).toBe(403);
      expect((await call('POST', `/v1/connections/${c.id}/test`, { key: keys[role] })).status, role).toBe(403);
      expect((await call('DELETE', `/v1/connections/${c.id}`, { key: keys[role] })).status, role).toBe(403);
    }
    for (const role of ['owner', 'viewer']) expect((await call('GET', '/v1/connections', { key: keys[role] })).status, role).toBe(403);
    expect((await call('GET', '/v1/connections')).status).toBe(401);
  });

  it("answers 404 for another tenant's connection on every route", async () => {
    const { create, call, tenant } = await setup();
    const c = (await create({ connector: 'webhook', name: 'Hooks', config: { scheme: 'github' }, webhook: { secrets: ['a-long-enough-secret'] } })).body;
    const other = await tenant('beta');
    const secretId = c.webhook.secrets[0]!.id;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/v1/connections/${c.id}`],
      ['GET', `/v1/connections/${c.id}/connector`],
      ['PATCH', `/v1/connections/${c.id}`, { name: 'mine now' }],
      ['POST', `/v1/connections/${c.id}/test`],
      ['POST', `/v1/connections/${c.id}/webhook-secrets`, { value: 'attacker-secret-value' }],
      ['DELETE', `/v1/connections/${c.id}/webhook-secrets/${secretId}`],
      ['DELETE', `/v1/connections/${c.id}`],
    ];
    for (const [method, path, body] of attempts) {
      expect((await call(method, path, { key: other.key, ...(body === undefined ? {} : { body }) })).status, `${method} ${path}`).toBe(404);
    }
    const list = (await (await call('GET', '/v1/connections', { key: other.key })).json()) as { items: unknown[] };
    expect(list.items).toEqual([]);
  });
});
