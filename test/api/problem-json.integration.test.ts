import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testApp } from '../helpers/test-services.ts';

const PROBLEM_KEYS = ['type', 'title', 'status', 'code', 'detail', 'requestId'];

async function problem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  for (const k of PROBLEM_KEYS) expect(body, k).toHaveProperty(k);
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
  return body;
}

describe('problem+json', () => {
  it('400 for a body that is not JSON', async () => {
    const { call } = testApp();
    await problem(await call('POST', '/v1/tenants', { key: ADMIN_TOKEN, body: '{"slug": ' }), 400, 'invalid_json');
  });

  it('400 for schema failures, listing every failing field', async () => {
    const { call } = testApp();
    const body = await problem(
      await call('POST', '/v1/tenants', { key: ADMIN_TOKEN, body: { slug: 'Not A Slug', name: '', extra: 1 } }),
      400,
      'validation_failed',
    );
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['body.slug', 'body.name']));
    expect(JSON.stringify(body.errors)).toMatch(/extra/);
  });

  it('401 and 403', async () => {
    const { call, tenant } = testApp();
    await problem(await call('GET', '/v1/me'), 401, 'unauthorized');
    const t = await tenant('acme');
    const viewer = (await (await call('POST', '/v1/api-keys', { key: t.key, body: { name: 'v', role: 'viewer' } })).json()) as { apiKey: string };
    await problem(await call('GET', '/v1/api-keys', { key: viewer.apiKey }), 403, 'forbidden');
  });

  it('404 for unknown routes', async () => {
    const { call } = testApp();
    const body = await problem(await call('GET', '/v1/nothing-here'), 404, 'not_found');
    expect(body.detail).toContain('/v1/nothing-here');
  });

  it('405 with Allow for a known path and another method', async () => {
    const { call } = testApp();
    const res = await call('DELETE', '/v1/me');
    expect(res.headers.get('allow')).toContain('GET');
    await problem(res, 405, 'method_not_allowed');
  });

  it('413 over the body cap, counted while reading', async () => {
    const { app } = testApp({ env: { HUB_BODY_LIMIT_BYTES: '2048' } });
    const big = JSON.stringify({ slug: 'acme', name: 'x'.repeat(5000) });
    const withLength = await app.request('/v1/tenants', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': String(big.length) },
      body: big,
    });
    await problem(withLength, 413, 'payload_too_large');
    // A chunked body declares no length; the cap still applies as it streams in.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const chunked = await app.request('/v1/tenants', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    await problem(chunked, 413, 'payload_too_large');
  });

  it('415 for a media type the route does not take', async () => {
    const { call } = testApp();
    const res = await call('POST', '/v1/tenants', { key: ADMIN_TOKEN, body: 'slug=acme', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    await problem(res, 415, 'unsupported_media_type');
  });

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const { call } = testApp();
    const given = await call('GET', '/health', { headers: { 'X-Request-Id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const unsafe = await call('GET', '/v1/me', { headers: { 'X-Request-Id': 'bad id\twith spaces' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await unsafe.json()) as { requestId: string };
    expect(body.requestId).toBe(unsafe.headers.get('x-request-id'));
  });

  it('500s carry no internals, and are logged with the request id', async () => {
    const { services, app } = testApp();
    services.store.forTenant = () => {
      throw new Error('disk on fire at /secret/path');
    };
    const res = await app.request('/v1/me', { headers: { Authorization: `Bearer mhk_tn_${'0'.repeat(26)}.key_${'0'.repeat(26)}.${'A'.repeat(43)}` } });
    const body = await problem(res, 500, 'internal');
    expect(JSON.stringify(body)).not.toContain('disk on fire');
    expect(services.logs.text).toContain('disk on fire');
    expect(services.logs.text).toContain(String(body.requestId));
  });
});
