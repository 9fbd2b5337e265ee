import { failWith, succeed } from '../domain/index.ts';
import type { DomainContext, DomainResult } from '../domain/index.ts';
import { DuplicateKeyError, newId, VersionConflictError } from '../store/index.ts';
import type { Filter, TenantStore } from '../store/index.ts';
import { applyEscalationAction } from './apply-escalation-action.ts';
import { acknowledgeEscalation, raiseEscalation, resolveEscalation } from './escalation.ts';
import type { Escalation, EscalationResult, EscalationState } from './escalation.ts';
import { escalationsCollection } from './escalation-doc.ts';
import type { EscalationDoc, EscalationNotice, OwedEscalationNotice } from './escalation-doc.ts';
import type { EscalationAction } from './sweep-escalations.ts';

const STATE_FIELDS = ['state', 'level', 'levelSince', 'acknowledgedAt', 'acknowledgedBy', 'resolvedAt', 'resolvedBy', 'resolution', 'breachedAt', 'history'] as const;

/** The state machine's view of a stored escalation. */
export function escalationOf(doc: Pick<EscalationDoc, '_id' | 'milestoneId' | 'trigger' | 'causeKey' | 'state' | 'level' | 'openedAt' | 'levelSince' | 'history'> & Partial<EscalationDoc>): Escalation {
  const e: Escalation = {
    id: doc._id,
    milestoneId: doc.milestoneId,
    trigger: doc.trigger,
    causeKey: doc.causeKey,
    state: doc.state,
    level: doc.level,
    openedAt: doc.openedAt,
    levelSince: doc.levelSince,
    history: doc.history ?? [],
  };
  for (const key of ['acknowledgedAt', 'acknowledgedBy', 'resolvedAt', 'resolvedBy', 'resolution', 'breachedAt', 'requestedLevel'] as const) {
    if (doc[key] !== undefined) (e as unknown as Record<string, unknown>)[key] = doc[key];
  }
  return e;
}

/**
 * Writes a new state over `doc`, only if nobody changed it since it was read, with the notice
 * the new level owes when it reaches one.
 */
async function writeState(db: TenantStore, doc: EscalationDoc, next: Escalation, extra: Record<string, unknown> = {}, owed?: OwedEscalationNotice): Promise<EscalationDoc | null> {
  const set: Record<string, unknown> = { ...extra };
  const unset: Record<string, true> = {};
  for (const key of STATE_FIELDS) {
    const value = (next as unknown as Record<string, unknown>)[key];
    if (value === undefined) {
      if ((doc as unknown as Record<string, unknown>)[key] !== undefined) unset[key] = true;
    } else set[key] = value;
  }
  // A settled escalation leaves its milestone free for the next one, and calls on nobody.
  if (next.state === 'resolved') {
    unset.openKey = true;
    unset.owedNotices = true;
  }
  return db
    .collection(escalationsCollection)
    .updateOne(
      { _id: doc._id },
      { $set: set, ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}), ...(owed ? { $push: { owedNotices: owed } } : {}) },
      { expectedVersion: doc.version },
    );
}

const UNRESOLVED = ['open', 'acknowledged'];

/** The {@link EscalationDoc.openKey} of a milestone's unresolved rule escalation. */
function ruleOpenKey(db: TenantStore, milestoneId: string): string {
  return `${db.tenantId}:${milestoneId}:rule`;
}

/** The notice an open or a raise owes the level it reaches. */
function owedNoticeOf(action: Extract<EscalationAction, { type: 'open' | 'raise' }>): OwedEscalationNotice {
  return {
    level: action.type === 'open' ? action.level : action.toLevel,
    at: action.at,
    refs: [...action.notify],
    ...(action.channels ? { channels: [...action.channels] } : {}),
    templateKey: action.templateKey,
  };
}

/**
 * Records one sweep action: `open` inserts the escalation (once per milestone and cause: a
 * second sweep, or a cause a person already resolved, finds it and gets null); `raise`,
 * `breach` and `close` change `current` (null when it changed meanwhile or the change is refused).
 * A raise a business rule asked for is the exception: it applies to the escalation as stored
 * when it is still open and below the level (see {@link raiseToRequestedLevel}).
 *
 * An open or a raise writes the notice of the level it reaches into the escalation's
 * {@link EscalationDoc.owedNotices} in the same write, for {@link settleOwedNotice} to clear once
 * it is sent: the notices are owed until then, whoever sends them.
 *
 * A business rule's escalation opens only while none of the milestone's is unresolved, which the
 * store's unique {@link EscalationDoc.openKey} decides: an `open` decided from a reading in which
 * none was (another sweep's, for a request made at another instant) joins the one stored instead,
 * raising it to the level asked for when that is higher, and gets it back only then.
 */
export async function recordEscalationAction(
  db: TenantStore,
  action: Exclude<EscalationAction, { type: 'early_warning' }>,
  context: { projectId: string; policyKey: string; current?: EscalationDoc },
): Promise<EscalationDoc | null> {
  if (action.type === 'open') {
    const id = newId('esc');
    const result = applyEscalationAction(undefined, action, id);
    if (!result.ok) return null;
    const { id: _id, ...state } = result.value;
    const openKey = action.trigger === 'rule' ? ruleOpenKey(db, action.milestoneId) : undefined;
    if (openKey !== undefined) await claimOpenKey(db, action.milestoneId, openKey);
    try {
      return await db
        .collection(escalationsCollection)
        .insert({ _id: id, ...state, ...(openKey !== undefined ? { openKey } : {}), projectId: context.projectId, policyKey: context.policyKey, notices: [], owedNotices: [owedNoticeOf(action)] });
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
    }
    return openKey === undefined ? null : joinOpenRuleEscalation(db, action);
  }
  const current = context.current;
  if (!current || current._id !== action.escalationId) return null;
  const result = applyEscalationAction(escalationOf(current), action);
  if (!result.ok) return null;
  if (action.type === 'raise' && action.reason === 'rule_requested') return raiseToRequestedLevel(db, current._id, result.value, owedNoticeOf(action));
  return writeStateSafely(db, current, result.value, {}, action.type === 'raise' ? owedNoticeOf(action) : undefined);
}

/**
 * Writes a raise a business rule asked for in one conditional update: only while the escalation
 * is open or acknowledged and below `raised.level`. Requests for different levels are decided
 * from readings that may be out of date by the time they are written; this way a higher request
 * still lands after a lower one (a version check would drop it), a lower one landing after a
 * higher one changes nothing, and each level is reached by one writer only, which alone gets
 * the document back, and owes (and sends) that level's notices. Null when nothing changed.
 */
async function raiseToRequestedLevel(db: TenantStore, id: string, raised: Escalation, owed: OwedEscalationNotice): Promise<EscalationDoc | null> {
  const entry = raised.history.at(-1);
  if (!entry || entry.type !== 'raised') return null;
  return db.collection(escalationsCollection).updateOne(
    { _id: id, state: { $in: UNRESOLVED }, level: { $lt: raised.level } },
    {
      $set: { state: raised.state, level: raised.level, levelSince: raised.levelSince },
      // The new level acknowledges afresh.
      $unset: { acknowledgedAt: true, acknowledgedBy: true },
      // Appended to the history as stored, which may hold a raise this reading did not see.
      $push: { history: entry, owedNotices: owed },
    },
  );
}

/**
 * An `open` of a rule escalation the store refused: the cause is taken already (a resolved
 * escalation of it stays resolved), or another escalation of the rule is unresolved. That one is
 * raised to the level the open asked for when it is below it ({@link raiseToRequestedLevel}, so
 * each level is reached, and noticed, once). Null when nothing changed.
 */
async function joinOpenRuleEscalation(db: TenantStore, action: Extract<EscalationAction, { type: 'open' }>): Promise<EscalationDoc | null> {
  const escalations = db.collection(escalationsCollection);
  const sameCause = await escalations.findOne({ milestoneId: action.milestoneId, causeKey: action.causeKey }, { projection: { _id: 1, state: 1 } });
  if (sameCause?.state === 'resolved') return null;
  // Documents stored before the open key existed are found by their state.
  const open = await escalations.findOne({ milestoneId: action.milestoneId, trigger: 'rule', state: { $in: UNRESOLVED } });
  if (!open || open.level >= action.level) return null;
  const raised = raiseEscalation(escalationOf(open), { toLevel: action.level, at: action.at, reason: 'rule_requested' });
  return raised.ok ? raiseToRequestedLevel(db, open._id, raised.value, owedNoticeOf(action)) : null;
}

/**
 * Gives the milestone's unresolved rule escalation its {@link EscalationDoc.openKey} when it was
 * stored before the key existed, so that it holds the milestone as those opened since do. One
 * conditional write, which changes nothing when there is no such escalation or another holds the
 * key.
 */
async function claimOpenKey(db: TenantStore, milestoneId: string, openKey: string): Promise<void> {
  try {
    await db.collection(escalationsCollection).updateOne({ milestoneId, trigger: 'rule', state: { $in: UNRESOLVED }, openKey: { $exists: false } }, { $set: { openKey } });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
  }
}

async function writeStateSafely(db: TenantStore, doc: EscalationDoc, next: Escalation, extra: Record<string, unknown> = {}, owed?: OwedEscalationNotice): Promise<EscalationDoc | null> {
  try {
    return await writeState(db, doc, next, extra, owed);
  } catch (err) {
    if (err instanceof VersionConflictError) return null;
    throw err;
  }
}

/**
 * Keeps who a level was sent to, once its notifications are requested: the level stops being
 * owed and `notice` joins the escalation's notices, in one conditional write. Only the first of
 * several senders of the same level (a sweep and its retry) changes anything, so the level is
 * listed once however often it is sent; the notifications themselves are keyed on the
 * escalation, level and recipient. False when the level is not owed (any more).
 */
export async function settleOwedNotice(db: TenantStore, escalationId: string, notice: EscalationNotice): Promise<boolean> {
  const settled = await db
    .collection(escalationsCollection)
    .updateOne({ _id: escalationId, owedNotices: { $elemMatch: { level: notice.level } } }, { $pull: { owedNotices: { level: notice.level } }, $push: { notices: notice } });
  return settled !== null;
}

/** The escalation, when it is unresolved and owes notices. */
export async function owingEscalation(db: TenantStore, id: string): Promise<EscalationDoc | null> {
  const doc = await db.collection(escalationsCollection).findOne({ _id: id, state: { $in: UNRESOLVED } });
  return doc && (doc.owedNotices?.length ?? 0) > 0 ? doc : null;
}

/** An escalation as it is shown: without the fields the sweep and the store keep for themselves. */
function shown(doc: EscalationDoc): EscalationDoc {
  const { openKey: _openKey, requestedLevel: _requestedLevel, owedNotices: _owedNotices, ...rest } = doc;
  return rest;
}

/** One escalation of the tenant. */
export async function getEscalation(db: TenantStore, id: string): Promise<EscalationDoc | null> {
  const doc = await db.collection(escalationsCollection).findById(id);
  return doc && shown(doc);
}

/** A tenant's escalations, newest first, optionally of one milestone or state. */
export async function listEscalations(db: TenantStore, filter: { milestoneId?: string | undefined; state?: EscalationState | undefined; limit?: number } = {}): Promise<EscalationDoc[]> {
  const query: Filter = {};
  if (filter.milestoneId !== undefined) query.milestoneId = filter.milestoneId;
  if (filter.state !== undefined) query.state = filter.state;
  return (await db.collection(escalationsCollection).find(query, { sort: { openedAt: -1 }, limit: filter.limit ?? 100 })).map(shown);
}

type Change = (e: Escalation, args: { by: string; at: Date }) => EscalationResult;

async function change(ctx: DomainContext, id: string, apply: Change, extra: Record<string, unknown> = {}): Promise<DomainResult<EscalationDoc>> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const doc = await ctx.db.collection(escalationsCollection).findById(id);
    if (!doc) return failWith({ code: 'not_found', message: 'No such escalation' });
    const result = apply(escalationOf(doc), { by: `${ctx.actor.kind}:${ctx.actor.id}`, at: ctx.now() });
    if (!result.ok) return failWith({ code: 'conflict', message: result.error.message, details: { reason: result.error.code } });
    const written = await writeStateSafely(ctx.db, doc, result.value, extra);
    if (written) return succeed(shown(written));
  }
  return failWith({ code: 'conflict', message: 'the escalation keeps changing; retry' });
}

/** Someone at the current level has seen it: the acknowledgement SLA stops, the next level is not reached. */
export function acknowledgeEscalationById(ctx: DomainContext, id: string): Promise<DomainResult<EscalationDoc>> {
  return change(ctx, id, acknowledgeEscalation);
}

/** Closes an escalation by hand, with an optional note. The same cause does not open it again. */
export function resolveEscalationById(ctx: DomainContext, id: string, note?: string): Promise<DomainResult<EscalationDoc>> {
  return change(ctx, id, (e, args) => resolveEscalation(e, { ...args, ...(note !== undefined ? { note } : {}) }), note !== undefined ? { resolutionNote: note } : {});
}
