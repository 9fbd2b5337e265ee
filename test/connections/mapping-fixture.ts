import { testApp } from '../helpers/test-services.ts';
import { restConnectionBody } from './connection-fixture.ts';

/** A milestone ↔ contacts-API task mapping over the REST fixture's `contacts` object. */
export function milestoneSpec(connectionId: string, overrides: Record<string, unknown> = {}) {
  return {
    connectionId,
    name: 'Milestones ↔ tasks',
    hubObject: 'milestone',
    remoteObject: 'contacts',
    direction: 'both',
    match: { hub: 'customFields.taskId', remote: 'id' },
    fields: [
      { hub: 'title', remote: 'name', required: true },
      { hub: 'dueDate', remote: 'due_on' },
      { hub: 'priority', remote: 'priority', valueMap: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Urgent' } },
      { hub: 'payment.amount', remote: 'amount_rupees', toRemote: '$value / 100', toHub: '$round($value * 100)' },
      { hub: 'tags', remote: 'labels' },
    ],
    ...overrides,
  };
}

/** An app with a tenant, a REST connection to `fakeUrl` and helpers to send specs as JSON or YAML. */
export async function mappingSetup(fakeUrl: string, options: Parameters<typeof testApp>[0] = {}) {
  const app = testApp(options);
  const t = await app.tenant('acme');
  const conn = (await (await app.call('POST', '/v1/connections', { key: t.key, body: restConnectionBody(fakeUrl) })).json()) as { id: string };
  const post = (path: string, body: unknown, key = t.key) => app.call('POST', path, { key, body });
  const postYaml = (path: string, text: string, key = t.key) => app.call('POST', path, { key, body: text, headers: { 'Content-Type': 'application/yaml' } });
  const get = (path: string, key = t.key) => app.call('GET', path, { key });
  return { ...app, t, connectionId: conn.id, post, postYaml, get };
}

export interface MappingOut {
  id: string;
  connectionId: string;
  name: string;
  direction: string;
  activeVersion: number | null;
  latestVersion: number;
  previousActiveVersion?: number;
  spec?: Record<string, any>;
}

export interface Problem {
  status: number;
  code: string;
  detail: string;
  errors?: Array<{ path: string; code: string; message: string; position?: number; line?: number; column?: number }>;
}
