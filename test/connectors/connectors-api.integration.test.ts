import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/test-services.ts';

describe('GET /v1/connectors', () => {
  it('lists each connector with its schemas, capabilities, objects and webhook scheme', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    const res = await call('GET', '/v1/connectors', { key: t.key });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<Record<string, any>> };
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId.webhook).toMatchObject({
      displayName: 'Inbound webhook',
      configSchema: { type: 'object', properties: { scheme: { enum: expect.arrayContaining(['standard-webhooks', 'github']) } } },
      capabilities: { pull: false, push: [], webhook: true },
      objects: [{ name: 'event', schema: { properties: { data: { type: 'object' } } } }],
      webhookScheme: null,
    });
    expect(byId.rest).toMatchObject({
      capabilities: { pull: true, get: true, push: ['create', 'update', 'delete'], webhook: false },
      objectsFromConfig: true,
      configSchema: { properties: { baseUrl: { type: 'string' }, objects: { type: 'object' } } },
      examples: expect.arrayContaining([expect.objectContaining({ name: 'zoho-books' }), expect.objectContaining({ name: 'odata-dynamics' })]),
    });
    expect(byId.rest.credentialsSchema.anyOf).toHaveLength(4);
  });

  it('answers one connector, 404 for an unknown one, 401 without a key', async () => {
    const { call, tenant } = testApp();
    const t = await tenant('acme');
    expect(((await (await call('GET', '/v1/connectors/rest', { key: t.key })).json()) as { id: string }).id).toBe('rest');
    expect((await call('GET', '/v1/connectors/jira-server', { key: t.key })).status).toBe(404);
    expect((await call('GET', '/v1/connectors')).status).toBe(401);
  });
});
