import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type Services } from '../../api/index.ts';
import { authChangesChannel, createRedisAuthChanges } from '../../api/middleware/redis-auth-changes.ts';
import { updateTenantBilling } from '../../core/billing/index.ts';
import { createNedbStore, createStore, type Store } from '../../core/store/index.ts';
import { apiKeysCollection, createAuthCache, createTenant, tenantsCollection, type AuthCache } from '../../core/tenancy/index.ts';
import { waitFor } from '../helpers/expect-and-wait.ts';
import { testServices } from '../helpers/test-services.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** One hub process: its own store object (over a shared database when given), cache and app. */
function hubProcess(options: { store: Store; cache?: AuthCache }) {
  const services: Services = testServices({ store: options.store, ...(options.cache ? { authCache: options.cache } : {}) });
  const app = createApp(services);
  const call = (method: string, path: string, key: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { Authorization: `Bearer ${key}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const me = async (key: string) => {
    const res = await call('GET', '/v1/me', key);
    return { status: res.status, body: (await res.json()) as { tenant?: { supplier?: { legalName?: string } }; detail?: string } };
  };
  return { services, app, call, me };
}

async function newTenant(store: Store, slug: string) {
  const t = await createTenant(store, { slug, name: `${slug} Pvt Ltd` });
  if (!t.ok) throw new Error(t.error);
  return { id: t.tenant.id, keyId: t.key.id, key: t.apiKey };
}

/** Counts reads of API keys and tenants that reach the store. */
function countingStore(store: Store) {
  const reads = { keys: 0, tenants: 0 };
  const counted: Store = {
    ...store,
    platform(def) {
      const c = store.platform(def);
      if (def.name !== tenantsCollection.name) return c;
      return { ...c, findById: (id: string) => ((reads.tenants += 1), c.findById(id)) };
    },
    forTenant(tenantId) {
      const t = store.forTenant(tenantId);
      return {
        tenantId,
        collection(def) {
          const c = t.collection(def);
          if (def.name !== apiKeysCollection.name) return c;
          return { ...c, findById: (id: string) => ((reads.keys += 1), c.findById(id)) };
        },
      };
    },
  };
  return { store: counted, reads };
}

describe('auth cache in one process', () => {
  it('serves a key from memory after its first request, and sees a revocation on the very next one', async () => {
    const { store, reads } = countingStore(createStore(createNedbStore({ dir: '', inMemory: true })));
    const cache = createAuthCache({ store });
    const hub = hubProcess({ store, cache });
    const admin = await newTenant(store, 'acme');
    const created = (await (await hub.call('POST', '/v1/api-keys', admin.key, { name: 'ci', role: 'integration' })).json()) as { id: string; apiKey: string };

    const before = { ...reads };
    for (let i = 0; i < 5; i += 1) expect((await hub.me(created.apiKey)).status).toBe(200);
    expect(reads.keys - before.keys).toBe(1);
    expect(reads.tenants - before.tenants).toBe(1);
    expect(cache.stats().hits).toBeGreaterThanOrEqual(4);

    expect((await hub.call('DELETE', `/v1/api-keys/${created.id}`, admin.key)).status).toBe(204);
    const after = await hub.me(created.apiKey);
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/);
    // Failures are not cached: each one reads the store.
    const keysBefore = reads.keys;
    expect((await hub.me(created.apiKey)).status).toBe(401);
    expect(reads.keys).toBe(keysBefore + 1);
  });

  it('sees a key revoked or a tenant suspended by a direct store write on the next request', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const hub = hubProcess({ store });
    const a = await newTenant(store, 'alpha');
    const b = await newTenant(store, 'beta');
    expect((await hub.me(a.key)).status).toBe(200);
    expect((await hub.me(b.key)).status).toBe(200);

    await store.forTenant(a.id).collection(apiKeysCollection).updateOne({ _id: a.keyId }, { $set: { revokedAt: new Date() } });
    expect((await hub.me(a.key)).body.detail).toMatch(/revoked/);

    await store.platform(tenantsCollection).updateOne({ _id: b.id }, { $set: { status: 'suspended' } });
    const suspended = await hub.me(b.key);
    expect(suspended.status).toBe(401);
    expect(suspended.body.detail).toMatch(/suspended/);
  });

  it('never serves tenant settings older than the last write, by PATCH /v1/tenant or by billing directly', async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const hub = hubProcess({ store });
    const t = await newTenant(store, 'acme');
    expect((await hub.me(t.key)).body.tenant?.supplier).toBeUndefined();

    expect((await hub.call('PATCH', '/v1/tenant', t.key, { legalName: 'Acme Infra Pvt Ltd' })).status).toBe(200);
    expect((await hub.me(t.key)).body.tenant?.supplier?.legalName).toBe('Acme Infra Pvt Ltd');

    const saved = await updateTenantBilling(store, t.id, { legalName: 'Acme Holdings Pvt Ltd' });
    expect(saved.ok).toBe(true);
    expect((await hub.me(t.key)).body.tenant?.supplier?.legalName).toBe('Acme Holdings Pvt Ltd');
  });

  it("does not let one key's secret open another key or tenant, even while it is cached", async () => {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const hub = hubProcess({ store });
    const a = await newTenant(store, 'alpha');
    const b = await newTenant(store, 'beta');
    expect((await hub.me(a.key)).status).toBe(200);
    const secretOfA = a.key.split('.').pop()!;
    const forged = `mhk_${b.id}.${b.keyId}.${secretOfA}`;
    const res = await hub.me(forged);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('The API key is not valid');
    // A's key still answers with A's tenant, B's with B's.
    const meA = (await (await hub.call('GET', '/v1/me', a.key)).json()) as { tenant: { id: string } };
    const meB = (await (await hub.call('GET', '/v1/me', b.key)).json()) as { tenant: { id: string } };
    expect([meA.tenant.id, meB.tenant.id]).toEqual([a.id, b.id]);
  });

  it('holds at most maxEntries keys, forgets entries after maxAgeMs, and hands out frozen documents', async () => {
    const { store, reads } = countingStore(createStore(createNedbStore({ dir: '', inMemory: true })));
    let now = 0;
    const cache = createAuthCache({ store, maxEntries: 2, maxAgeMs: 1000, clock: () => now });
    const tenants = [await newTenant(store, 't1'), await newTenant(store, 't2'), await newTenant(store, 't3')];
    for (const t of tenants) expect((await cache.authenticate(t.key)).ok).toBe(true);
    expect(cache.stats()).toMatchObject({ keys: 2, tenants: 2 });
    // The newest two answer from memory; the first was dropped to make room.
    const before = reads.keys;
    expect((await cache.authenticate(tenants[2]!.key)).ok).toBe(true);
    expect((await cache.authenticate(tenants[1]!.key)).ok).toBe(true);
    expect(reads.keys).toBe(before);
    expect((await cache.authenticate(tenants[0]!.key)).ok).toBe(true);
    expect(reads.keys).toBe(before + 1);

    now += 1001;
    expect((await cache.authenticate(tenants[0]!.key)).ok).toBe(true);
    expect(reads.keys).toBe(before + 2);

    const r = await cache.authenticate(tenants[0]!.key);
    if (!r.ok) throw new Error(r.error);
    expect(() => {
      (r.tenant as { name: string }).name = 'someone else';
    }).toThrow(TypeError);
    expect(Object.isFrozen(r.key)).toBe(true);
  });

  it('does not store a read that overlapped a write, so a slow read cannot bring back a revoked key', async () => {
    const base = createStore(createNedbStore({ dir: '', inMemory: true }));
    const t = await newTenant(base, 'acme');
    let hold: Promise<void> | undefined;
    const slow: Store = {
      ...base,
      forTenant(tenantId) {
        const ts = base.forTenant(tenantId);
        return {
          tenantId,
          collection(def) {
            const c = ts.collection(def);
            return { ...c, findById: async (id: string) => {
              const doc = await c.findById(id);
              await hold;
              return doc;
            } };
          },
        };
      },
    };
    const cache = createAuthCache({ store: slow });
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const pending = cache.authenticate(t.key);
    // Revoked while the first request's read (which found the key unrevoked) is still in flight.
    await new Promise((r) => setTimeout(r, 10));
    await base.forTenant(t.id).collection(apiKeysCollection).updateOne({ _id: t.keyId }, { $set: { revokedAt: new Date() } });
    release();
    expect((await pending).ok).toBe(true);
    hold = undefined;
    const next = await cache.authenticate(t.key);
    expect(next).toEqual({ ok: false, error: 'revoked' });
  });

  it('over MongoDB without a channel to other processes, reads the store every time', async () => {
    const { store, reads } = countingStore(createStore(createNedbStore({ dir: '', inMemory: true })));
    const asMongo: Store = { ...store, kind: 'mongodb' };
    const cache = createAuthCache({ store: asMongo });
    const t = await newTenant(store, 'acme');
    expect(cache.caching).toBe(false);
    for (let i = 0; i < 3; i += 1) expect((await cache.authenticate(t.key)).ok).toBe(true);
    expect(reads.keys).toBe(3);
    expect(cache.stats().hits).toBe(0);
  });
});

describe('auth cache across processes sharing one store and one Redis', () => {
  /** Two processes over one database, each with its own store object, cache and Redis channel. */
  async function twoProcesses() {
    const raw = createNedbStore({ dir: '', inMemory: true });
    const channel = authChangesChannel(`test-auth-${randomUUID()}`);
    const publisher = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    cleanups.push(() => publisher.quit());
    const procs = [0, 1].map(() => {
      const store = createStore(raw);
      const subscriber = new Redis(REDIS_URL);
      const changes = createRedisAuthChanges({ publisher, subscriber, channel });
      // The same database looks like MongoDB here: only the channel makes caching safe.
      const cache = createAuthCache({ store: { ...store, kind: 'mongodb' }, changes });
      cleanups.push(async () => {
        cache.close();
        await changes.close();
      });
      return { ...hubProcess({ store, cache }), store, cache, subscriber };
    });
    await waitFor(() => procs.every((p) => p.cache.caching), 5000, 'both channels live');
    return procs as [(typeof procs)[number], (typeof procs)[number]];
  }

  it('a key revoked in one process stops working in the other as soon as the change arrives', async () => {
    const [a, b] = await twoProcesses();
    const t = await newTenant(a.store, 'acme');
    const created = (await (await a.call('POST', '/v1/api-keys', t.key, { name: 'ci', role: 'viewer' })).json()) as { id: string; apiKey: string };
    expect((await b.me(created.apiKey)).status).toBe(200);
    expect((await b.me(created.apiKey)).status).toBe(200);
    expect(b.cache.stats().hits).toBeGreaterThan(0);

    expect((await a.call('DELETE', `/v1/api-keys/${created.id}`, t.key)).status).toBe(204);
    expect((await a.me(created.apiKey)).status).toBe(401);
    await waitFor(async () => (await b.me(created.apiKey)).status === 401, 2000, 'revocation seen by the other process', 2);
    expect((await b.me(created.apiKey)).body.detail).toMatch(/revoked/);
  });

  it('tenant settings written in one process reach the other', async () => {
    const [a, b] = await twoProcesses();
    const t = await newTenant(a.store, 'acme');
    expect((await b.me(t.key)).body.tenant?.supplier).toBeUndefined();
    expect((await a.call('PATCH', '/v1/tenant', t.key, { legalName: 'Acme Infra Pvt Ltd' })).status).toBe(200);
    await waitFor(async () => (await b.me(t.key)).body.tenant?.supplier?.legalName === 'Acme Infra Pvt Ltd', 2000, 'new settings seen by the other process', 2);
  });

  it('stops answering from memory once its channel drops, forgetting everything, and caches again when it is back', async () => {
    const [a, b] = await twoProcesses();
    const t = await newTenant(a.store, 'acme');
    expect((await b.me(t.key)).status).toBe(200);
    expect(b.cache.stats().keys).toBe(1);

    // b no longer hears a (as after a network failure): it must read the store, so a's revocation is seen at once.
    b.subscriber.disconnect();
    await waitFor(() => !b.cache.caching, 2000, 'channel seen as down', 1);
    expect(b.cache.stats().keys).toBe(0);
    await a.store.forTenant(t.id).collection(apiKeysCollection).updateOne({ _id: t.keyId }, { $set: { revokedAt: new Date() } });
    expect((await b.me(t.key)).body.detail).toMatch(/revoked/);

    await b.subscriber.connect();
    await waitFor(() => b.cache.caching, 5000, 'channel live again');
    expect((await b.me(t.key)).status).toBe(401);
    const other = await newTenant(a.store, 'beta');
    expect((await b.me(other.key)).status).toBe(200);
    expect(b.cache.stats().keys).toBe(1);
  });
});
