import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/test-services.ts';

describe('operations endpoints', () => {
  it('/health answers without dependencies', async () => {
    const { call } = testApp();
    const res = await call('GET', '/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('/ready checks every dependency and answers 503 naming the failing one', async () => {
    const { call } = testApp({
      readiness: [
        { name: 'store', check: async () => undefined },
        { name: 'redis', check: async () => Promise.reject(new Error('connection refused')) },
      ],
    });
    const res = await call('GET', '/ready');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { code: string; checks: Record<string, string> };
    expect(body.code).toBe('service_unavailable');
    expect(body.checks.store).toBe('ok');
    expect(body.checks.redis).toMatch(/connection refused/);
    const ok = await testApp().call('GET', '/ready');
    expect(ok.status).toBe(200);
  });

  it('/openapi.json is OpenAPI 3.1 generated from the route schemas', async () => {
    const { call } = testApp();
    const doc = (await (await call('GET', '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/tenants', '/v1/me', '/v1/api-keys', '/v1/api-keys/{id}', '/health', '/ready']));
    expect(doc.paths['/v1/tenants']!.post!.requestBody).toBeDefined();
    expect(doc.paths['/v1/tenants']!.post!.responses).toHaveProperty('201');
    expect(doc.components.schemas).toHaveProperty('Problem');
    expect(doc.components.securitySchemes).toHaveProperty('bearer');
  });

  it('/docs serves the API reference with its assets locally', async () => {
    const { call } = testApp();
    const page = await call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/openapi.json');
    const js = await call('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await call('GET', '/docs/assets/..%2Fpackage.json')).status).toBe(404);
  });

  it('/metrics exposes HTTP histograms by route pattern', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    await call('GET', '/v1/me', { key: t.key });
    await call('GET', '/v1/api-keys/key_x', { key: t.key });
    const text = await (await call('GET', '/metrics')).text();
    expect(text).toMatch(/hub_http_request_duration_seconds_count\{method="GET",route="\/v1\/me",status="200"\} 1/);
    expect(text).not.toContain('key_x');
  });

  it('logs one line per request without secrets', async () => {
    const { call, tenant, services } = testApp();
    const t = await tenant('acme');
    await call('GET', '/v1/me', { key: t.key });
    await call('GET', '/v1/me', { key: `${t.key}x` });
    const secret = t.key.split('.').pop()!;
    expect(services.logs.text).not.toContain(secret);
    const line = services.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.route === '/v1/me' && l.status === 200);
    expect(line).toMatchObject({ method: 'GET', tenantId: t.id });
  });

  it('the logger redacts secrets in any logged object', async () => {
    const { services } = testApp();
    services.logger.info(
      { headers: { authorization: 'Bearer sk-live-1' }, connection: { credentials: { apiToken: 'tok-2' } }, apiKey: 'k-3', secret: 's-4', password: 'p-5' },
      'config',
    );
    for (const s of ['sk-live-1', 'tok-2', 'k-3', 's-4', 'p-5']) expect(services.logs.text).not.toContain(s);
    expect(services.logs.text).toContain('[redacted]');
  });
});
