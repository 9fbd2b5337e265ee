import { milestonesCollection } from '../milestones/index.ts';
import type { MilestoneDoc } from '../milestones/index.ts';
import type { BaseDoc, CollectionDef, TenantStore } from '../store/index.ts';
import type { StateCategory } from '../workflow/index.ts';

/**
 * The few facts of a milestone the escalation sweep reads, kept lean so a sweep over every open
 * milestone of a large tenant reads small documents. Kept fresh by the milestone's domain events
 * and rebuilt from the milestones on a schedule, which heals anything the events missed.
 */
export interface MilestoneWatchDoc extends BaseDoc {
  milestoneId: string;
  projectId: string;
  category: StateCategory;
  priority?: MilestoneDoc['priority'];
  dueDate?: string;
  plannedStart?: string;
  percentComplete: number;
}

export const milestoneWatchCollection: CollectionDef<MilestoneWatchDoc> = {
  name: 'escalation_watch',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, milestoneId: 1 }, unique: true }, { fields: { category: 1 } }],
};

/** Per tenant: when the watch was last rebuilt from the milestones. */
export interface EscalationSweepStateDoc extends BaseDoc {
  key: string;
  watchRebuiltAt?: Date;
}

export const escalationSweepStateCollection: CollectionDef<EscalationSweepStateDoc> = {
  name: 'escalation_sweep_state',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }],
};

type Watched = Pick<MilestoneDoc, '_id' | 'projectId' | 'statusCategory' | 'priority' | 'dueDate' | 'plannedStart' | 'percentComplete'> & { deletedAt?: Date };

const PROJECTION = { _id: 1, projectId: 1, statusCategory: 1, priority: 1, dueDate: 1, plannedStart: 1, percentComplete: 1, deletedAt: 1 } as const;

function factsOf(m: Watched): Omit<MilestoneWatchDoc, keyof BaseDoc> {
  return {
    milestoneId: m._id,
    projectId: m.projectId,
    category: m.deletedAt ? 'cancelled' : m.statusCategory,
    ...(m.priority ? { priority: m.priority } : {}),
    ...(m.dueDate ? { dueDate: m.dueDate } : {}),
    ...(m.plannedStart ? { plannedStart: m.plannedStart } : {}),
    percentComplete: typeof m.percentComplete === 'number' ? m.percentComplete : 0,
  };
}

const same = (a: Omit<MilestoneWatchDoc, keyof BaseDoc>, b: MilestoneWatchDoc): boolean =>
  a.projectId === b.projectId && a.category === b.category && a.priority === b.priority && a.dueDate === b.dueDate && a.plannedStart === b.plannedStart && a.percentComplete === b.percentComplete;

/**
 * Brings one milestone's watch up to date (after any of its domain events); a deleted milestone
 * leaves it. Most events (a title edit, a note) change none of the watched facts: the watch is
 * then read, not written.
 */
export async function refreshMilestoneWatch(db: TenantStore, milestoneId: string): Promise<void> {
  const watch = db.collection(milestoneWatchCollection);
  const [m, current] = await Promise.all([
    db.collection(milestonesCollection).findOne({ _id: milestoneId }, { projection: PROJECTION }) as Promise<Watched | null>,
    watch.findOne({ milestoneId }),
  ]);
  if (!m || m.deletedAt) {
    if (current) await watch.deleteOne({ milestoneId });
    return;
  }
  const facts = factsOf(m);
  if (current && same(facts, current)) return;
  await watch.updateOne({ milestoneId }, { $set: facts, ...(facts.priority === undefined || facts.dueDate === undefined || facts.plannedStart === undefined ? { $unset: unsetOf(facts) } : {}) }, { upsert: true });
}

function unsetOf(facts: Omit<MilestoneWatchDoc, keyof BaseDoc>): Record<string, true> {
  const unset: Record<string, true> = {};
  for (const key of ['priority', 'dueDate', 'plannedStart'] as const) if (facts[key] === undefined) unset[key] = true;
  return unset;
}

/**
 * Rebuilds the watch from the milestones: adds the missing, corrects the changed, removes the
 * gone. Returns how many documents it wrote.
 */
export async function rebuildMilestoneWatch(db: TenantStore, at: Date): Promise<number> {
  const watch = db.collection(milestoneWatchCollection);
  const [milestones, watched] = await Promise.all([
    db.collection(milestonesCollection).find({ deletedAt: { $exists: false } }, { projection: PROJECTION }) as Promise<Watched[]>,
    watch.find({}),
  ]);
  const known = new Map(watched.map((w) => [w.milestoneId, w]));
  const fresh: Array<Omit<MilestoneWatchDoc, keyof BaseDoc>> = [];
  let written = 0;
  for (const m of milestones) {
    const facts = factsOf(m);
    const current = known.get(m._id);
    known.delete(m._id);
    if (!current) fresh.push(facts);
    else if (!same(facts, current)) {
      await watch.updateOne({ milestoneId: m._id }, { $set: facts, ...(Object.keys(unsetOf(facts)).length > 0 ? { $unset: unsetOf(facts) } : {}) });
      written += 1;
    }
  }
  for (let i = 0; i < fresh.length; i += 5_000) await watch.insertMany(fresh.slice(i, i + 5_000));
  written += fresh.length;
  if (known.size > 0) written += await watch.deleteMany({ milestoneId: { $in: [...known.keys()] } });
  await db.collection(escalationSweepStateCollection).updateOne({ key: 'watch' }, { $set: { watchRebuiltAt: at } }, { upsert: true });
  return written;
}

/** When the watch was last rebuilt, or null when never. */
export async function watchRebuiltAt(db: TenantStore): Promise<Date | null> {
  return (await db.collection(escalationSweepStateCollection).findOne({ key: 'watch' }))?.watchRebuiltAt ?? null;
}
