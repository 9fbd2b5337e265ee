import { expect } from 'vitest';
import { testApp } from '../helpers/test-services.ts';
import { expectStatus } from '../helpers/expect-and-wait.ts';
export { expectStatus };

/** A valid Maharashtra GSTIN (check character V). */
export const GSTIN_MH = '27AAPFU0939F1ZV';

type Call = ReturnType<typeof testApp>['call'];

/** An app with one tenant (admin key), keys for the other roles on demand, and quick creators. */
export async function milestoneWorld(slug = 'acme') {
  const app = testApp();
  const t = await app.tenant(slug);
  const key = t.key;
  const call: Call = (method, path, init = {}) => app.call(method, path, { key, ...init });
  const keyFor = async (role: 'manager' | 'owner' | 'viewer' | 'integration') => {
    const created = await expectStatus<{ id: string; apiKey: string }>(app.call('POST', '/v1/api-keys', { key, body: { name: role, role } }), 201);
    return { id: created.id, key: created.apiKey };
  };
  const project = async (body: Record<string, unknown> = {}) =>
    expectStatus<{ id: string; version: number; contractValue: number }>(
      call('POST', '/v1/projects', { body: { name: 'Tower B', client: { name: 'Acme Infra', gstin: GSTIN_MH, stateCode: '27' }, contractValue: 1_00_00_000_00, ...body } }),
      201,
    );
  const milestone = async (projectId: string, body: Record<string, unknown> = {}) =>
    expectStatus<Milestone>(call('POST', '/v1/milestones', { body: { projectId, kind: 'milestone', title: 'Milestone', ...body } }), 201);
  const move = (id: string, to: string, init: { key?: string } = {}) => app.call('POST', `/v1/milestones/${id}/transitions`, { key: init.key ?? key, body: { to } });
  /** Calls with another key (another role or tenant). */
  const callAs: (as: string, ...args: Parameters<Call>) => ReturnType<Call> = (as, method, path, init = {}) => app.call(method, path, { ...init, key: as });
  return { ...app, tenantId: t.id, key, call, callAs, keyFor, project, milestone, move };
}

/** The fields tests read from a milestone answer. */
export interface Milestone {
  id: string;
  projectId: string;
  parentId?: string;
  kind: string;
  title: string;
  status: string;
  version: number;
  tags: string[];
  percentComplete: number;
  dueDate?: string;
  plannedStart?: string;
  payment?: { amount?: number; percent?: number; value?: number; gstRate?: number };
  owners: { kind: string; ref: string; role: string }[];
  dependencies: { on: string; type: string; condition?: string }[];
  overdue: boolean;
  [key: string]: unknown;
}

/** A problem+json body. */
export interface Problem {
  status: number;
  code: string;
  detail: string;
  reason?: string;
  errors?: { path: string; message: string; code?: string }[];
  [key: string]: unknown;
}
