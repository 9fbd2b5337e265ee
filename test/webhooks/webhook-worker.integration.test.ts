import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionsCollection } from '../../core/connections/index.ts';
import { DuplicateKeyError, type BaseDoc, type CollectionDef } from '../../core/store/index.ts';
import {
  createEnvelopeProcessor,
  FAILED_RETENTION_MS,
  type InboundWebhookEvent,
  type InboundWebhookHandler,
} from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { hookFixture, randomSecret, waitFor } from './hook-fixture.ts';

/** What the test sync path writes: one document per envelope, keyed by the envelope id (the processed-key). */
interface EffectDoc extends BaseDoc {
  changes: unknown[];
}
const effectsCollection: CollectionDef<EffectDoc> = { name: 'test_inbound_effects', scope: 'tenant' };

/** A handler whose side effect is idempotent on the envelope id, as the inbound sync path's must be. */
function effectHandler(afterEffect: (event: InboundWebhookEvent) => Promise<void> = async () => undefined) {
  const seen: InboundWebhookEvent[] = [];
  const handler: InboundWebhookHandler = {
    name: 'test-sync',
    async handle(event, { db }) {
      seen.push(event);
      try {
        await db.collection(effectsCollection).insert({ _id: event.envelopeId, changes: [...event.changes] });
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
      await afterEffect(event);
      return { status: 'processed' };
    },
  };
  return { handler, seen };
}

const fx = hookFixture('webhook-worker');
const secret = randomSecret('whsec_');
let tenantId = '';
let connectionId = '';
let seq = 0;

async function receive(payload: unknown = { n: (seq += 1) }): Promise<string> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await fx.post(connectionId, body, signStandardWebhook({ secret, id: `msg_w_${(seq += 1)}`, timestamp: new Date(), body }));
  expect(res.status).toBe(202);
  return ((await res.json()) as { eventId: string }).eventId;
}

const settled = (id: string) =>
  waitFor(async () => {
    const e = await fx.envelope(tenantId, id);
    return e.status !== 'received' && e;
  });

beforeAll(async () => {
  tenantId = (await fx.tenant('worker')).id;
  connectionId = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
});
afterAll(async () => {
  await fx.close();
});

describe('the webhooks worker', () => {
  it('records an ignored outcome ("no handler") while no inbound handler is registered', async () => {
    const worker = fx.worker();
    const id = await receive();
    const e = await settled(id);
    expect(e).toMatchObject({ status: 'ignored', outcome: { reason: 'no handler' }, attempts: 1 });
    expect(e.expiresAt).toEqual(e.dedupeUntil);
    expect(e.dedupeUntil.getTime() - e.receivedAt.getTime()).toBe(72 * 3600_000);
    await worker.close();
  });

  it('parses through the connector and hands the changes to the registered handlers', async () => {
    const { handler, seen } = effectHandler();
    const worker = fx.worker({ handlers: [handler] });
    const id = await receive({ issue: 'PAY-12', status: 'Done' });
    const e = await settled(id);
    expect(e).toMatchObject({ status: 'processed', outcome: { handlers: ['test-sync'] } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ tenantId, connectionId, connectorId: 'webhook', envelopeId: id, attempt: 1 });
    expect(seen[0]!.changes).toEqual([expect.objectContaining({ type: 'event', data: { issue: 'PAY-12', status: 'Done' } })]);
    expect(await fx.services.store.forTenant(tenantId).collection(effectsCollection).count({ _id: id })).toBe(1);
    await worker.close();
  });

  it('settles a body the connector cannot parse as failed at once, and keeps it for replay', async () => {
    const { handler, seen } = effectHandler();
    const worker = fx.worker({ handlers: [handler] });
    const id = await receive('not json at all');
    const e = await settled(id);
    expect(e).toMatchObject({ status: 'failed', attempts: 1, error: { name: 'ParseError' } });
    expect(e.error?.message).toContain('invalid_body');
    expect(e.expiresAt!.getTime()).toBeGreaterThanOrEqual(e.settledAt!.getTime() + FAILED_RETENTION_MS);
    expect(seen).toHaveLength(0);
    const job = await fx.queues!.get('webhooks').getJob(id);
    await waitFor(async () => (await job?.getState()) === 'failed');
    expect((await fx.queues!.get('webhooks').getJob(id))?.attemptsMade).toBe(1);
    await worker.close();
  });

  it('retries a run that failed after its side effect without repeating the effect', async () => {
    const { handler, seen } = effectHandler(async (event) => {
      if (event.attempt === 1) throw new Error('process died after writing');
    });
    const worker = fx.worker({ handlers: [handler] });
    const id = await receive();
    const e = await settled(id);
    expect(e).toMatchObject({ status: 'processed', attempts: 2 });
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
    expect(await fx.services.store.forTenant(tenantId).collection(effectsCollection).count({ _id: id })).toBe(1);
    await worker.close();
  });

  it('finishes a job whose worker was killed mid-run exactly once in effect', async () => {
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const first = effectHandler(async (event) => {
      if (event.attempt === 1) await stuck;
    });
    // A short lock, so the killed worker's job is seen as stalled quickly.
    const doomed = fx.worker({ handlers: [first.handler], lockDuration: 1000 });
    const id = await receive({ order: 'SO-1' });
    const effects = fx.services.store.forTenant(tenantId).collection(effectsCollection);
    await waitFor(async () => (await effects.count({ _id: id })) === 1);
    await doomed.close(true);

    const second = effectHandler();
    const rescuer = fx.worker({ handlers: [second.handler] });
    const e = await settled(id);
    expect(e).toMatchObject({ status: 'processed', attempts: 2 });
    expect(second.seen.map((s) => s.envelopeId)).toEqual([id]);

    // The killed run wakes up late: its outcome must not overwrite the rescuer's.
    release();
    await waitFor(async () => fx.services.logs.text.includes('taken over during the run'));
    expect(await fx.envelope(tenantId, id)).toMatchObject({ status: 'processed', attempts: 2, settledAt: e.settledAt });
    expect(await effects.count({ _id: id })).toBe(1);
    await rescuer.close();
  });
});

describe('the envelope processor', () => {
  const processor = (handlers: InboundWebhookHandler[]) =>
    createEnvelopeProcessor({ store: fx.services.store, handlers, logger: fx.services.logger });

  it('settles failed with the error on the final attempt', async () => {
    const id = await fx.envelopes(tenantId).insert(await storedCopy('{"final":true}')).then((e) => e._id);
    const failing: InboundWebhookHandler = { name: 'broken', handle: () => Promise.reject(new TypeError('mapping is wrong')) };
    const retry = await processor([failing])({ data: { tenantId, envelopeId: id }, jobId: id, finalAttempt: false });
    expect(retry.kind).toBe('retry');
    expect((await fx.envelope(tenantId, id)).status).toBe('received');
    const final = await processor([failing])({ data: { tenantId, envelopeId: id }, jobId: id, finalAttempt: true });
    expect(final.kind).toBe('failed');
    expect(await fx.envelope(tenantId, id)).toMatchObject({ status: 'failed', attempts: 2, error: { name: 'TypeError', message: 'mapping is wrong' } });
  });

  it('hands nothing to the handlers once the connection is deleted', async () => {
    const { handler, seen } = effectHandler();
    const copy = await storedCopy('{"late":true}');
    const gone = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
    const id = await fx.envelopes(tenantId).insert({ ...copy, connectionId: gone }).then((e) => e._id);
    await fx.services.store.forTenant(tenantId).collection(connectionsCollection).updateOne({ _id: gone }, { $set: { status: 'deleted' } });
    expect(await processor([handler])({ data: { tenantId, envelopeId: id }, jobId: id, finalAttempt: false })).toEqual({ kind: 'settled', status: 'ignored' });
    expect(await fx.envelope(tenantId, id)).toMatchObject({ status: 'ignored', outcome: { reason: 'connection deleted' } });
    expect(seen).toHaveLength(0);
  });

  it('lets the TTL index remove a settled envelope once it expires, and never an unsettled one', async () => {
    const settledId = await fx.envelopes(tenantId).insert({ ...(await storedCopy('{"ttl":1}')), status: 'ignored', expiresAt: new Date(Date.now() - 1000) }).then((e) => e._id);
    const pendingId = await fx.envelopes(tenantId).insert(await storedCopy('{"ttl":2}')).then((e) => e._id);
    expect(await fx.envelopes(tenantId).findById(settledId)).toBeNull();
    expect(await fx.envelopes(tenantId).findById(pendingId)).not.toBeNull();
  });

  it('does nothing for a settled envelope, a job of an earlier run, or an envelope that is gone', async () => {
    const { handler, seen } = effectHandler();
    const id = await fx.envelopes(tenantId).insert(await storedCopy('{"once":true}')).then((e) => e._id);
    const run = processor([handler]);
    expect(await run({ data: { tenantId, envelopeId: id }, jobId: 'someone-else', finalAttempt: false })).toEqual({ kind: 'skipped', reason: 'superseded' });
    expect(await run({ data: { tenantId, envelopeId: id }, jobId: id, finalAttempt: false })).toEqual({ kind: 'settled', status: 'processed' });
    expect(await run({ data: { tenantId, envelopeId: id }, jobId: id, finalAttempt: false })).toEqual({ kind: 'skipped', reason: 'processed' });
    expect(await run({ data: { tenantId, envelopeId: 'whe_missing' }, jobId: 'whe_missing', finalAttempt: false })).toEqual({ kind: 'skipped', reason: 'missing' });
    expect(seen).toHaveLength(1);
  });
});

/** A fresh `received` envelope shaped like one the intake stores, for driving the processor directly. */
async function storedCopy(body: string) {
  const id = await receive(JSON.parse(body) as unknown);
  const { _id: _omit, version: _v, createdAt: _c, updatedAt: _u, tenantId: _t, ...rest } = await fx.envelope(tenantId, id);
  await fx.envelopes(tenantId).deleteOne({ _id: id });
  await fx.queues!.get('webhooks').remove(id);
  const { outcome: _o, settledAt: _s, expiresAt: _x, runId: _r, sweptAt: _q, ...unsettled } = rest;
  const copy = `whe_copy_${(seq += 1)}`;
  return { ...unsettled, _id: copy, jobId: copy, eventKey: `copy-${copy}`, status: 'received' as const, attempts: 0 };
}
