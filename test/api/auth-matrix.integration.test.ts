import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testApp } from '../helpers/test-services.ts';

describe('auth matrix', () => {
  it('rejects a request without a key with 401 problem+json and WWW-Authenticate', async () => {
    const { call } = testApp();
    const res = await call('GET', '/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await res.json()).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('rejects malformed, unknown and wrong-secret keys alike', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    const wrongSecret = t.key.replace(/\.[^.]+$/, `.${'A'.repeat(43)}`);
    const unknownKey = t.key.replace(/key_[0-9a-z]{26}/, `key_${'0'.repeat(26)}`);
    for (const key of ['garbage', 'mhk_x.y.z', wrongSecret, unknownKey]) {
      const res = await call('GET', '/v1/me', { key });
      expect(res.status, key).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toBe('The API key is not valid');
    }
    expect((await call('GET', '/v1/me', { key: t.key })).status).toBe(200);
  });

  it('rejects a revoked key', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    const created = await call('POST', '/v1/api-keys', { key: t.key, body: { name: 'ci', role: 'integration' } });
    expect(created.status).toBe(201);
    const k = (await created.json()) as { id: string; apiKey: string };
    expect((await call('GET', '/v1/me', { key: k.apiKey })).status).toBe(200);
    expect((await call('DELETE', `/v1/api-keys/${k.id}`, { key: t.key })).status).toBe(204);
    const res = await call('GET', '/v1/me', { key: k.apiKey });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/revoked/);
    const list = (await (await call('GET', '/v1/api-keys', { key: t.key })).json()) as { items: { id: string; revokedAt?: string }[] };
    expect(list.items.find((i) => i.id === k.id)?.revokedAt).toBeDefined();
  });

  it('refuses roles that are not allowed with 403', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    for (const role of ['manager', 'owner', 'viewer', 'integration']) {
      const k = (await (await call('POST', '/v1/api-keys', { key: t.key, body: { name: role, role } })).json()) as { apiKey: string };
      const me = (await (await call('GET', '/v1/me', { key: k.apiKey })).json()) as { role: string };
      expect(me.role).toBe(role);
      const res = await call('POST', '/v1/api-keys', { key: k.apiKey, body: { name: 'escalate', role: 'admin' } });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'forbidden' });
    }
  });

  it("answers 404 for another tenant's resource, as if it did not exist", async () => {
    const { call, tenant } = testApp();
    const a = await tenant('alpha');
    const b = await tenant('beta');
    const bKeys = (await (await call('GET', '/v1/api-keys', { key: b.key })).json()) as { items: { id: string }[] };
    const bKeyId = bKeys.items[0]!.id;
    const res = await call('DELETE', `/v1/api-keys/${bKeyId}`, { key: a.key });
    expect(res.status).toBe(404);
    expect((await call('GET', '/v1/me', { key: b.key })).status).toBe(200);
    const aKeys = (await (await call('GET', '/v1/api-keys', { key: a.key })).json()) as { items: { id: string }[] };
    expect(aKeys.items.map((k) => k.id)).not.toContain(bKeyId);
  });

  it('creates tenants only with the platform token', async () => {
    const { call } = testApp();
    const body = { slug: 'acme', name: 'Acme Infra Pvt Ltd' };
    expect((await call('POST', '/v1/tenants', { body })).status).toBe(401);
    expect((await call('POST', '/v1/tenants', { body, key: 'not-the-platform-token-but-long' })).status).toBe(403);
    // A tenant admin key is not the platform token.
    const other = await testApp().tenant('other');
    expect((await call('POST', '/v1/tenants', { body, key: other.key })).status).toBe(403);
    const ok = await call('POST', '/v1/tenants', { body, key: ADMIN_TOKEN });
    expect(ok.status).toBe(201);
    const created = (await ok.json()) as { tenant: { id: string; slug: string; timeZone: string }; apiKey: string };
    expect(created.tenant).toMatchObject({ slug: 'acme', timeZone: 'Asia/Kolkata' });
    const me = (await (await call('GET', '/v1/me', { key: created.apiKey })).json()) as { tenant: { id: string }; role: string };
    expect(me).toMatchObject({ tenant: { id: created.tenant.id }, role: 'admin' });
    const dup = await call('POST', '/v1/tenants', { body, key: ADMIN_TOKEN });
    expect(dup.status).toBe(409);
  });

  it('stores API keys hashed, never in plain text', async () => {
    const { call, tenant, services } = testApp();
    const t = await tenant('acme');
    const raw = await services.store.maintenance({ name: 'api_keys', scope: 'tenant' }).find({});
    const secret = t.key.split('.').pop()!;
    expect(JSON.stringify(raw)).not.toContain(secret);
    expect(raw[0]).toHaveProperty('secretHash');
    const list = await (await call('GET', '/v1/api-keys', { key: t.key })).text();
    expect(list).not.toContain(secret);
    expect(list).not.toContain('secretHash');
  });
});
