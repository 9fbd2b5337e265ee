import { beforeAll, describe, expect, it } from 'vitest';
import { projectsCollection } from '../../core/projects/index.ts';
import { createNedbStore, createStore, type BaseDoc, type Collection, type CollectionDef, type Filter, type Store } from '../../core/store/index.ts';
import { expectStatus } from '../helpers/expect-and-wait.ts';
import { testApp } from '../helpers/test-services.ts';
import { CLIENT_KA, CLIENT_MH, SUPPLIER_KA } from '../invoices-api/invoice-fixture.ts';

// A client filter names no project, so each analytics request first reads the ids of the
// client's projects. The store below records every `find` on projects to count those reads.

const projectFinds: Filter[] = [];

function recordingProjectFinds(base: Store): Store {
  return {
    ...base,
    forTenant(tenantId: string) {
      const db = base.forTenant(tenantId);
      return {
        tenantId,
        collection: <T extends BaseDoc>(def: CollectionDef<T>): Collection<T> => {
          const col = db.collection(def);
          if (def.name !== projectsCollection.name) return col;
          return Object.assign(Object.create(col) as Collection<T>, {
            find: (...args: Parameters<Collection<T>['find']>) => {
              projectFinds.push(args[0]);
              return col.find(...args);
            },
          });
        },
      };
    },
  };
}

const { call, tenant } = testApp({ store: recordingProjectFinds(createStore(createNedbStore({ dir: '', inMemory: true }))) });
let key = '';
const ids = { ka1: '', ka2: '', mh: '' };

beforeAll(async () => {
  key = (await tenant('analytics-scope')).key;
  await expectStatus(call('PATCH', '/v1/tenant', { key, body: SUPPLIER_KA }), 200);
  const project = async (client: Record<string, unknown>) =>
    (await expectStatus<{ id: string }>(call('POST', '/v1/projects', { key, body: { name: 'Tower', client, contractValue: 10_000_000 } }), 201)).id;
  ids.ka1 = await project(CLIENT_KA);
  ids.ka2 = await project(CLIENT_KA);
  ids.mh = await project(CLIENT_MH);
  // Due long after any horizon, so each lands in `later` at its value plus 18% GST.
  for (const [projectId, amount] of [[ids.ka1, 100_000], [ids.ka2, 200_000], [ids.mh, 400_000]] as const) {
    await expectStatus(
      call('POST', '/v1/milestones', { key, body: { projectId, kind: 'milestone', title: 'Slab', dueDate: '2099-01-10', payment: { amount, gstRate: 18, dueInDays: 30 } } }),
      201,
    );
  }
});

/** Calls an analytics endpoint and returns its answer with the number of project reads it made. */
async function analytics<T>(path: string): Promise<{ body: T; projectReads: number }> {
  projectFinds.length = 0;
  const body = await expectStatus<T>(call('GET', `/v1/analytics/${path}`, { key }), 200);
  return { body, projectReads: projectFinds.length };
}

const client = (c: { name: string }) => `client=${encodeURIComponent(c.name)}`;

describe('analytics scoped to a client', () => {
  it('reads the client projects once per request, cash flow included', async () => {
    for (const path of ['completion-rate', 'delay-patterns', 'owner-performance', 'verification-turnaround', 'cash-flow']) {
      const { projectReads } = await analytics(`${path}?${client(CLIENT_KA)}`);
      expect(projectReads, path).toBe(1);
    }
  });

  it('counts in cash flow only the milestones of the client projects', async () => {
    type Cash = { later: { amount: number; count: number } };
    const later = async (query: string) => (await analytics<Cash>(`cash-flow?weeks=2&months=2${query}`)).body.later;
    expect(await later('')).toEqual({ amount: 118_000 + 236_000 + 472_000, count: 3 });
    expect(await later(`&${client(CLIENT_KA)}`)).toEqual({ amount: 118_000 + 236_000, count: 2 });
    expect(await later(`&${client(CLIENT_MH)}`)).toEqual({ amount: 472_000, count: 1 });
    expect(await later(`&${client(CLIENT_KA)}&projectId=${ids.ka2}`)).toEqual({ amount: 236_000, count: 1 });
    expect(await later(`&${client(CLIENT_KA)}&projectId=${ids.mh}`)).toEqual({ amount: 0, count: 0 });
    expect(await later(`&client=${encodeURIComponent('Nobody Ltd')}`)).toEqual({ amount: 0, count: 0 });
  });

  it('counts completion over the client projects only', async () => {
    const total = async (query: string) => (await analytics<{ total: number }>(`completion-rate${query}`)).body.total;
    expect(await total('')).toBe(3);
    expect(await total(`?${client(CLIENT_KA)}`)).toBe(2);
    expect(await total(`?${client(CLIENT_MH)}`)).toBe(1);
  });
});
