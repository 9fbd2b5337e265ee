import { describe, expect, it } from 'vitest';
import type { DomainContext } from '../../core/domain/index.ts';
import { createMilestone } from '../../core/milestones/index.ts';
import { createProject, projectsCollection } from '../../core/projects/index.ts';
import { createNedbStore, createStore, type TenantStore } from '../../core/store/index.ts';
import { HUB_OBJECTS } from '../../queues/sync/index.ts';

describe('sync reads hub milestones as mappings see them', () => {
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const db = store.forTenant('tn_hub_read');
  const ctx: DomainContext = { db, now: () => new Date(), actor: { kind: 'system', id: 'test' } };
  const at = { now: new Date('2026-11-21T06:00:00Z'), timeZone: 'Asia/Kolkata' };

  /** The tenant store, except that reading a project fails the test. */
  const withoutProjects: TenantStore = {
    tenantId: db.tenantId,
    collection(def) {
      if (def.name === projectsCollection.name) throw new Error('read the project');
      return db.collection(def);
    },
  };

  it("prices a percentage payment term from the project's contract value", async () => {
    const project = await createProject(ctx, { name: 'Tower A', client: { name: 'Client', stateCode: '27' }, contractValue: 50_00_000_00 });
    if (!project.ok) throw new Error(project.error.message);
    const made = await createMilestone(ctx, { projectId: project.value._id, title: 'Slab', payment: { percent: 10, gstRate: 18 } });
    if (!made.ok) throw new Error(made.error.message);
    const read = await HUB_OBJECTS.milestone!.read(db, made.value._id, at);
    expect(read?.record).toMatchObject({ id: made.value._id, title: 'Slab', payment: { percent: 10, gstRate: 18, value: 5_00_000_00 } });
    expect(read?.deleted).toBe(false);
    // The value needs the project, so it is read.
    await expect(HUB_OBJECTS.milestone!.read(withoutProjects, made.value._id, at)).rejects.toThrow('read the project');
  });

  it('reads no project for a milestone without a payment term', async () => {
    const project = await createProject(ctx, { name: 'Tower B', client: { name: 'Client', stateCode: '27' }, contractValue: 1_00_000_00 });
    if (!project.ok) throw new Error(project.error.message);
    const made = await createMilestone(ctx, { projectId: project.value._id, title: 'Handover' });
    if (!made.ok) throw new Error(made.error.message);
    const read = await HUB_OBJECTS.milestone!.read(withoutProjects, made.value._id, at);
    expect(read?.record).toMatchObject({ id: made.value._id, projectId: project.value._id, title: 'Handover' });
    expect(read?.record).not.toHaveProperty('payment');
    expect(await HUB_OBJECTS.milestone!.read(db, 'ms_missing', at)).toBeNull();
  });
});
