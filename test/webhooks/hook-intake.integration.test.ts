import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMeta, signStandardWebhook, signTwilio, twilioBodyHashUrl } from '../../webhooks/verifiers/index.ts';
import { hookFixture, problemShape, PUBLIC_URL, randomSecret } from './hook-fixture.ts';

const fx = hookFixture('hook-intake');
let tenantId = '';
let secret = '';
let connectionId = '';

beforeAll(async () => {
  tenantId = (await fx.tenant('intake')).id;
  secret = randomSecret('whsec_');
  connectionId = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
});
afterAll(async () => {
  await fx.close();
});

const signed = (id: string, body: string | Uint8Array, at = new Date()) => signStandardWebhook({ secret, id, timestamp: at, body });

describe('duplicates', () => {
  it('answers a redelivered event id 200 {"duplicate": true} and queues one job only', async () => {
    const body = JSON.stringify({ type: 'invoice.paid', id: 1 });
    const first = await fx.post(connectionId, body, signed('msg_dup_1', body));
    expect(first.status).toBe(202);
    const { eventId } = (await first.json()) as { eventId: string };
    // A retry is signed afresh (another timestamp) but carries the same webhook-id.
    const again = await fx.post(connectionId, body, signed('msg_dup_1', body, new Date(Date.now() + 30_000)));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    expect(await fx.envelopes(tenantId).count({ eventKey: 'msg_dup_1' })).toBe(1);
    expect((await fx.jobIds()).filter((id) => id === eventId)).toHaveLength(1);
  });

  it('stores one envelope when the same event arrives many times at once, among others', async () => {
    const body = '{"burst":true}';
    const same = Array.from({ length: 10 }, () => fx.post(connectionId, body, signed('msg_burst_same', body)));
    const others = Array.from({ length: 10 }, (_, i) => fx.post(connectionId, body, signed(`msg_burst_${i}`, body)));
    const answers = await Promise.all([...same, ...others]);
    const sameStatuses = answers.slice(0, 10).map((r) => r.status).sort();
    expect(sameStatuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    expect(answers.slice(10).map((r) => r.status)).toEqual(Array(10).fill(202));
    const [stored] = await fx.envelopes(tenantId).find({ eventKey: 'msg_burst_same' });
    expect(await fx.envelopes(tenantId).count({ eventKey: 'msg_burst_same' })).toBe(1);
    expect((await fx.jobIds()).filter((id) => id === stored!._id)).toHaveLength(1);
    expect(await fx.envelopes(tenantId).count({ eventKey: { $regex: /^msg_burst_\d$/ } })).toBe(10);
  });

  it('dedupes on a hash of the body when the provider sends no event id', async () => {
    const appSecret = randomSecret();
    const meta = await fx.connection(tenantId, { config: { scheme: 'meta' }, secrets: [{ value: appSecret }] });
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    const first = await fx.post(meta, body, signMeta({ appSecret, body }));
    expect(first.status).toBe(202);
    const again = await fx.post(meta, body, signMeta({ appSecret, body }));
    expect(again.status).toBe(200);
    const other = `${body} `;
    expect((await fx.post(meta, other, signMeta({ appSecret, body: other }))).status).toBe(202);
    const keys = (await fx.envelopes(tenantId).find({ connectionId: meta })).map((e) => e.eventKey);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps event ids apart per connection', async () => {
    const other = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
    const body = '{"same":"id"}';
    expect((await fx.post(connectionId, body, signed('msg_shared', body))).status).toBe(202);
    expect((await fx.post(other, body, signed('msg_shared', body))).status).toBe(202);
  });
});

describe('unknown connections', () => {
  it('answers unknown, deleted, paused, unrouted and schemeless connections with the same 404', async () => {
    const deleted = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }], status: 'deleted' });
    const paused = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }], status: 'paused' });
    const unrouted = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }], routeActive: false });
    const schemeless = await fx.connection(tenantId, { config: {}, secrets: [{ value: secret }] });
    const body = '{"x":1}';
    const shapes: Record<string, unknown>[] = [];
    for (const id of ['con_doesnotexist', deleted, paused, unrouted, schemeless, 'x'.repeat(300), '%00']) {
      const res = await fx.post(id, body, signed(`msg_404_${id.slice(0, 20)}`, body));
      expect(res.status, id).toBe(404);
      shapes.push(await problemShape(res));
    }
    for (const shape of shapes) expect(shape).toEqual(shapes[0]);
    expect(JSON.stringify(shapes[0])).not.toMatch(/deleted|paused|tenant|connection/i);
    expect(await fx.envelopes(tenantId).count({ connectionId: deleted })).toBe(0);
  });
});

describe('content types', () => {
  it.each(['text/plain', 'application/octet-stream', 'application/xml', ''])('accepts %j bodies as raw bytes', async (type) => {
    const body = new Uint8Array([0xff, 0x00, 0x7b, 0x0a, 0xfe]);
    const headers: Record<string, string> = { ...signed(`msg_type_${type || 'none'}`, body), 'content-type': type };
    if (!type) delete headers['content-type'];
    const res = await fx.app.request(`/v1/hooks/${connectionId}`, { method: 'POST', headers, body });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    expect(Buffer.from((await fx.envelope(tenantId, eventId)).body, 'base64')).toEqual(Buffer.from(body));
  });
});

describe('URL-signing schemes', () => {
  it('verifies Twilio against HUB_PUBLIC_URL plus the path and query', async () => {
    const authToken = randomSecret();
    const twilio = await fx.connection(tenantId, { config: { scheme: 'twilio' }, secrets: [{ value: authToken }] });
    const body = JSON.stringify({ MessageSid: 'SM_json_1' });
    const url = twilioBodyHashUrl(`${PUBLIC_URL}/v1/hooks/${twilio}?region=in`, body);
    const query = url.slice(url.indexOf('?'));
    const ok = await fx.post(twilio, body, signTwilio({ authToken, url }), query);
    expect(ok.status).toBe(202);
    const stored = await fx.envelope(tenantId, ((await ok.json()) as { eventId: string }).eventId);
    expect(stored.url).toBe(url);
    const elsewhere = url.replace(PUBLIC_URL, 'https://attacker.example');
    expect((await fx.post(twilio, body, signTwilio({ authToken, url: elsewhere }), query)).status).toBe(401);
  });
});

describe('size cap', () => {
  let capped = '';
  beforeAll(async () => {
    capped = await fx.connection(tenantId, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }], maxBodyBytes: 2048 });
  });

  it("refuses a declared Content-Length over the connection's cap", async () => {
    const body = 'x'.repeat(4096);
    const res = await fx.post(capped, body, { ...signed('msg_cl', body), 'content-length': '4096' });
    expect(res.status).toBe(413);
    expect(await fx.envelopes(tenantId).count({ connectionId: capped })).toBe(0);
  });

  it('counts the bytes of a streamed body with no length, and of one whose Content-Length lies', async () => {
    let pulled = 0;
    const stream = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1024;
          if (pulled > 1024 * 1024) controller.close();
          else controller.enqueue(new Uint8Array(1024).fill(120));
        },
      });
    const chunked = await fx.app.request(`/v1/hooks/${capped}`, { method: 'POST', body: stream(), duplex: 'half', headers: signed('msg_chunked', 'x') } as RequestInit);
    expect(chunked.status).toBe(413);
    // Reading stopped right after the cap instead of draining the whole megabyte.
    expect(pulled).toBeLessThan(16 * 1024);
    pulled = 0;
    const lying = await fx.app.request(`/v1/hooks/${capped}`, {
      method: 'POST',
      body: stream(),
      duplex: 'half',
      headers: { ...signed('msg_lying', 'x'), 'content-length': '10' },
    } as RequestInit);
    expect(lying.status).toBe(413);
    expect(await fx.envelopes(tenantId).count({ connectionId: capped })).toBe(0);
  });

  it('defaults to 1 MiB', async () => {
    const exactly = 'y'.repeat(1024 * 1024);
    expect((await fx.post(connectionId, exactly, signed('msg_1mib', exactly))).status).toBe(202);
    const over = `${exactly}y`;
    expect((await fx.post(connectionId, over, signed('msg_1mib_plus', over))).status).toBe(413);
  });

  describe('through a listening server', () => {
    let server: ServerType;
    let port = 0;
    beforeAll(async () => {
      await new Promise<void>((resolve) => {
        server = serve({ fetch: fx.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
          port = info.port;
          resolve();
        });
      });
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    /** Streams `total` bytes in 16 KiB chunks, stopping early once an answer has arrived. */
    const sendStreaming = (headers: Record<string, string>, total: number) =>
      new Promise<{ status: number; sent: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: `/v1/hooks/${capped}`, headers }, (res) => {
          answered = true;
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, sent }));
        });
        req.on('error', (err) => (answered ? undefined : reject(err)));
        const chunk = Buffer.alloc(16 * 1024, 120);
        const pump = () => {
          while (!answered && sent < total) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!answered) req.end();
        };
        pump();
      });

    it('answers 413 to a chunked upload without Content-Length before it is all sent', async () => {
      const r = await sendStreaming({ ...signed('msg_srv_chunked', 'x'), 'transfer-encoding': 'chunked' }, 64 * 1024 * 1024);
      expect(r.status).toBe(413);
      expect(r.sent).toBeLessThan(64 * 1024 * 1024);
    });

    it('answers 413 to a declared length over the cap without reading the body', async () => {
      const total = 8 * 1024 * 1024;
      const r = await sendStreaming({ ...signed('msg_srv_cl', 'x'), 'content-length': String(total) }, total);
      expect(r.status).toBe(413);
      expect(r.sent).toBeLessThan(total);
    });

    it('still accepts a body within the cap', async () => {
      const body = '{"ok":true}';
      const res = await fetch(`http://127.0.0.1:${port}/v1/hooks/${capped}`, { method: 'POST', body, headers: signed('msg_srv_ok', body) });
      expect(res.status).toBe(202);
    });
  });
});

describe("Meta's subscription handshake", () => {
  let meta = '';
  const appSecret = randomSecret();
  const verifyToken = 'my-chosen-verify-token';
  beforeAll(async () => {
    meta = await fx.connection(tenantId, {
      config: { scheme: 'meta' },
      secrets: [{ value: appSecret }, { value: verifyToken }],
    });
  });
  const get = (id: string, params: Record<string, string>) => fx.app.request(`/v1/hooks/${id}?${new URLSearchParams(params).toString()}`);

  it('echoes the challenge as text/plain for a matching verify token', async () => {
    const res = await get(meta, { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('answers 403 to a wrong token, another mode or a missing challenge, and 404 to an unknown connection', async () => {
    expect((await get(meta, { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' })).status).toBe(403);
    expect((await get(meta, { 'hub.mode': 'unsubscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1' })).status).toBe(403);
    expect((await get(meta, { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken })).status).toBe(403);
    expect((await get(connectionId, { 'hub.mode': 'subscribe', 'hub.verify_token': secret, 'hub.challenge': '1' })).status).toBe(403);
    expect((await get('con_unknown', { 'hub.mode': 'subscribe', 'hub.verify_token': verifyToken, 'hub.challenge': '1' })).status).toBe(404);
  });

  it('refuses an expired verify token', async () => {
    const expired = await fx.connection(tenantId, {
      config: { scheme: 'meta' },
      secrets: [{ value: appSecret }, { value: 'retired-token', notAfter: new Date(Date.now() - 1000) }],
    });
    expect((await get(expired, { 'hub.mode': 'subscribe', 'hub.verify_token': 'retired-token', 'hub.challenge': '7' })).status).toBe(403);
  });
});

describe('metrics', () => {
  it('counts received, verified, rejected by reason and duplicates per scheme', async () => {
    const text = await fx.services.metrics.metrics();
    expect(text).toMatch(/hub_webhooks_received_total\{scheme="standard-webhooks"\} \d+/);
    expect(text).toMatch(/hub_webhooks_verified_total\{scheme="standard-webhooks"\} \d+/);
    expect(text).toMatch(/hub_webhooks_duplicates_total\{scheme="standard-webhooks"\} [1-9]/);
    expect(text).toMatch(/hub_webhooks_rejected_total\{scheme="standard-webhooks",reason="too_large"\} [1-9]/);
    expect(text).toMatch(/hub_webhooks_rejected_total\{scheme="unknown",reason="unknown_connection"\} [1-9]/);
    expect(text).toMatch(/hub_webhooks_rejected_total\{scheme="twilio",reason="bad_signature"\} [1-9]/);
    const res = await fx.app.request('/metrics');
    expect(await res.text()).toContain('hub_webhooks_received_total');
  });

  it('labels hook requests by route pattern, never by connection id', async () => {
    const text = await fx.services.metrics.metrics();
    expect(text).toContain('route="/v1/hooks/{connectionId}"');
    expect(text).not.toContain(connectionId);
  });
});

describe('problem answers', () => {
  it('gives a 413 that names no connection detail', async () => {
    const body = 'z'.repeat(1024 * 1024 + 10);
    const res = await fx.post(connectionId, body, signed('msg_413_shape', body));
    expect(res.status).toBe(413);
    expect(await problemShape(res)).toMatchObject({ code: 'payload_too_large', detail: 'The body is larger than this endpoint accepts' });
  });
});

describe('OpenAPI', () => {
  it('documents the hook endpoint as public and the webhook-event routes with bearer auth', async () => {
    const doc = (await (await fx.app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    const hook = doc.paths['/v1/hooks/{connectionId}']!;
    expect(Object.keys(hook).sort()).toEqual(['get', 'post']);
    expect(hook.post!.security).toBeUndefined();
    expect(Object.keys(hook.post!.responses)).toEqual(expect.arrayContaining(['200', '202', '401', '404', '413', '503']));
    for (const path of ['/v1/webhook-events', '/v1/webhook-events/{id}', '/v1/webhook-events/{id}/replay', '/v1/webhook-events/replay']) {
      const ops = Object.values(doc.paths[path]!);
      for (const op of ops) expect(op.security).toEqual([{ bearer: [] }]);
    }
  });
});

describe('dedupe window', () => {
  it('remembers event ids for HUB_WEBHOOK_DEDUPE_HOURS from receipt', async () => {
    const wide = hookFixture('hook-intake-window', { env: { HUB_WEBHOOK_DEDUPE_HOURS: '96' } });
    try {
      const t = await wide.tenant('window');
      const conn = await wide.connection(t.id, { config: { scheme: 'standard-webhooks' }, secrets: [{ value: secret }] });
      const body = '{"window":96}';
      const res = await wide.post(conn, body, signed('msg_window', body));
      const e = await wide.envelope(t.id, ((await res.json()) as { eventId: string }).eventId);
      expect(e.dedupeUntil.getTime() - e.receivedAt.getTime()).toBe(96 * 3600_000);
      // Unsettled, it never expires.
      expect(e.expiresAt).toBeUndefined();
    } finally {
      await wide.close();
    }
  });
});

describe('connections made through the connections API', () => {
  it('receive webhooks at their webhookUrl, rotate secrets, and stop when paused or deleted', async () => {
    const t = await fx.tenant('api-made');
    const first = randomSecret('whsec_');
    const created = await fx.call('POST', '/v1/connections', {
      key: t.key,
      body: { connector: 'webhook', name: 'Billing events', config: { scheme: 'standard-webhooks' }, webhook: { secrets: [first] } },
    });
    expect(created.status).toBe(201);
    const conn = (await created.json()) as { id: string; webhookUrl: string };
    expect(conn.webhookUrl).toBe(`${PUBLIC_URL}/v1/hooks/${conn.id}`);
    const send = (id: string, key: string) => {
      const body = JSON.stringify({ id });
      return fx.app.request(new URL(conn.webhookUrl).pathname, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...signStandardWebhook({ secret: key, id, timestamp: new Date(), body }) },
      });
    };
    expect((await send('msg_api_1', first)).status).toBe(202);

    const second = randomSecret('whsec_');
    expect((await fx.call('POST', `/v1/connections/${conn.id}/webhook-secrets`, { key: t.key, body: { value: second } })).status).toBeLessThan(300);
    expect((await send('msg_api_2', second)).status).toBe(202);
    expect((await send('msg_api_3', first)).status).toBe(202);

    expect((await fx.call('PATCH', `/v1/connections/${conn.id}`, { key: t.key, body: { status: 'paused' } })).status).toBe(200);
    expect((await send('msg_api_4', second)).status).toBe(404);
    expect((await fx.call('PATCH', `/v1/connections/${conn.id}`, { key: t.key, body: { status: 'active' } })).status).toBe(200);
    expect((await send('msg_api_5', second)).status).toBe(202);
    expect((await fx.call('DELETE', `/v1/connections/${conn.id}`, { key: t.key })).status).toBe(204);
    expect((await send('msg_api_6', second)).status).toBe(404);

    const events = (await (await fx.call('GET', `/v1/webhook-events?connectionId=${conn.id}`, { key: t.key })).json()) as { items: { eventKey: string }[] };
    expect(events.items.map((e) => e.eventKey).sort()).toEqual(['msg_api_1', 'msg_api_2', 'msg_api_3', 'msg_api_5']);
  });
});
