import { invoicesCollection } from '../invoicing/index.ts';
import { dateInZone } from '../notifications/index.ts';
import { probeSchedulesCollection } from '../probes/index.ts';
import type { Filter, TenantStore } from '../store/index.ts';
import { escalationSignalsCollection, escalationsCollection } from './escalation-doc.ts';
import type { EscalationDoc } from './escalation-doc.ts';
import { milestoneWatchCollection, refreshMilestoneWatch } from './milestone-watch.ts';
import type { MilestoneWatchDoc } from './milestone-watch.ts';
import { escalationOf } from './escalation-records.ts';
import type { Escalation } from './escalation.ts';
import type { EscalationMilestone } from './sweep-escalations.ts';

/** The milestone facts a sweep reads (from the watch). */
export type SweptMilestone = Pick<MilestoneWatchDoc, 'milestoneId' | 'projectId' | 'category' | 'priority' | 'dueDate' | 'plannedStart' | 'percentComplete'>;

/** Everything one sweep of a tenant decides on, read once. */
export interface SweepInput {
  milestones: EscalationMilestone[];
  /** By milestone id. */
  docs: Map<string, SweptMilestone>;
  escalations: Escalation[];
  /** Open escalations by id, as stored (for writes with a version check). */
  openDocs: Map<string, EscalationDoc>;
}

const OUTSTANDING_INVOICES = ['approved', 'sent', 'partially_paid'];

/**
 * Reads what an escalation sweep of one tenant needs, in a handful of queries: open milestones
 * (not started or active, from the lean milestone watch), plus closed ones that still have a dispute, a rejected verification,
 * an unpaid invoice or an open escalation; probes awaiting an answer; the event triggers'
 * signals; outstanding invoices; open escalations, and escalations a person resolved, with when
 * (so their cause does not reopen). With `milestoneIds`, only those milestones, whose watch is brought up
 * to date first.
 */
export async function loadSweepInput(db: TenantStore, args: { now: Date; timeZone: string; milestoneIds?: readonly string[] }): Promise<SweepInput> {
  const only: Filter = args.milestoneIds ? { milestoneId: { $in: [...args.milestoneIds] } } : {};
  const [signals, schedules, invoices, open, resolvedByPeople] = await Promise.all([
    db.collection(escalationSignalsCollection).find(only),
    db.collection(probeSchedulesCollection).find({ ...only, awaitingResponseSince: { $exists: true } }),
    db.collection(invoicesCollection).find({ ...only, status: { $in: OUTSTANDING_INVOICES }, balance: { $gt: 0 } }, { projection: { milestoneId: 1, dueDate: 1 } }),
    db.collection(escalationsCollection).find({ ...only, state: { $in: ['open', 'acknowledged'] } }),
    db.collection(escalationsCollection).find({ ...only, state: 'resolved', resolution: 'resolved' }, { projection: { _id: 1, milestoneId: 1, trigger: 1, causeKey: 1, state: 1, level: 1, openedAt: 1, levelSince: 1, resolvedAt: 1 } }),
  ]);

  const watch = db.collection(milestoneWatchCollection);
  const docs = new Map<string, SweptMilestone>();
  if (args.milestoneIds) for (const id of args.milestoneIds) await refreshMilestoneWatch(db, id);
  const openMilestones: SweptMilestone[] = args.milestoneIds
    ? await watch.find({ milestoneId: { $in: [...args.milestoneIds] } })
    : // No projection: watch documents are lean already, and the embedded store's projection costs more than the copy.
      await watch.find({ category: { $in: ['not_started', 'active'] } });
  for (const m of openMilestones) docs.set(m.milestoneId, m);
  const extra = new Set<string>();
  for (const s of signals) if ((s.disputedAt || s.verificationRejectedAt || s.invoiceUndeliveredAt) && !docs.has(s.milestoneId)) extra.add(s.milestoneId);
  for (const i of invoices) if (!docs.has(i.milestoneId)) extra.add(i.milestoneId);
  for (const e of open) if (!docs.has(e.milestoneId)) extra.add(e.milestoneId);
  if (extra.size > 0) {
    const found = new Map((await watch.find({ milestoneId: { $in: [...extra] } })).map((m) => [m.milestoneId, m]));
    // A milestone without a watch is gone: its escalations close as for a cancelled one.
    for (const id of extra) docs.set(id, found.get(id) ?? { milestoneId: id, projectId: '', category: 'cancelled', percentComplete: 0 });
  }

  const signalOf = new Map(signals.map((s) => [s.milestoneId, s]));
  const awaiting = new Map(schedules.map((s) => [s.milestoneId, s.awaitingResponseSince as Date]));
  const payment = new Map<string, string>();
  for (const i of invoices) {
    const due = dateInZone(i.dueDate instanceof Date ? i.dueDate : new Date(i.dueDate), args.timeZone);
    const known = payment.get(i.milestoneId);
    if (known === undefined || due < known) payment.set(i.milestoneId, due);
  }

  const out: EscalationMilestone[] = [];
  for (const m of docs.values()) {
    const s = signalOf.get(m.milestoneId);
    const e: EscalationMilestone = { id: m.milestoneId, category: m.category };
    if (m.priority) e.criticality = m.priority;
    if (m.dueDate) e.dueDate = m.dueDate;
    if (m.plannedStart) e.startDate = m.plannedStart;
    if (typeof m.percentComplete === 'number') e.percentComplete = m.percentComplete;
    const since = awaiting.get(m.milestoneId);
    if (since) e.awaitingResponseSince = since;
    if (s?.disputedAt) e.disputedAt = s.disputedAt;
    if (s?.verificationRejectedAt) e.verificationRejectedAt = s.verificationRejectedAt;
    if (s?.invoiceUndeliveredAt) e.invoiceUndeliveredAt = s.invoiceUndeliveredAt;
    if (s?.ruleEscalatedAt) e.ruleEscalation = { at: s.ruleEscalatedAt, level: s.ruleEscalationLevel ?? 1 };
    if (s?.lastEarlyWarningAt) e.lastEarlyWarningAt = s.lastEarlyWarningAt;
    const due = payment.get(m.milestoneId);
    if (due !== undefined) e.payment = { dueDate: due, outstanding: true };
    out.push(e);
  }
  return {
    milestones: out,
    docs,
    escalations: [...open.map(escalationOf), ...resolvedByPeople.map((d) => escalationOf(d))],
    openDocs: new Map(open.map((d) => [d._id, d])),
  };
}
