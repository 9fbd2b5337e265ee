import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnection } from '../../core/connections/index.ts';
import { createNedbStore, createStore, newId, type CollectionDef } from '../../core/store/index.ts';
import { createWebhookIntake, createWebhookSourceResolver, webhookEnvelopesCollection, type WebhookEnvelopeDoc } from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { hookFixture, PUBLIC_URL, randomSecret } from './hook-fixture.ts';

const fx = hookFixture('legacy-envelopes');
const dir = mkdtempSync(join(tmpdir(), 'hub-legacy-envelopes-'));
afterAll(async () => {
  fx.services.webhookIntake = undefined;
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

// The envelope collection as data directories written before `dedupeKey` hold it.
const legacyEnvelopes: CollectionDef<WebhookEnvelopeDoc> = {
  ...webhookEnvelopesCollection,
  indexes: [{ fields: { tenantId: 1, connectionId: 1, eventKey: 1 }, unique: true }],
};

describe('envelopes stored before the dedupe key existed', () => {
  it('still make a retry of their event a duplicate, not a 503 loop', async () => {
    const secret = randomSecret('whsec_');
    const old = createStore(createNedbStore({ dir }));
    const tenant = (await fx.tenant('legacy')).id;
    const conn = await createConnection(old, tenant, fx.services.vault, { connector: 'webhook', name: 'old', config: { scheme: 'standard-webhooks' }, webhook: { secrets: [{ value: secret }] } }, new Date());
    const legacyId = newId('whe');
    const receivedAt = new Date();
    await old.forTenant(tenant).collection(legacyEnvelopes).insert({
      _id: legacyId,
      connectionId: conn._id,
      connectorId: 'webhook',
      scheme: 'standard-webhooks',
      eventKey: 'msg_before_upgrade',
      eventKeySource: 'provider',
      receivedAt,
      url: `${PUBLIC_URL}/v1/hooks/${conn._id}`,
      headers: [],
      body: '',
      size: 0,
      verification: { ok: true },
      status: 'processed',
      jobId: legacyId,
      replayCount: 0,
      attempts: 1,
      dedupeUntil: new Date(receivedAt.getTime() + 72 * 3600_000),
    } as unknown as WebhookEnvelopeDoc);
    await old.close();

    // Reopened with today's definition: the old unique index is still in the datafile.
    const store = createStore(createNedbStore({ dir }));
    fx.services.webhookIntake = createWebhookIntake({
      store,
      queues: fx.queues,
      resolveSource: createWebhookSourceResolver({ store, vault: fx.services.vault }),
      publicUrl: PUBLIC_URL,
      metrics: fx.services.metrics,
      logger: fx.services.logger,
    });
    const body = '{"late":"retry"}';
    const res = await fx.post(conn._id, body, signStandardWebhook({ secret, id: 'msg_before_upgrade', timestamp: new Date(), body }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ duplicate: true });
    expect(await store.forTenant(tenant).collection(webhookEnvelopesCollection).count({ eventKey: 'msg_before_upgrade' })).toBe(1);

    const fresh = await fx.post(conn._id, body, signStandardWebhook({ secret, id: 'msg_after_upgrade', timestamp: new Date(), body }));
    expect(fresh.status).toBe(202);
    await store.close();
  });
});
