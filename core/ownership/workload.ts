import { dateInZone, type DomainContext } from '../domain/index.ts';
import { contractValuesOf, isOverdue, milestonesCollection, paymentValue, type MilestoneDoc } from '../milestones/index.ts';
import { activeDelegations } from './delegations.ts';

/** One open milestone in an owner's workload. */
export interface WorkloadItem {
  id: string;
  title: string;
  projectId: string;
  status: string;
  dueDate?: string;
  /** Paise. */
  value: number;
  overdue: boolean;
  role: 'primary' | 'backup';
  /** Set when the owner holds it as someone's delegate. */
  delegatedFrom?: string;
}

/** An owner's open work. */
export interface Workload {
  owner: string;
  /** How many open (not started or active) milestones they effectively own. */
  openMilestones: number;
  /** What those milestones pay, in paise. */
  totalValue: number;
  overdueCount: number;
  asPrimary: number;
  asBackup: number;
  /** Milestones they hold as a delegate. */
  delegatedIn: number;
  /** Milestones they own but have delegated away for now (not counted above). */
  delegatedOut: number;
  items: WorkloadItem[];
}

const OPEN = { $in: ['not_started', 'active'] };
const MAX_ITEMS = 1000;

/**
 * What an owner (a person id, `team:<name>` or `department:<name>`) has open right now, with
 * delegations in force applied for people: what they delegated away leaves their load, what was
 * delegated to them joins it. Values come from each milestone's payment terms and its project's
 * contract value; overdue is read on the tenant's calendar.
 *
 * @example await ownerWorkload(ctx, 'per_01j...') // { openMilestones: 4, totalValue: 12_50_000_00, overdueCount: 1, ... }
 */
export async function ownerWorkload(ctx: Pick<DomainContext, 'db' | 'now' | 'timeZone'>, owner: string): Promise<Workload> {
  const col = ctx.db.collection(milestonesCollection);
  const at = ctx.now();
  const today = dateInZone(at, ctx.timeZone);
  const person = !owner.includes(':');
  const projection = { outbox: 0 } as const;
  const own = await col.find({ statusCategory: OPEN, deletedAt: { $exists: false }, ownerRefs: owner }, { projection, limit: 20_000 });
  const away = person ? await activeDelegations(ctx.db, [owner], at, 'from') : [];
  const incoming = person ? await activeDelegations(ctx.db, [owner], at, 'to') : [];
  const delegatedAway = (m: MilestoneDoc) => away.some((d) => d.milestoneId === m._id) || away.some((d) => d.milestoneId === undefined);
  const kept = own.filter((m) => !delegatedAway(m));
  const entries: { doc: MilestoneDoc; role: 'primary' | 'backup'; delegatedFrom?: string }[] = kept.map((doc) => ({ doc, role: roleOf(doc, owner) }));
  const seen = new Set(kept.map((m) => m._id));
  for (const d of incoming) {
    const docs = d.milestoneId
      ? await col.find({ _id: d.milestoneId, statusCategory: OPEN, deletedAt: { $exists: false } }, { projection })
      : await col.find({ statusCategory: OPEN, deletedAt: { $exists: false }, ownerRefs: d.fromPersonId }, { projection, limit: 20_000 });
    for (const doc of docs) {
      if (seen.has(doc._id)) continue;
      // A milestone's own delegation to someone else wins over a person-wide one to this owner.
      const overridden = d.milestoneId === undefined && (await activeDelegations(ctx.db, [d.fromPersonId], at, 'from')).some((x) => x.milestoneId === doc._id && x.toPersonId !== owner);
      if (overridden) continue;
      seen.add(doc._id);
      entries.push({ doc, role: roleOf(doc, d.fromPersonId), delegatedFrom: d.fromPersonId });
    }
  }
  const values = await contractValuesOf(ctx.db, entries.map((e) => e.doc));
  let totalValue = 0;
  let overdueCount = 0;
  const items: WorkloadItem[] = entries.map(({ doc, role, delegatedFrom }) => {
    const value = paymentValue(doc.payment, values.get(doc.projectId));
    const overdue = isOverdue(doc, today);
    totalValue += value;
    if (overdue) overdueCount += 1;
    return { id: doc._id, title: doc.title, projectId: doc.projectId, status: doc.status, ...(doc.dueDate ? { dueDate: doc.dueDate } : {}), value, overdue, role, ...(delegatedFrom ? { delegatedFrom } : {}) };
  });
  items.sort((a, b) => (a.dueDate ?? '9999') .localeCompare(b.dueDate ?? '9999') || a.id.localeCompare(b.id));
  return {
    owner,
    openMilestones: items.length,
    totalValue,
    overdueCount,
    asPrimary: items.filter((i) => i.role === 'primary').length,
    asBackup: items.filter((i) => i.role === 'backup').length,
    delegatedIn: items.filter((i) => i.delegatedFrom).length,
    delegatedOut: own.length - kept.length,
    items: items.slice(0, MAX_ITEMS),
  };
}

function roleOf(doc: MilestoneDoc, ref: string): 'primary' | 'backup' {
  const owner = (doc.owners ?? []).find((o) => (o.kind === 'individual' ? o.ref : `${o.kind}:${o.ref}`) === ref);
  return owner?.role ?? 'primary';
}
