import type { Store } from '../../core/store/index.ts';
import type { testApp } from '../helpers/test-services.ts';

type Call = ReturnType<typeof testApp>['call'];

/** Issues a key with the given role through the API, using an admin key. */
export async function keyWithRole(call: Call, adminKey: string, role: 'admin' | 'manager' | 'owner' | 'viewer' | 'integration'): Promise<string> {
  const res = await call('POST', '/v1/api-keys', { key: adminKey, body: { name: role, role } });
  if (res.status !== 201) throw new Error(`could not issue a ${role} key: ${res.status}`);
  return ((await res.json()) as { apiKey: string }).apiKey;
}

/** Every definition collection, for proving that a request wrote nothing. */
export const DEFINITION_COLLECTIONS = ['workflows', 'workflow_versions', 'rules', 'custom_fields', 'tenant_templates'] as const;

/** Documents in each definition collection, across all tenants. */
export async function countDefinitionDocuments(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of DEFINITION_COLLECTIONS) counts[name] = await store.maintenance({ name, scope: 'tenant' }).count({});
  return counts;
}

/** A small valid workflow: planned → on_site → done, with a guard on finishing. */
export function siteWorkflow(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'site-work',
    name: 'Site work',
    initial: 'planned',
    states: [
      { id: 'planned', label: 'Planned', category: 'not_started' },
      { id: 'on_site', label: 'On site', category: 'active' },
      { id: 'done', label: 'Done', category: 'done' },
      { id: 'cancelled', label: 'Cancelled', category: 'cancelled' },
    ],
    transitions: [
      { from: 'planned', to: 'on_site', event: 'start', emits: ['milestone.started'] },
      {
        from: 'on_site',
        to: 'done',
        event: 'finish',
        guard: { all: [{ fact: 'percentComplete', operator: 'equal', value: 100 }] },
      },
      { from: '*', to: 'cancelled', event: 'cancel' },
    ],
    ...overrides,
  };
}
