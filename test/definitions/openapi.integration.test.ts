import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/test-services.ts';

describe('definitions in the API document', () => {
  it('documents every definitions route in /openapi.json', async () => {
    const { call } = testApp();
    const doc = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /v1/workflows',
        'POST /v1/workflows',
        'GET /v1/workflows/{id}',
        'GET /v1/workflows/{id}/versions',
        'POST /v1/workflows/{id}/versions',
        'POST /v1/workflows/{id}/default',
        'POST /v1/workflows/{id}/copy',
        'POST /v1/workflows/{id}/simulate',
        'GET /v1/rules',
        'POST /v1/rules',
        'GET /v1/rules/{id}',
        'PATCH /v1/rules/{id}',
        'DELETE /v1/rules/{id}',
        'POST /v1/rules/dry-run',
        'GET /v1/custom-fields',
        'POST /v1/custom-fields',
        'GET /v1/custom-fields/{id}',
        'PATCH /v1/custom-fields/{id}',
        'DELETE /v1/custom-fields/{id}',
        'POST /v1/custom-fields/validate',
        'GET /v1/templates',
        'POST /v1/templates',
        'GET /v1/templates/{id}',
        'PUT /v1/templates/{id}',
        'DELETE /v1/templates/{id}',
        'GET /v1/templates/{id}/preview',
        'GET /v1/regions',
      ]),
    );
  });

  it('takes merge patches as application/merge-patch+json', async () => {
    const { call, tenant } = testApp();
    const { key } = await tenant('acme');
    const rule = { id: 'r1', name: 'r1', when: { event: 'milestone.overdue' }, then: [{ type: 'escalate' }] };
    expect((await call('POST', '/v1/rules', { key, body: rule })).status).toBe(201);
    const res = await call('PATCH', '/v1/rules/r1', { key, body: { enabled: false }, headers: { 'Content-Type': 'application/merge-patch+json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: false });
  });
});
