import { linkPendingAudit, pendingAudit, withoutPendingAudit, type PendingAuditEntry } from '../audit-log/index.ts';
import {
  domainEvent,
  failWith,
  invalid,
  issuesFromZod,
  revisionedWrite,
  succeed,
  type DomainContext,
  type DomainEvent,
  type DomainResult,
  type FieldIssue,
} from '../domain/index.ts';
import {
  attachEvidence,
  getMilestone,
  milestoneFacts,
  milestonesCollection,
  readEvidence,
  stageEvidenceWithAudit,
  verificationsCollection,
  type ApprovalChain,
  type Approver,
  type MilestoneDoc,
  type VerificationDoc,
} from '../milestones/index.ts';
import { findPeople, peopleForApiKey } from '../people/index.ts';
import { newId, type CollectionDef, type TenantStore, type Update } from '../store/index.ts';
import { evaluateCondition } from '../workflow/index.ts';
import { decisionSchema, signalSchema, verificationRequestSchema } from './verification-schema.ts';

/** A verification as stored: its audit entries wait on it until linked into the audit chain. */
type StoredVerification = VerificationDoc & { auditOutbox?: PendingAuditEntry[] };
const verifications = verificationsCollection as CollectionDef<StoredVerification>;

/** Who is deciding: the key's role and the people the actor stands for. */
export interface ApproverIdentity {
  role?: string | undefined;
  personIds: string[];
}

/** The role and people `ctx`'s actor acts as: a key's role and linked people, or the person who replied. */
export async function approverIdentity(ctx: DomainContext): Promise<ApproverIdentity> {
  if (ctx.actor.kind === 'reply') return { personIds: [ctx.actor.id] };
  if (ctx.actor.kind === 'user') return { role: ctx.actor.role, personIds: (await peopleForApiKey(ctx.db, ctx.actor.id)).map((p) => p._id) };
  return { personIds: [] };
}

/**
 * Requests verification of a milestone's delivery. `manual` needs an approval chain (default:
 * one step by a manager), `automated` a condition over the milestone and/or a connector signal,
 * `hybrid` both. A condition that already holds passes at once. One verification may be pending
 * per milestone. Emits `verification.requested` (and `verification.approved` when it passes at once).
 *
 * @example await requestVerification(ctx, milestoneId, { approvers: [{ role: 'manager' }, { role: 'admin' }] })
 */
export async function requestVerification(ctx: DomainContext, milestoneId: string, input: unknown, options: { role?: string | undefined } = {}): Promise<DomainResult<VerificationDoc>> {
  const parsed = verificationRequestSchema.safeParse(input ?? {});
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const body = parsed.data;
  const milestone = await getMilestone(ctx.db, milestoneId, { role: options.role });
  if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
  const method = body.method ?? milestone.verificationMethod ?? (body.automated && !body.chain && !body.approvers ? 'automated' : 'manual');
  const chain: ApprovalChain | undefined = body.chain ?? (body.approvers ? { mode: 'sequential', steps: body.approvers as Approver[] } : method === 'automated' ? undefined : { mode: 'sequential', steps: [{ role: 'manager' }] });
  // Read once: the content is hashed here, and the hash goes on to be stored.
  const read = readEvidence(body.evidence ?? []);
  const issues: FieldIssue[] = [...read.issues];
  if (method === 'automated' && chain) issues.push({ path: 'chain', message: 'automated verification takes no approvers; use hybrid for both', code: 'chain_not_allowed' });
  if (method !== 'manual' && !body.automated?.condition && !body.automated?.signal) {
    issues.push({ path: 'automated', message: `${method} verification needs automated.condition or automated.signal`, code: 'automated_check_required' });
  }
  if (method === 'manual' && body.automated) issues.push({ path: 'automated', message: 'manual verification takes no automated check; use hybrid for both', code: 'automated_not_allowed' });
  if (chain?.mode === 'quorum' && chain.required > chain.approvers.length) {
    issues.push({ path: 'chain.required', message: `needs ${chain.required} approvals but lists ${chain.approvers.length} approvers`, code: 'quorum_too_large' });
  }
  const approvers = chain ? (chain.mode === 'sequential' ? chain.steps : chain.approvers) : [];
  const people = await findPeople(ctx.db, approvers.flatMap((a) => (a.personId ? [a.personId] : [])));
  approvers.forEach((a, i) => {
    if (a.personId && !people.has(a.personId)) issues.push({ path: `${chain?.mode === 'quorum' ? 'chain.approvers' : 'chain.steps'}.${i}.personId`, message: `no person '${a.personId}'`, code: 'unknown_person' });
  });
  if (issues.length > 0) return invalid(issues);
  const col = ctx.db.collection(verifications);
  const pending = await col.findOne({ milestoneId, status: 'pending', deletedAt: { $exists: false } });
  if (pending) return failWith({ code: 'conflict', message: `verification ${pending._id} is still pending; decide or cancel it first`, details: { pending: pending._id } });

  const id = newId('ver');
  const at = ctx.now();
  let automated: VerificationDoc['automated'];
  if (body.automated) {
    automated = { ...body.automated } as VerificationDoc['automated'];
    if (body.automated.condition) {
      const verdict = await evaluateCondition(body.automated.condition, milestoneFacts(milestone));
      if (!verdict.ok) return invalid([{ path: 'automated.condition', message: verdict.error.message, code: 'condition_error' }]);
      if (verdict.value.passed && !body.automated.signal) automated = { ...automated, passed: true, passedAt: at, detail: 'condition held when requested' };
    }
  }
  const approved = isComplete({ method, chain, automated, decisions: [], currentStep: 0 });
  const aggregate = { type: 'verification' as const, id };
  const data = { milestoneId, projectId: milestone.projectId, method };
  const outbox: DomainEvent[] = [domainEvent(ctx, 'verification.requested', aggregate, { ...data, ...(chain ? { chain } : {}) })];
  if (approved) outbox.push(domainEvent(ctx, 'verification.approved', aggregate, data));
  const doc = {
    _id: id,
    revision: 1,
    milestoneId,
    projectId: milestone.projectId,
    method,
    ...(chain ? { chain } : {}),
    ...(automated ? { automated } : {}),
    status: (approved ? 'approved' : 'pending') as VerificationDoc['status'],
    decisions: [] as VerificationDoc['decisions'],
    currentStep: 0,
    requestedBy: ctx.actor,
    ...(body.note ? { note: body.note } : {}),
    ...(approved ? { approvedAt: at } : {}),
  };
  // The evidence is stored first, waiting for the verification whose entry names it.
  const staged = await stageEvidenceWithAudit(
    ctx,
    milestoneId,
    read.evidence,
    { action: 'verification.requested', aggregate, before: null, after: doc, data: { milestoneId } },
    { target: { def: verifications, id }, verificationId: id },
  );
  const { ids: evidenceIds, audit } = staged;
  const stored = await col.insert({ ...doc, outbox, auditOutbox: [audit] });
  await attachEvidence(ctx, evidenceIds);
  await linkPendingAudit(ctx, verifications, [stored]);
  await summarise(ctx.db, stored);
  return succeed(withoutPendingAudit(stored));
}

/**
 * Records an approver's decision on the current step (sequential) or as one of the approvers
 * (quorum). The actor must be that step's role or person (`forbidden` otherwise) and may decide
 * once. A rejection rejects a sequential chain, and a quorum once too few approvers are left;
 * the last needed approval (with a passed automated check, for hybrid) approves it, which lets the milestone move to its verified state.
 * Emits `verification.decided`, then `verification.approved` or `verification.rejected`.
 */
export async function decideVerification(
  ctx: DomainContext,
  milestoneId: string,
  verificationId: string,
  input: unknown,
  options: { role?: string | undefined } = {},
): Promise<DomainResult<VerificationDoc>> {
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { decision, comment } = parsed.data;
  // Read once: the content is hashed here, not again by each attempt of the write below.
  const { issues: evidenceIssues, evidence } = readEvidence(parsed.data.evidence ?? []);
  if (evidenceIssues.length > 0) return invalid(evidenceIssues);
  const milestone = await getMilestone(ctx.db, milestoneId, { role: options.role });
  if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
  const identity = await approverIdentity(ctx);
  // The evidence the landed attempt staged: its audit entry names them.
  let evidenceIds: string[] = [];
  const written = await revisionedWrite({
    collection: ctx.db.collection(verifications),
    id: verificationId,
    what: 'verification',
    plan: async (doc) => {
      if (doc.milestoneId !== milestoneId) return failWith({ code: 'not_found', message: 'No such verification' });
      if (doc.status !== 'pending') return failWith({ code: 'conflict', message: `the verification is already ${doc.status}` });
      if (!doc.chain) return failWith({ code: 'conflict', message: 'this verification is automated; it takes no decisions' });
      const step = stepFor(doc, identity, ctx);
      if (!step.ok) return failWith({ code: 'forbidden', message: step.message });
      const at = ctx.now();
      const personId = step.personId;
      const decisions = [...doc.decisions, { at, by: ctx.actor, ...(personId ? { personId } : {}), decision, ...(comment ? { comment } : {}), step: step.index }];
      let automated = doc.automated;
      if (automated?.condition && !automated.passed && !automated.signal) automated = await recheck(automated, milestone, at);
      const next = { ...doc, decisions, automated, currentStep: doc.chain.mode === 'sequential' && decision === 'approve' ? doc.currentStep + 1 : doc.currentStep };
      // In a chain one rejection ends it; in a quorum only once the approvals can no longer be reached.
      const rejected = doc.chain.mode === 'sequential' ? decision === 'reject' : quorumUnreachable(next);
      const status = rejected ? 'rejected' : isComplete(next) ? 'approved' : 'pending';
      const aggregate = { type: 'verification' as const, id: verificationId };
      const events = [domainEvent(ctx, 'verification.decided', aggregate, { milestoneId, decision, step: step.index, ...(comment ? { comment } : {}) })];
      const $set: Record<string, unknown> = { decisions, currentStep: next.currentStep, status };
      if (automated) $set.automated = automated;
      if (status === 'approved') {
        $set.approvedAt = at;
        events.push(domainEvent(ctx, 'verification.approved', aggregate, { milestoneId, projectId: doc.projectId }));
      }
      if (status === 'rejected') {
        $set.rejectedAt = at;
        events.push(domainEvent(ctx, 'verification.rejected', aggregate, { milestoneId, projectId: doc.projectId, ...(comment ? { comment } : {}) }));
      }
      // Stored before the write that names them, and skipped by readers until it is stored.
      const staged = await stageEvidenceWithAudit(
        ctx,
        milestoneId,
        evidence,
        { action: 'verification.decided', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, ...$set }, data: { milestoneId, decision } },
        { target: { def: verifications, id: verificationId }, verificationId },
      );
      evidenceIds = staged.ids;
      const audit = staged.audit;
      const update: Update = { $set, $push: { outbox: { $each: events }, auditOutbox: audit } };
      return succeed({ update });
    },
  });
  if (!written.ok) return failWith(written.error);
  await attachEvidence(ctx, evidenceIds);
  await linkPendingAudit(ctx, verifications, [written.value.after]);
  await summarise(ctx.db, written.value.after);
  return succeed(withoutPendingAudit(written.value.after));
}

/**
 * A connector (or the hub) reports an automated check's signal for a milestone: every pending
 * verification waiting for that signal (from that connection, when it names one) records it.
 * A passing signal approves an automated verification, and a hybrid one whose approvals are in;
 * a failing one rejects an automated verification.
 */
export async function recordVerificationSignal(ctx: DomainContext, milestoneId: string, input: unknown): Promise<DomainResult<VerificationDoc[]>> {
  const parsed = signalSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { signal, passed, detail } = parsed.data;
  const milestone = await getMilestone(ctx.db, milestoneId);
  if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
  const col = ctx.db.collection(verifications);
  const waiting = await col.find({ milestoneId, status: 'pending', 'automated.signal': signal, deletedAt: { $exists: false } });
  const updated: VerificationDoc[] = [];
  for (const candidate of waiting) {
    if (candidate.automated?.connectionId && !(ctx.actor.kind === 'connection' && ctx.actor.id === candidate.automated.connectionId)) continue;
    const written = await revisionedWrite({
      collection: col,
      id: candidate._id,
      what: 'verification',
      plan: async (doc) => {
        if (doc.status !== 'pending') return succeed({ update: null });
        const at = ctx.now();
        let automated: NonNullable<VerificationDoc['automated']> = { ...doc.automated!, passed, passedAt: at, ...(detail ? { detail } : {}) };
        if (passed && automated.condition) automated = await recheck(automated, milestone, at);
        const next = { ...doc, automated };
        const status = !passed && doc.method === 'automated' ? 'rejected' : isComplete(next) ? 'approved' : 'pending';
        const aggregate = { type: 'verification' as const, id: doc._id };
        const events = [domainEvent(ctx, 'verification.signal', aggregate, { milestoneId, signal, passed })];
        const $set: Record<string, unknown> = { automated, status };
        if (status === 'approved') {
          $set.approvedAt = at;
          events.push(domainEvent(ctx, 'verification.approved', aggregate, { milestoneId, projectId: doc.projectId }));
        }
        if (status === 'rejected') {
          $set.rejectedAt = at;
          events.push(domainEvent(ctx, 'verification.rejected', aggregate, { milestoneId, projectId: doc.projectId, signal }));
        }
        const audit = pendingAudit(ctx, { action: 'verification.signal', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, ...$set }, data: { milestoneId, signal, passed } });
        return succeed({ update: { $set, $push: { outbox: { $each: events }, auditOutbox: audit } } });
      },
    });
    if (!written.ok) return failWith(written.error);
    if (written.value.changed) {
      await linkPendingAudit(ctx, verifications, [written.value.after]);
      await summarise(ctx.db, written.value.after);
      updated.push(withoutPendingAudit(written.value.after));
    }
  }
  return succeed(updated);
}

/** Withdraws a pending verification. Emits `verification.cancelled`. */
export async function cancelVerification(ctx: DomainContext, milestoneId: string, verificationId: string): Promise<DomainResult<VerificationDoc>> {
  const written = await revisionedWrite({
    collection: ctx.db.collection(verifications),
    id: verificationId,
    what: 'verification',
    plan: async (doc) => {
      if (doc.milestoneId !== milestoneId) return failWith({ code: 'not_found', message: 'No such verification' });
      if (doc.status !== 'pending') return failWith({ code: 'conflict', message: `the verification is already ${doc.status}` });
      const aggregate = { type: 'verification' as const, id: verificationId };
      const audit = pendingAudit(ctx, { action: 'verification.cancelled', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, status: 'cancelled' } });
      return succeed({ update: { $set: { status: 'cancelled' }, $push: { outbox: domainEvent(ctx, 'verification.cancelled', aggregate, { milestoneId }), auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  await linkPendingAudit(ctx, verifications, [written.value.after]);
  await summarise(ctx.db, written.value.after);
  return succeed(withoutPendingAudit(written.value.after));
}

/** A milestone's verifications, newest first. */
export async function listVerifications(db: TenantStore, milestoneId: string): Promise<VerificationDoc[]> {
  return db.collection(verificationsCollection).find({ milestoneId, deletedAt: { $exists: false } }, { sort: { _id: -1 }, limit: 200, projection: { auditOutbox: 0 } });
}

/** One verification of a milestone, or null. */
export async function getVerification(db: TenantStore, milestoneId: string, verificationId: string): Promise<VerificationDoc | null> {
  return db.collection(verificationsCollection).findOne({ _id: verificationId, milestoneId, deletedAt: { $exists: false } }, { projection: { auditOutbox: 0 } });
}

/** The approver the current step (or the quorum) is waiting for, as people read it. */
export function describeApprover(approver: Approver): string {
  return approver.role ? `a ${approver.role} key` : `person ${approver.personId}`;
}

function matches(approver: Approver, identity: ApproverIdentity): string | true | undefined {
  if (approver.role !== undefined) return identity.role === approver.role ? true : undefined;
  return identity.personIds.includes(approver.personId) ? approver.personId : undefined;
}

function stepFor(doc: VerificationDoc, identity: ApproverIdentity, ctx: DomainContext): { ok: true; index: number; personId?: string } | { ok: false; message: string } {
  const chain = doc.chain!;
  const decidedBy = (index: number) => doc.decisions.some((d) => d.step === index);
  const alreadyDecided = doc.decisions.some((d) => (d.by.kind === ctx.actor.kind && d.by.id === ctx.actor.id) || (d.personId !== undefined && identity.personIds.includes(d.personId)));
  if (chain.mode === 'sequential') {
    const step = chain.steps[doc.currentStep];
    if (!step) return { ok: false, message: 'no step is waiting for a decision' };
    const matched = matches(step, identity);
    if (matched === undefined) return { ok: false, message: `step ${doc.currentStep + 1} of ${chain.steps.length} waits for ${describeApprover(step)}` };
    if (alreadyDecided) return { ok: false, message: 'you decided an earlier step; another approver must decide this one' };
    return { ok: true, index: doc.currentStep, ...(matched === true ? {} : { personId: matched }) };
  }
  if (alreadyDecided) return { ok: false, message: 'you have already decided on this verification' };
  for (const [index, approver] of chain.approvers.entries()) {
    if (decidedBy(index)) continue;
    const matched = matches(approver, identity);
    if (matched !== undefined) return { ok: true, index, ...(matched === true ? {} : { personId: matched }) };
  }
  return { ok: false, message: `this verification waits for ${chain.approvers.filter((_a, i) => !decidedBy(i)).map(describeApprover).join(' or ')}` };
}

function isComplete(doc: Pick<VerificationDoc, 'method' | 'chain' | 'automated' | 'decisions' | 'currentStep'>): boolean {
  const automatedOk = doc.method === 'manual' || doc.automated?.passed === true;
  if (!automatedOk) return false;
  if (doc.method === 'automated' || !doc.chain) return true;
  if (doc.chain.mode === 'sequential') return doc.currentStep >= doc.chain.steps.length;
  return doc.decisions.filter((d) => d.decision === 'approve').length >= doc.chain.required;
}

function quorumUnreachable(doc: Pick<VerificationDoc, 'chain' | 'decisions'>): boolean {
  if (doc.chain?.mode !== 'quorum') return false;
  const approvals = doc.decisions.filter((d) => d.decision === 'approve').length;
  const open = doc.chain.approvers.length - doc.decisions.length;
  return approvals + open < doc.chain.required;
}

async function recheck(automated: NonNullable<VerificationDoc['automated']>, milestone: MilestoneDoc, at: Date): Promise<NonNullable<VerificationDoc['automated']>> {
  if (!automated.condition) return automated;
  const verdict = await evaluateCondition(automated.condition, milestoneFacts(milestone));
  const holds = verdict.ok && verdict.value.passed;
  if (automated.signal) return { ...automated, passed: holds && automated.passed === true, ...(holds ? {} : { detail: 'signal received but the condition does not hold' }) };
  return holds ? { ...automated, passed: true, passedAt: at, detail: 'condition holds' } : automated;
}

// Keeps the milestone's summary of its latest verification for lists; a derived field, so the
// milestone's own version does not move.
async function summarise(db: TenantStore, doc: VerificationDoc): Promise<void> {
  await db.collection(milestonesCollection).updateOne({ _id: doc.milestoneId }, { $set: { verification: { id: doc._id, status: doc.status, at: doc.approvedAt ?? doc.rejectedAt ?? doc.updatedAt } } });
}
