import {
  compileEscalationPolicy,
  DEFAULT_POLICY_KEY,
  earlyWarningsCollection,
  listEscalationPolicies,
  loadSweepInput,
  markEarlyWarning,
  owingEscalation,
  rebuildMilestoneWatch,
  recordEscalationAction,
  settleOwedNotice,
  sweepEscalations,
  watchRebuiltAt,
} from '../../core/escalations/index.ts';
import type { CompiledEscalationPolicy, EscalationAction, EscalationDoc, EscalationMilestone, SweepInput } from '../../core/escalations/index.ts';
import { milestonesCollection } from '../../core/milestones/index.ts';
import { DEFAULT_TIME_ZONE } from '../../core/money/index.ts';
import { DuplicateKeyError } from '../../core/store/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';
import type { EscalationDeps } from './escalation-deps.ts';
import { tenantDirectory } from './escalation-directory.ts';
import type { NoticeMilestone, TenantDirectory } from './escalation-directory.ts';
import { sendNotices } from './send-notices.ts';

/** What one sweep did, summed over tenants. */
export interface EscalationSweepResult {
  tenants: number;
  scanned: number;
  opened: number;
  raised: number;
  breached: number;
  closed: number;
  warned: number;
  notifications: number;
  /** Milestone watch documents the rebuild wrote (0 when it was not due). */
  watchRebuilt: number;
  /** Milliseconds spent rebuilding the watch, reading, deciding and recording. */
  timings: { rebuildMs: number; loadMs: number; decideMs: number; recordMs: number };
}

/** Options of {@link runEscalationSweep}. */
export interface EscalationSweepOptions {
  tenantIds?: readonly string[];
  /** Sweep only these milestones (of the one tenant in `tenantIds`), as event triggers do. */
  milestoneIds?: readonly string[];
  /** How often the milestone watch is rebuilt from the milestones. @default one hour */
  rebuildWatchEveryMs?: number;
  /** Decisions recorded at once (each waits on the store and on Redis). @default 16 */
  concurrency?: number;
}

/**
 * One escalation sweep as the `escalations` worker runs it: for every active tenant (or the
 * given ones and milestones), read the sweep input (core/escalations `loadSweepInput`, over the
 * lean milestone watch, rebuilt from the milestones when it is older than
 * `rebuildWatchEveryMs`), decide with each policy over the milestones of its projects
 * (`sweepEscalations`), then record every decision and send its notices: open at level 1, raise
 * to the next level (or to the higher level a business rule asked for), note an SLA breach, close
 * when the cause is gone, and early warnings. Every write is keyed so that a sweep that runs twice
 * records and sends once. The notices a level owes are written with the open or raise that
 * reaches it and cleared once sent, so a sweep also sends those an earlier one wrote but did not
 * get to send (it failed or stopped in between).
 */
export async function runEscalationSweep(deps: EscalationDeps, options: EscalationSweepOptions = {}): Promise<EscalationSweepResult> {
  const now = deps.now();
  const tenants = await deps.store
    .platform(tenantsCollection)
    .find({ status: 'active', ...(options.tenantIds ? { _id: { $in: [...options.tenantIds] } } : {}) }, { projection: { _id: 1, timeZone: 1 } });
  const result: EscalationSweepResult = {
    tenants: tenants.length,
    scanned: 0,
    opened: 0,
    raised: 0,
    breached: 0,
    closed: 0,
    warned: 0,
    notifications: 0,
    watchRebuilt: 0,
    timings: { rebuildMs: 0, loadMs: 0, decideMs: 0, recordMs: 0 },
  };
  for (const tenant of tenants) {
    const db = deps.store.forTenant(tenant._id);
    const timeZone = tenant.timeZone ?? DEFAULT_TIME_ZONE;
    let t = performance.now();
    if (!options.milestoneIds) {
      const rebuilt = await watchRebuiltAt(db);
      if (!rebuilt || now.getTime() - rebuilt.getTime() >= (options.rebuildWatchEveryMs ?? 3_600_000) || rebuilt.getTime() > now.getTime()) {
        result.watchRebuilt += await rebuildMilestoneWatch(db, now);
      }
    }
    result.timings.rebuildMs += performance.now() - t;

    t = performance.now();
    const policies = (await listEscalationPolicies(db)).map((p) => ({ key: p.key, projectIds: new Set(p.projectIds ?? []), compiled: compileEscalationPolicy(p.policy) }));
    const input = await loadSweepInput(db, { now, timeZone, ...(options.milestoneIds ? { milestoneIds: options.milestoneIds } : {}) });
    result.timings.loadMs += performance.now() - t;

    t = performance.now();
    const fallback = policies.find((p) => p.key === DEFAULT_POLICY_KEY)!;
    const byProject = new Map<string, (typeof policies)[number]>();
    for (const p of policies) for (const projectId of p.projectIds) byProject.set(projectId, p);
    const groups = new Map<string, { key: string; compiled: CompiledEscalationPolicy; milestones: EscalationMilestone[] }>();
    for (const m of input.milestones) {
      const doc = input.docs.get(m.id);
      const policy = (doc && byProject.get(doc.projectId)) ?? fallback;
      let group = groups.get(policy.key);
      if (!group) groups.set(policy.key, (group = { key: policy.key, compiled: policy.compiled, milestones: [] }));
      group.milestones.push(m);
    }
    const decided: Array<{ policyKey: string; action: EscalationAction }> = [];
    for (const group of groups.values()) {
      const swept = sweepEscalations({ milestones: group.milestones, escalations: input.escalations, policy: group.compiled, now, timeZone });
      result.scanned += swept.scanned;
      for (const action of swept.actions) decided.push({ policyKey: group.key, action });
    }
    result.timings.decideMs += performance.now() - t;

    t = performance.now();
    const context: RecordContext = { tenantId: tenant._id, db, input, directory: tenantDirectory(db), milestones: new Map(), noticed: new Set(), result };
    // Decisions about different milestones are independent; those of one milestone run in order,
    // then the notices its escalations still owe from an earlier sweep.
    const byMilestone = new Map<string, { decided: Array<{ policyKey: string; action: EscalationAction }>; owing: EscalationDoc[] }>();
    const lane = (milestoneId: string) => {
      let found = byMilestone.get(milestoneId);
      if (!found) byMilestone.set(milestoneId, (found = { decided: [], owing: [] }));
      return found;
    };
    for (const d of decided) lane(d.action.milestoneId).decided.push(d);
    for (const doc of input.openDocs.values()) if ((doc.owedNotices?.length ?? 0) > 0) lane(doc.milestoneId).owing.push(doc);
    const queue = [...byMilestone.values()];
    const lanes = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, queue.length)) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        for (const d of next.decided) await record(deps, context, d.policyKey, d.action);
        for (const doc of next.owing) {
          if (context.noticed.has(doc._id)) continue;
          // Read again: a decision above, or another sweep, may have sent them or resolved it.
          const owing = await owingEscalation(db, doc._id);
          if (owing) await sendOwedNotices(deps, context, owing);
        }
      }
    });
    await Promise.all(lanes);
    result.timings.recordMs += performance.now() - t;
  }
  return result;
}

interface RecordContext {
  tenantId: string;
  db: TenantStore;
  input: SweepInput;
  directory: TenantDirectory;
  milestones: Map<string, Promise<NoticeMilestone | null>>;
  /** Escalations whose owed notices this sweep sent already. */
  noticed: Set<string>;
  result: EscalationSweepResult;
}

/** The milestone as notices show it, read once per sweep and only for milestones with a decision. */
function noticeMilestone(ctx: RecordContext, id: string): Promise<NoticeMilestone | null> {
  let found = ctx.milestones.get(id);
  if (!found) {
    found = ctx.db.collection(milestonesCollection).findOne({ _id: id }, { projection: { _id: 1, projectId: 1, title: 1, owners: 1, dueDate: 1 } }) as Promise<NoticeMilestone | null>;
    ctx.milestones.set(id, found);
  }
  return found;
}

async function record(deps: EscalationDeps, ctx: RecordContext, policyKey: string, action: EscalationAction): Promise<void> {
  const { db, input, result } = ctx;
  const facts = input.docs.get(action.milestoneId);
  if (!facts) return;
  if (action.type === 'early_warning') {
    try {
      await db.collection(earlyWarningsCollection).insert({
        key: action.key,
        milestoneId: action.milestoneId,
        projectId: facts.projectId,
        at: action.at,
        percentComplete: action.percentComplete,
        expectedPercent: action.expectedPercent,
        rule: action.rule,
        recipients: [],
        notificationIds: [],
        unresolved: [],
      });
    } catch (err) {
      if (err instanceof DuplicateKeyError) return;
      throw err;
    }
    await markEarlyWarning(db, action.milestoneId, action.at);
    result.warned += 1;
    const milestone = await noticeMilestone(ctx, action.milestoneId);
    if (!milestone) return;
    const sent = await sendNotices(deps, {
      tenantId: ctx.tenantId,
      directory: ctx.directory,
      milestone,
      refs: action.notify,
      templateKey: action.templateKey,
      key: action.key,
      purpose: 'early_warning',
      values: { percentComplete: action.percentComplete, expectedPercent: action.expectedPercent },
    });
    await db.collection(earlyWarningsCollection).updateOne({ key: action.key }, { $set: { recipients: sent.recipients, notificationIds: sent.notificationIds, unresolved: sent.unresolved } });
    result.notifications += sent.notificationIds.length;
    return;
  }
  const current = action.type === 'open' ? undefined : input.openDocs.get(action.escalationId);
  const written = await recordEscalationAction(db, action, { projectId: facts.projectId, policyKey, ...(current ? { current } : {}) });
  if (!written) return;
  if (action.type === 'breach') result.breached += 1;
  if (action.type === 'close') result.closed += 1;
  if (action.type === 'open' || action.type === 'raise') {
    // A rule's `open` may have joined the milestone's unresolved rule escalation, raising it.
    if (action.type === 'open' && written.history.at(-1)?.type === 'opened') result.opened += 1;
    else result.raised += 1;
  }
  // The level just reached, and any an earlier sweep left owed.
  if (written.state !== 'resolved' && (written.owedNotices?.length ?? 0) > 0) await sendOwedNotices(deps, ctx, written);
}

/**
 * Sends each level's notices `doc` owes, in order, and clears the level once its notifications
 * are requested. Each notification is keyed on the escalation, level and recipient, so sending
 * a level again (a sweep that failed after sending, a retry racing another sweep) requests
 * nothing new, and the escalation lists the level once.
 */
async function sendOwedNotices(deps: EscalationDeps, ctx: RecordContext, doc: EscalationDoc): Promise<void> {
  ctx.noticed.add(doc._id);
  const milestone = await noticeMilestone(ctx, doc.milestoneId);
  if (!milestone) return;
  for (const owed of doc.owedNotices ?? []) {
    const sent = await sendNotices(deps, {
      tenantId: ctx.tenantId,
      directory: ctx.directory,
      milestone,
      refs: owed.refs,
      ...(owed.channels ? { channels: owed.channels } : {}),
      templateKey: owed.templateKey,
      key: `${doc._id}:level-${owed.level}`,
      purpose: 'escalation',
      escalationId: doc._id,
      level: owed.level,
      trigger: doc.trigger,
    });
    const settled = await settleOwedNotice(ctx.db, doc._id, { level: owed.level, at: owed.at, refs: owed.refs, recipients: sent.recipients, notificationIds: sent.notificationIds, unresolved: sent.unresolved });
    if (settled) ctx.result.notifications += sent.notificationIds.length;
  }
}
