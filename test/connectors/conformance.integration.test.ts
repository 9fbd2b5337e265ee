import { restConnector, webhookConnector, type WebhookInput } from '../../connectors/index.ts';
import { startRestFake } from '../fakes/rest/index.ts';
import { describeConformance } from './conformance.ts';

const hook = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): WebhookInput => ({
  headers,
  rawBody: Buffer.from(body),
  receivedAt: new Date('2025-04-01T06:30:00Z'),
});

describeConformance({
  connector: webhookConnector,
  holdsCredentials: false,
  setup: async () => ({
    config: { scheme: 'github', signatureHeader: 'X-Signature-256' },
    credentials: {},
    webhook: {
      samples: [
        hook(JSON.stringify({ id: 'evt_1', type: 'milestone.verified', data: { ref: 'MS-1' } })),
        hook(JSON.stringify([{ id: 'evt_2', event: 'a' }, { id: 'evt_3', event: 'b' }])),
        hook('From=%2B919800000000&Body=Done', { 'content-type': 'application/x-www-form-urlencoded' }),
      ],
      invalid: hook('{"id": '),
    },
  }),
});

describeConformance({
  connector: restConnector,
  holdsCredentials: true,
  setup: async () => {
    const fake = await startRestFake();
    fake.seed('contacts', Array.from({ length: 7 }, (_, i) => ({ name: `Contact ${i + 1}`, email: `c${i + 1}@example.in` })));
    const config = {
      baseUrl: `${fake.url}/api`,
      auth: { type: 'oauth2-client-credentials', tokenUrl: fake.tokenUrl },
      objects: {
        contacts: {
          path: '/contacts',
          idField: 'id',
          updatedField: 'updated_at',
          listPath: 'data',
          pagination: { type: 'cursor', cursorParam: 'cursor', limitParam: 'limit', nextCursorPath: 'meta.next_cursor' },
          pageSize: 50,
          updatedSinceParam: 'updated_since',
          fields: { id: { type: 'string', readOnly: true }, name: { type: 'string', required: true }, email: { type: 'string' }, phone: { type: 'string' }, updated_at: { type: 'date', readOnly: true } },
          samples: [{ id: 'c_0001', name: 'Asha Rao', email: 'asha@example.in', updated_at: '2025-03-31T06:30:00.000Z' }],
        },
      },
    };
    return {
      config,
      credentials: { clientId: 'fake-client', clientSecret: 'fake-client-secret' },
      badCredentials: { clientId: 'fake-client', clientSecret: 'wrong-secret' },
      pull: {
        object: 'contacts',
        expected: 7,
        limit: 3,
        change: () => {
          const id = 'c_0002';
          fake.edit('contacts', id, { phone: '+91 98000 00002' });
          return id;
        },
      },
      push: { object: 'contacts', create: { name: 'Ravi Kumar', email: 'ravi@example.in' }, update: { phone: '+91 98000 11111' }, count: () => fake.count('contacts') },
      fail: (status, retryAfterSeconds) => fake.failNext({ status, ...(retryAfterSeconds === undefined ? {} : { retryAfter: String(retryAfterSeconds) }) }),
      teardown: () => fake.close(),
    };
  },
});
