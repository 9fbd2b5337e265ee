// Seeds an embedded store with a tenant holding `projects × perProject` milestones spread over
// statuses, owners, tags and due dates the way a busy tenant's would be, straight into the store
// (the domain's checks would only slow the set-up). Shared by the milestone benchmarks.
import { dateInZone, orderedIds } from '../../core/domain/index.ts';
import { milestonesCollection, ownerRefOf, type MilestoneDoc } from '../../core/milestones/index.ts';
import { projectsCollection } from '../../core/projects/index.ts';
import { newId, type NewDoc, type Store } from '../../core/store/index.ts';
import { DEFAULT_WORKFLOW } from '../../core/workflow/index.ts';

export interface SeededTenant {
  projectIds: string[];
  ownerIds: string[];
  tags: string[];
  statuses: string[];
  count: number;
}

const WEIGHTED_STATUSES = ['planned', 'planned', 'planned', 'in_progress', 'in_progress', 'submitted', 'verified', 'invoiced', 'paid', 'on_hold', 'cancelled'];

export async function seedMilestones(store: Store, tenantId: string, options: { projects?: number; perProject?: number; owners?: number; tags?: number } = {}): Promise<SeededTenant> {
  const { projects = 100, perProject = 1000, owners = 300, tags = 20 } = options;
  const db = store.forTenant(tenantId);
  const ownerIds = Array.from({ length: owners }, () => newId('per'));
  const tagNames = Array.from({ length: tags }, (_, i) => `tag-${i}`);
  const projectIds: string[] = [];
  const categoryOf = new Map(DEFAULT_WORKFLOW.states.map((s) => [s.id, s.category]));
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const at = new Date();
  const today = dateInZone(at);
  for (let p = 0; p < projects; p += 1) {
    const project = await db.collection(projectsCollection).insert({
      _id: newId('prj'),
      revision: 1,
      name: `Project ${p}`,
      client: { name: `Client ${p}`, stateCode: '27', contacts: [] },
      contractValue: 1_00_00_000_00,
      currency: 'INR',
      timeZone: 'Asia/Kolkata',
      status: 'active',
      tags: [],
      outbox: [],
    });
    projectIds.push(project._id);
    const ids = orderedIds('ms', perProject);
    const docs: NewDoc<MilestoneDoc>[] = ids.map((id, i) => {
      const status = WEIGHTED_STATUSES[Math.floor(rand() * WEIGHTED_STATUSES.length)]!;
      const due = new Date(Date.parse(`${today}T00:00:00Z`) + Math.floor((rand() - 0.5) * 720) * 86_400_000).toISOString().slice(0, 10);
      const owner = { kind: 'individual' as const, ref: ownerIds[Math.floor(rand() * owners)]!, role: 'primary' as const };
      const tagList = [tagNames[Math.floor(rand() * tags)]!, ...(rand() < 0.3 ? [tagNames[Math.floor(rand() * tags)]!] : [])];
      return {
        _id: id,
        revision: 1,
        projectId: project._id,
        kind: 'milestone',
        title: `Milestone ${p}.${i}`,
        tags: [...new Set(tagList)],
        percentComplete: Math.floor(rand() * 100),
        plannedStart: due,
        dueDate: due,
        overdueAfter: due,
        ...(i % 10 === 0 ? { payment: { percent: 1, gstRate: 18 } } : {}),
        owners: [owner],
        ownerRefs: [ownerRefOf(owner)],
        dependencies: i > 0 && i % 5 !== 0 ? [{ on: ids[i - 1]!, type: 'finish-to-start' as const }] : [],
        status,
        statusCategory: categoryOf.get(status) ?? 'not_started',
        statusChangedAt: at,
        workflow: { id: 'default', version: 1 },
        outbox: [],
      };
    });
    await db.collection(milestonesCollection).insertMany(docs);
  }
  return { projectIds, ownerIds, tags: tagNames, statuses: [...new Set(WEIGHTED_STATUSES)], count: projects * perProject };
}
