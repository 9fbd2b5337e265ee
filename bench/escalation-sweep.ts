// Escalation sweep over 100,000 active milestones with a realistic mix of overdue, unanswered,
// disputed and unpaid ones and 5,000 open escalations. Two figures, side by side in one run:
//  - end to end, as the `escalations` worker runs it (runEscalationSweep): the store queries of an
//    embedded store holding the tenant, the decisions, and the recording of every decision with
//    its notices (notifications stored and enqueued on real Redis when it answers). The first
//    sweep after seeding opens everything that has built up; the figure that has the target is
//    the recurring sweep (the scheduler runs it every minute), measured with the clock moving
//    a minute per round and a hundred new unanswered probes arriving each minute;
//  - the decision step alone (sweepEscalations over in-memory data), for comparison.
// The sweep reads the lean milestone watch; rebuilding it from the milestones (hourly, and in the
// first sweep here) is timed on its own line.
// Target: under 2 s per recurring sweep. Run: node --import tsx bench/escalation-sweep.ts
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { compileEscalationPolicy, DEFAULT_ESCALATION_POLICY, escalationSignalsCollection, escalationsCollection, openEscalation, sweepEscalations } from '../core/escalations/index.ts';
import type { Escalation, EscalationMilestone } from '../core/escalations/index.ts';
import { invoicesCollection } from '../core/invoicing/index.ts';
import { milestonesCollection, type MilestoneDoc } from '../core/milestones/index.ts';
import { peopleCollection } from '../core/people/index.ts';
import { probeSchedulesCollection } from '../core/probes/index.ts';
import { projectsCollection } from '../core/projects/index.ts';
import { createNedbStore, createStore, type NewDoc, type Store } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { connectRedis, createQueues, redisAnswers, type HubQueues } from '../queues/index.ts';
import { runEscalationSweep, type EscalationSweepResult } from '../queues/escalations/index.ts';

const NOW = new Date('2026-12-01T06:30:00Z');
const DAY = 86_400_000;

/** Deterministic milestones: spread over a year of due dates, a fifth of them in trouble. */
export function syntheticMilestones(count: number): EscalationMilestone[] {
  const milestones: EscalationMilestone[] = [];
  const criticalities = ['critical', 'high', 'normal', 'low'] as const;
  for (let i = 0; i < count; i += 1) {
    const dueOffset = (i % 365) - 60; // about 60 days of overdue ones, the rest ahead
    const due = new Date(NOW.getTime() + dueOffset * DAY).toISOString().slice(0, 10);
    const start = new Date(NOW.getTime() + (dueOffset - 90) * DAY).toISOString().slice(0, 10);
    const m: EscalationMilestone = {
      id: `m${i}`,
      category: i % 10 === 0 ? 'not_started' : 'active',
      criticality: criticalities[i % 4],
      dueDate: due,
      startDate: start,
      percentComplete: (i * 7) % 100,
    };
    if (i % 13 === 0) m.awaitingResponseSince = new Date(NOW.getTime() - ((i % 5) + 1) * DAY);
    if (i % 97 === 0) m.disputedAt = new Date(NOW.getTime() - (i % 3) * DAY);
    if (i % 53 === 0) m.payment = { dueDate: due, outstanding: true };
    milestones.push(m);
  }
  return milestones;
}

/** Open escalations on every 20th milestone, at various levels and ages. */
export function syntheticEscalations(milestones: readonly EscalationMilestone[]): Escalation[] {
  const escalations: Escalation[] = [];
  for (let i = 0; i < milestones.length; i += 20) {
    const m = milestones[i] as EscalationMilestone;
    const k = i / 20;
    const at = new Date(NOW.getTime() - ((k % 11) * 2 + 1) * 3_600_000);
    const e = openEscalation({ id: `e${i}`, milestoneId: m.id, trigger: 'overdue', causeKey: `overdue:${String(m.dueDate)}`, at });
    escalations.push({ ...e, level: (k % 4) + 1, state: k % 3 === 0 ? 'acknowledged' : 'open' });
  }
  return escalations;
}

/** Figures of one run. */
export interface SweepFigures {
  milestones: number;
  escalations: number;
  /** The first sweep after seeding: everything that built up is opened and notified. */
  firstSweep: { ms: number; result: EscalationSweepResult };
  /** The recurring sweep, the clock one minute on each round. */
  recurring: { medianMs: number; bestMs: number; worstMs: number; actions: number; notifications: number; loadMs: number; decideMs: number; recordMs: number };
  /** sweepEscalations alone over in-memory data. */
  decideOnly: { medianMs: number; actions: number };
  redis: boolean;
  lines: string[];
}

const ROLES = ['critical', 'high', 'medium', 'low'] as const;
const NEW_PER_ROUND = 100;

/** Seeds one tenant of an embedded store with the synthetic milestones and what surrounds them. */
async function seed(store: Store, milestones: readonly EscalationMilestone[], escalations: readonly Escalation[]): Promise<string> {
  const created = await createTenant(store, { slug: `bench-${randomUUID().slice(0, 8)}`, name: 'Bench Infra Pvt Ltd' });
  if (!created.ok) throw new Error(created.error);
  const tenantId = created.tenant.id;
  const db = store.forTenant(tenantId);
  const person = (id: string, managerId?: string) => ({ _id: id, revision: 1, name: `Person ${id}`, email: `${id}@bench.example.in`, channels: ['email' as const], apiKeyIds: [], outbox: [], ...(managerId ? { managerId } : {}) });
  const directors = Array.from({ length: 3 }, (_, i) => `per_d${i}`);
  const managers = Array.from({ length: 30 }, (_, i) => `per_m${i}`);
  const owners = Array.from({ length: 300 }, (_, i) => `per_o${i}`);
  await db.collection(peopleCollection).insertMany([
    ...directors.map((id) => person(id)),
    ...managers.map((id, i) => person(id, directors[i % directors.length])),
    ...owners.map((id, i) => person(id, managers[i % managers.length])),
  ]);
  const projects = Array.from({ length: 100 }, (_, i) => `prj_b${i}`);
  await db.collection(projectsCollection).insertMany(
    projects.map((id, i) => ({ _id: id, revision: 1, name: `Project ${i}`, client: { name: `Client ${i}`, stateCode: '27', contacts: [{ name: 'Client contact', email: `client${i}@bench.example.in` }] }, contractValue: 1_00_00_000_00, currency: 'INR' as const, timeZone: 'Asia/Kolkata', status: 'active' as const, tags: [], outbox: [] })),
  );
  const docs: NewDoc<MilestoneDoc>[] = milestones.map((m, i) => {
    const owner = { kind: 'individual' as const, ref: owners[i % owners.length]!, role: 'primary' as const };
    return {
      _id: m.id,
      revision: 1,
      projectId: projects[i % projects.length]!,
      kind: 'milestone',
      title: `Milestone ${i}`,
      tags: [],
      priority: ROLES[i % 4],
      percentComplete: m.percentComplete ?? 0,
      ...(typeof m.startDate === 'string' ? { plannedStart: m.startDate } : {}),
      ...(typeof m.dueDate === 'string' ? { dueDate: m.dueDate, overdueAfter: m.dueDate } : {}),
      owners: [owner],
      ownerRefs: [owner.ref],
      dependencies: [],
      status: m.category === 'not_started' ? 'planned' : 'in_progress',
      statusCategory: m.category,
      statusChangedAt: NOW,
      workflow: { id: 'default', version: 1 },
      outbox: [],
    };
  });
  for (let i = 0; i < docs.length; i += 10_000) await db.collection(milestonesCollection).insertMany(docs.slice(i, i + 10_000));
  await db.collection(probeSchedulesCollection).insertMany(milestones.filter((m) => m.awaitingResponseSince).map((m) => ({ milestoneId: m.id, lastProbeAt: m.awaitingResponseSince!, awaitingResponseSince: m.awaitingResponseSince! })));
  await db.collection(escalationSignalsCollection).insertMany(milestones.filter((m) => m.disputedAt).map((m) => ({ milestoneId: m.id, disputedAt: m.disputedAt! })));
  // Only the fields the sweep reads; invoices are otherwise built by core/invoicing.
  await db.collection(invoicesCollection).insertMany(
    milestones.filter((m) => m.payment).map((m, i) => ({ number: `INV/2026-27/${i + 1}`, milestoneId: m.id, status: 'sent', balance: 1_00_000_00, dueDate: new Date(`${String(m.payment!.dueDate)}T00:00:00+05:30`) }) as never),
  );
  await db.collection(escalationsCollection).insertMany(
    escalations.map((e, i) => {
      const { id, ...state } = e;
      return { _id: id, ...state, projectId: projects[Number(e.milestoneId.slice(1)) % projects.length]!, policyKey: 'default', notices: [], causeKey: `${e.causeKey}:${i}` };
    }),
  );
  return tenantId;
}

export async function run({ count = 100_000, rounds = 7 }: { count?: number; rounds?: number } = {}): Promise<SweepFigures> {
  const milestones = syntheticMilestones(count);
  const escalations = syntheticEscalations(milestones);

  // The decision step alone, as before, for comparison.
  const policy = compileEscalationPolicy(DEFAULT_ESCALATION_POLICY);
  sweepEscalations({ milestones: milestones.slice(0, 5_000), escalations, policy, now: NOW });
  const pure: number[] = [];
  let pureActions = 0;
  for (let r = 0; r < rounds; r += 1) {
    const started = performance.now();
    pureActions = sweepEscalations({ milestones, escalations, policy, now: NOW }).actions.length;
    pure.push(performance.now() - started);
  }
  pure.sort((a, b) => a - b);

  // End to end over the store, as the worker runs it.
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const tenantId = await seed(store, milestones, escalations);
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const useRedis = await redisAnswers(redisUrl).catch(() => false);
  const redis = useRedis ? connectRedis(redisUrl) : undefined;
  const queues: HubQueues | undefined = redis ? createQueues({ connection: redis, prefix: `bench-esc-${randomUUID().slice(0, 8)}` }) : undefined;
  let clock = NOW.getTime();
  const deps = { store, ...(queues ? { queues } : {}), now: () => new Date(clock), publicUrl: 'https://hub.example.in' };
  try {
    let started = performance.now();
    const first = await runEscalationSweep(deps, { tenantIds: [tenantId] });
    const firstMs = performance.now() - started;
    const times: number[] = [];
    let actions = 0;
    let notifications = 0;
    const parts = { loadMs: 0, decideMs: 0, recordMs: 0 };
    const db = store.forTenant(tenantId);
    const quiet = milestones.filter((m) => !m.awaitingResponseSince && !m.disputedAt && !m.payment);
    for (let r = 0; r < rounds; r += 1) {
      clock += 60_000;
      // New causes keep arriving: a hundred more probes went unanswered past 48 hours this minute.
      const fresh = quiet.slice(r * NEW_PER_ROUND, (r + 1) * NEW_PER_ROUND);
      await db.collection(probeSchedulesCollection).insertMany(fresh.map((m) => ({ milestoneId: m.id, lastProbeAt: new Date(clock - 49 * 3_600_000), awaitingResponseSince: new Date(clock - 49 * 3_600_000) })));
      started = performance.now();
      const result = await runEscalationSweep(deps, { tenantIds: [tenantId] });
      times.push(performance.now() - started);
      actions += result.opened + result.raised + result.breached + result.closed + result.warned;
      notifications += result.notifications;
      parts.loadMs += result.timings.loadMs / rounds;
      parts.decideMs += result.timings.decideMs / rounds;
      parts.recordMs += result.timings.recordMs / rounds;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const recurring = { medianMs: sorted[Math.floor(sorted.length / 2)]!, bestMs: sorted[0]!, worstMs: sorted.at(-1)!, actions, notifications, ...parts };
    const decideOnly = { medianMs: pure[Math.floor(pure.length / 2)]!, actions: pureActions };
    const fmt = (n: number) => n.toLocaleString('en-IN');
    const firstActions = first.opened + first.raised + first.breached + first.closed + first.warned;
    const lines = [
      `escalation-sweep: ${fmt(count)} active milestones, ${fmt(escalations.length)} open escalations, embedded store${useRedis ? ', notifications enqueued on Redis' : ', notifications stored (Redis not reachable)'}`,
      `  recurring sweep, end to end: median ${recurring.medianMs.toFixed(0)} ms, best ${recurring.bestMs.toFixed(0)} ms, worst ${recurring.worstMs.toFixed(0)} ms (target < 2000 ms): load ${recurring.loadMs.toFixed(0)} ms, decide ${recurring.decideMs.toFixed(0)} ms, record ${recurring.recordMs.toFixed(0)} ms; ${fmt(actions)} actions and ${fmt(notifications)} notifications over ${rounds} rounds`,
      `  first sweep after seeding: ${firstMs.toFixed(0)} ms for ${fmt(firstActions)} actions (${fmt(first.opened)} opened, ${fmt(first.raised)} raised, ${fmt(first.warned)} early warnings) and ${fmt(first.notifications)} notifications; milestone watch rebuilt (${fmt(first.watchRebuilt)} documents, as every hour) ${first.timings.rebuildMs.toFixed(0)} ms, load ${first.timings.loadMs.toFixed(0)} ms, decide ${first.timings.decideMs.toFixed(0)} ms, record ${first.timings.recordMs.toFixed(0)} ms`,
      `  decision step alone (sweepEscalations, in memory): median ${decideOnly.medianMs.toFixed(0)} ms for ${fmt(pureActions)} actions; end to end / decision alone: ${(recurring.medianMs / decideOnly.medianMs).toFixed(1)}x`,
    ];
    return { milestones: count, escalations: escalations.length, firstSweep: { ms: firstMs, result: first }, recurring, decideOnly, redis: useRedis, lines };
  } finally {
    if (queues) {
      for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
    }
    await redis?.quit().catch(() => redis.disconnect());
    await store.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = await run();
  console.log(f.lines.join('\n'));
}
