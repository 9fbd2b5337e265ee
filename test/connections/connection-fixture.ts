import { randomBytes } from 'node:crypto';
import { testApp } from '../helpers/test-services.ts';

/** A REST connection body for the fake's `/api/contacts`, with the fake's static key. */
export function restConnectionBody(fakeUrl: string, overrides: Record<string, unknown> = {}) {
  return {
    connector: 'rest',
    name: 'Contacts API',
    config: {
      baseUrl: `${fakeUrl}/api`,
      auth: { type: 'header' },
      objects: {
        contacts: {
          path: '/contacts',
          idField: 'id',
          updatedField: 'updated_at',
          listPath: 'data',
          pagination: { type: 'cursor', cursorParam: 'cursor', limitParam: 'limit', nextCursorPath: 'meta.next_cursor' },
          updatedSinceParam: 'updated_since',
          fields: {
            id: { type: 'string', readOnly: true },
            name: { type: 'string', required: true },
            due_on: { type: 'date' },
            priority: { type: 'string', enum: ['Low', 'Medium', 'High', 'Urgent'] },
            amount_rupees: { type: 'number' },
            done_percent: { type: 'number' },
            labels: { type: 'array', items: { type: 'string' } },
            email: { type: 'string' },
            updated_at: { type: 'date', readOnly: true },
          },
        },
      },
    },
    credentials: { name: 'Authorization', value: 'Bearer fake-api-key' },
    ...overrides,
  };
}

/** Roles other than admin, each with a key, for access checks. */
export async function keysFor(call: ReturnType<typeof testApp>['call'], adminKey: string) {
  const keys: Record<string, string> = {};
  for (const role of ['manager', 'owner', 'viewer', 'integration']) {
    const res = await call('POST', '/v1/api-keys', { key: adminKey, body: { name: role, role } });
    keys[role] = ((await res.json()) as { apiKey: string }).apiKey;
  }
  return keys;
}

/** A master key env both apps of a test share, so one can read what the other encrypted. */
export const sharedMasterKey = () => ({ HUB_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}` });
