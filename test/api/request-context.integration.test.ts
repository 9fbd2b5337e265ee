import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { isHookDelivery } from '../../api/create-app.ts';
import { testApp } from '../helpers/test-services.ts';

const servers: ServerType[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** The app behind a real Node HTTP server, where headers are read from and written to the Node messages. */
async function overHttp() {
  const fixture = testApp();
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: fixture.app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...fixture,
    get: (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers }),
    send: (method: string, path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method, headers, body: '{"type":"ping"}' }),
  };
}

describe('request context over a real HTTP server', () => {
  it('sends a request id on answers of every kind, and logs the same id', async () => {
    const { get, tenant, services } = await overHttp();
    const t = await tenant('acme');
    const ok = await get('/v1/me', { Authorization: `Bearer ${t.key}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
    const id = ok.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await ok.json()) as { tenant: { id: string } }).tenant.id).toBe(t.id);

    const denied = await get('/v1/me');
    expect(denied.status).toBe(401);
    const deniedId = denied.headers.get('x-request-id');
    expect(deniedId).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await denied.json()) as { requestId: string }).requestId).toBe(deniedId);
    expect(deniedId).not.toBe(id);

    const missing = await get('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const lines = services.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines.find((l) => l.requestId === id)).toMatchObject({ method: 'GET', route: '/v1/me', status: 200, tenantId: t.id });
    expect(lines.find((l) => l.requestId === deniedId)).toMatchObject({ route: '/v1/me', status: 401 });
    expect(lines.every((l) => typeof l.time === 'string' && !Number.isNaN(Date.parse(l.time)))).toBe(true);
  });

  it('echoes a safe caller id, replaces an unsafe one, and sends the header once', async () => {
    const { get, tenant } = await overHttp();
    const t = await tenant('acme');
    const given = await get('/v1/me', { Authorization: `Bearer ${t.key}`, 'X-Request-Id': 'trace-abc.123' });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const unsafe = await get('/v1/me', { Authorization: `Bearer ${t.key}`, 'X-Request-Id': 'bad id\twith spaces' });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads the bearer token from the incoming message as from a Fetch request', async () => {
    const { get, tenant } = await overHttp();
    const t = await tenant('acme');
    expect((await get('/v1/me', { Authorization: `bearer   ${t.key}  ` })).status).toBe(200);
    expect((await get('/v1/me', { AUTHORIZATION: `Bearer ${t.key}` })).status).toBe(200);
    expect((await get('/v1/me', { Authorization: `Basic ${t.key}` })).status).toBe(401);
    expect((await get('/v1/me', { Authorization: `Bearer ${t.key}x` })).status).toBe(401);
  });
});


describe('webhook deliveries', () => {
  it('take the same request context and error handling as every other request', async () => {
    const { send, get, services } = await overHttp();
    const unknown = await send('POST', '/v1/hooks/con_nothing?source=test', { 'X-Request-Id': 'delivery-1', 'Content-Type': 'application/json' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    expect(unknown.headers.get('x-request-id')).toBe('delivery-1');
    expect(await unknown.json()).toMatchObject({ status: 404, requestId: 'delivery-1', instance: '/v1/hooks/con_nothing' });
    // Other methods on the same path still meet the full app, which names the methods it takes.
    const put = await send('PUT', '/v1/hooks/con_nothing', { 'Content-Type': 'application/json' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');

    const lines = services.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines.find((l) => l.requestId === 'delivery-1')).toMatchObject({ method: 'POST', route: '/v1/hooks/{connectionId}', status: 404 });
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/hub_http_request_duration_seconds_count\{method="POST",route="\/v1\/hooks\/\{connectionId\}",status="404"\} 1/);
  });

  it('are exactly POST /v1/hooks/{connectionId}, with or without a query', () => {
    expect(isHookDelivery('http://h/v1/hooks/con_1')).toBe(true);
    expect(isHookDelivery('https://hub.example:8443/v1/hooks/con_1?a=/b')).toBe(true);
    expect(isHookDelivery('http://h/v1/hooks/')).toBe(false);
    expect(isHookDelivery('http://h/v1/hooks/?a=1')).toBe(false);
    expect(isHookDelivery('http://h/v1/hooks/con_1/')).toBe(false);
    expect(isHookDelivery('http://h/v1/hooks/con_1/extra')).toBe(false);
    expect(isHookDelivery('http://h/v1/hooksx/con_1')).toBe(false);
    expect(isHookDelivery('http://h/x/v1/hooks/con_1')).toBe(false);
    expect(isHookDelivery('http://h/v1/hooks')).toBe(false);
  });
});
