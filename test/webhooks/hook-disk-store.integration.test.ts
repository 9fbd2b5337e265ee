import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import type { InboundWebhookEvent, InboundWebhookHandler } from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { hookFixture, randomSecret, waitFor } from './hook-fixture.ts';

// The embedded store on disk, as the hub runs it: envelope bodies and headers live beside the datafile.
const dir = mkdtempSync(join(tmpdir(), 'hub-hooks-disk-'));
const fx = hookFixture('hook-disk-store', { store: createStore(createNedbStore({ dir })) });
const secret = randomSecret('whsec_');
let tenant = { id: '', key: '' };
let connectionId = '';

beforeAll(async () => {
  tenant = await fx.tenant('disk');
  connectionId = await fx.connection(tenant.id, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
});
afterAll(async () => {
  await fx.close();
  await fx.services.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhooks over the embedded store on disk', () => {
  it('stores the raw body and headers out of the datafile, serves them, and processes from them', async () => {
    const body = JSON.stringify({ invoice: 'INV-DISK-1', note: 'ü'.repeat(300) });
    const res = await fx.post(connectionId, body, { 'x-trace': 'disk-1', ...signStandardWebhook({ secret, id: 'msg_disk_1', timestamp: new Date(), body }) });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    const encoded = Buffer.from(body).toString('base64');

    const datafile = readFileSync(join(dir, 'webhook_envelopes.db'), 'utf8');
    expect(datafile).toContain(eventId);
    expect(datafile).not.toContain(encoded);
    expect(datafile).not.toContain('disk-1');
    expect(readFileSync(join(dir, 'webhook_envelopes.db.cold'), 'utf8')).toContain(encoded);

    const read = await fx.call('GET', `/v1/webhook-events/${eventId}`, { key: tenant.key });
    expect(read.status).toBe(200);
    const event = (await read.json()) as { body: string; headers: { name: string; value: string }[] };
    expect(event.body).toBe(encoded);
    expect(event.headers).toContainEqual({ name: 'x-trace', value: 'disk-1' });
    expect(event.headers.map((h) => h.name)).not.toContain('webhook-signature');

    const seen: InboundWebhookEvent[] = [];
    const handler: InboundWebhookHandler = {
      name: 'disk-sync',
      async handle(e) {
        seen.push(e);
        return { status: 'processed' };
      },
    };
    const worker = fx.worker({ handlers: [handler] });
    const settled = await waitFor(async () => {
      const e = await fx.envelope(tenant.id, eventId);
      return e.status !== 'received' && e;
    });
    await worker.close();
    expect(settled).toMatchObject({ status: 'processed', body: encoded });
    expect(seen[0]!.changes).toEqual([expect.objectContaining({ data: JSON.parse(body) as unknown })]);

    // A retry of the same event is a duplicate, answered from the stored envelope.
    const again = await fx.post(connectionId, body, signStandardWebhook({ secret, id: 'msg_disk_1', timestamp: new Date(), body }));
    expect(again.status).toBe(200);
  });
});
