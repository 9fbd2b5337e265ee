import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addWebhookSecret,
  connectionsCollection,
  createConnection,
  webhookRoutesCollection,
  deleteConnection,
  removeWebhookSecret,
  updateConnection,
  type ConnectionDoc,
} from '../../core/connections/index.ts';
import type { Store } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { connectRedis, createQueues } from '../../queues/index.ts';
import { createEnvelopeEnqueuer } from '../../webhooks/enqueue-envelope.ts';
import { createWebhookSourceResolver } from '../../webhooks/index.ts';
import { testServices } from '../helpers/test-services.ts';
import { dropQueues, queuePrefix, REDIS_URL } from './hook-fixture.ts';

const services = testServices();
const { store, vault } = services;

async function tenant(slug: string): Promise<string> {
  const t = await createTenant(store, { slug: `${slug}-${randomUUID().slice(0, 6)}`, name: `${slug} Pvt Ltd` });
  if (!t.ok) throw new Error(t.error);
  return t.tenant.id;
}

async function current(s: Store, tenantId: string, id: string): Promise<ConnectionDoc> {
  const conn = await s.forTenant(tenantId).collection(connectionsCollection).findById(id);
  if (!conn) throw new Error('gone');
  return conn;
}

describe('the webhook source cache', () => {
  it('serves an unchanged connection from memory, and a changed one afresh on the very next request', async () => {
    const tenantId = await tenant('cache');
    const decrypted: string[] = [];
    const countingVault = { ...vault, decrypt: (c: string, ctx: Parameters<typeof vault.decrypt>[1]) => (decrypted.push(c), vault.decrypt(c, ctx)) };
    const resolve = createWebhookSourceResolver({ store, vault: countingVault });
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 'first-secret' }] } }, new Date());

    const a = await resolve(conn._id);
    const b = await resolve(conn._id);
    expect(a?.secrets.map((s) => s.value)).toEqual(['first-secret']);
    expect(b).toBe(a);
    expect(decrypted).toHaveLength(1);

    // Rotation: the new secret verifies at once, beside the old one.
    const added = await addWebhookSecret(store.forTenant(tenantId), vault, await current(store, tenantId, conn._id), { value: 'second-secret' }, new Date());
    const rotated = await resolve(conn._id);
    expect(rotated?.secrets.map((s) => s.value).sort()).toEqual(['first-secret', 'second-secret']);

    // Removal: the old secret stops verifying at once.
    if (!added.ok) throw new Error(added.error);
    const first = (await current(store, tenantId, conn._id)).webhook.secrets.find((s) => s.id !== added.secret.id);
    expect(await removeWebhookSecret(store.forTenant(tenantId), await current(store, tenantId, conn._id), first!.id, new Date())).toBe(true);
    expect((await resolve(conn._id))?.secrets.map((s) => s.value)).toEqual(['second-secret']);

    // Pausing and deleting take effect as soon as they are stored.
    await updateConnection(store.forTenant(tenantId), vault, await current(store, tenantId, conn._id), { status: 'paused' }, new Date());
    expect((await resolve(conn._id))?.active).toBe(false);
    await deleteConnection(store, store.forTenant(tenantId), await current(store, tenantId, conn._id), new Date());
    expect(await resolve(conn._id)).toBeNull();
  });

  it('sees a change written straight to the store, as another process would write it', async () => {
    const tenantId = await tenant('other');
    const resolve = createWebhookSourceResolver({ store, vault });
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 'kept' }] } }, new Date());
    expect((await resolve(conn._id))?.maxBodyBytes).toBe(1024 * 1024);
    // A raw update, as another process would make it, still raises the version the cache checks.
    await store.forTenant(tenantId).collection(connectionsCollection).updateOne({ _id: conn._id }, { $set: { 'webhook.maxBodyBytes': 2048 } });
    expect((await resolve(conn._id))?.maxBodyBytes).toBe(2048);
  });

  it('over a shared database, checks the route and version per request and sees writes made elsewhere', async () => {
    const tenantId = await tenant('shared');
    // The same data seen as a MongoDB deployment sees it: writes by other processes are not reported.
    const { onWrite: _reported, ...rest } = store;
    const shared: Store = { ...rest, kind: 'mongodb' };
    const resolve = createWebhookSourceResolver({ store: shared, vault });
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 'kept' }] } }, new Date());
    const first = await resolve(conn._id);
    expect(await resolve(conn._id)).toBe(first);
    await store.forTenant(tenantId).collection(connectionsCollection).updateOne({ _id: conn._id }, { $set: { 'webhook.maxBodyBytes': 4096 } });
    const after = await resolve(conn._id);
    expect(after).not.toBe(first);
    expect(after?.maxBodyBytes).toBe(4096);
  });

  it('on the embedded store, does not keep a source whose connection was written while it was being read', async () => {
    const tenantId = await tenant('race');
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 'kept' }] } }, new Date());
    // The connection read answers what it found, then waits while a write to it is stored.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let readDone!: () => void;
    const read = new Promise<void>((r) => (readDone = r));
    const slowReads: Store = {
      ...store,
      forTenant(id) {
        const scoped = store.forTenant(id);
        return {
          ...scoped,
          collection(def) {
            const col = scoped.collection(def);
            if (def.name !== connectionsCollection.name) return col;
            return Object.assign(Object.create(col) as typeof col, {
              findById: async (docId: string) => {
                const found = await col.findById(docId);
                readDone();
                await released;
                return found;
              },
            });
          },
        };
      },
    };
    const resolve = createWebhookSourceResolver({ store: slowReads, vault });
    const racing = resolve(conn._id);
    await read;
    await store.forTenant(tenantId).collection(connectionsCollection).updateOne({ _id: conn._id }, { $set: { 'webhook.maxBodyBytes': 8192 } });
    release();
    // Built from what was read before the write, and answered as such; not kept for the next request.
    expect((await racing)?.maxBodyBytes).toBe(1024 * 1024);
    expect((await resolve(conn._id))?.maxBodyBytes).toBe(8192);
  });

  it('lets go of its store listeners once the resolver itself is gone', async () => {
    const tenantId = await tenant('gone');
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 's' }] } }, new Date());
    const stopped: string[] = [];
    const watching: Store = {
      ...store,
      onWrite: (collection, listener) => {
        const stop = store.onWrite!(collection, listener);
        return () => {
          stopped.push(collection);
          stop();
        };
      },
    };
    await (async () => {
      const resolve = createWebhookSourceResolver({ store: watching, vault });
      expect(await resolve(conn._id)).not.toBeNull();
    })();
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 20 && stopped.length < 2; i += 1) {
      await new Promise((r) => setTimeout(r, 5));
      gc();
      // The next write finds the resolver gone.
      await store.forTenant(tenantId).collection(connectionsCollection).updateOne({ _id: conn._id }, { $set: { name: `c${i}` } });
      await store.platform(webhookRoutesCollection).updateOne({ _id: conn._id }, { $set: { active: true } });
    }
    expect(stopped.sort()).toEqual([connectionsCollection.name, webhookRoutesCollection.name].sort());
  });

  it('shares one check among requests that arrive together', async () => {
    const tenantId = await tenant('burst');
    const resolve = createWebhookSourceResolver({ store, vault });
    const conn = await createConnection(store, tenantId, vault, { connector: 'webhook', name: 'c', config: { scheme: 'github' }, webhook: { secrets: [{ value: 's' }] } }, new Date());
    const first = await resolve(conn._id);
    const burst = await Promise.all(Array.from({ length: 20 }, () => resolve(conn._id)));
    for (const source of burst) expect(source).toBe(first);
  });
});

describe('batched enqueue', () => {
  const redis = connectRedis(REDIS_URL);
  const queues = createQueues({ connection: redis, prefix: queuePrefix('batched-enqueue') });
  afterAll(async () => {
    await dropQueues(queues);
    await redis.quit();
  });

  it('adds every job of a burst under its own job id, and a repeated id only once', async () => {
    const enqueue = createEnvelopeEnqueuer(queues);
    const ids = Array.from({ length: 30 }, (_, i) => `whe_batch_${i}`);
    const results = await Promise.all([...ids, ids[0]!, ids[1]!].map((id) => enqueue({ tenantId: 'ten_x', envelopeId: id, jobId: id })));
    expect(results.every((r) => r.ok)).toBe(true);
    const jobs = await queues.get('webhooks').getJobs(['waiting', 'prioritized', 'delayed', 'paused']);
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort());
    for (const job of jobs) expect(job.data).toEqual({ tenantId: 'ten_x', envelopeId: job.id });
  });
});
