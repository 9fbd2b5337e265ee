import { z } from 'zod';
import { linkPendingAudit, pendingAudit, withoutPendingAudit } from '../audit-log/index.ts';
import {
  domainEvent,
  failWith,
  invalid,
  issuesFromZod,
  revisionedWrite,
  startOfDayInZone,
  succeed,
  toCalendarDate,
  type DomainContext,
  type DomainResult,
  type FieldIssue,
} from '../domain/index.ts';
import { getMilestone } from '../milestones/index.ts';
import { findPeople } from '../people/index.ts';
import { newId, type TenantStore } from '../store/index.ts';
import { delegationsCollection, type DelegationDoc } from './collections.ts';

/** A delegation as callers write it. Dates alone cover whole days in the tenant's zone (end inclusive). */
export const delegationInputSchema = z
  .object({
    from: z.string().min(1).max(64),
    to: z.string().min(1).max(64),
    start: z.string().min(1).max(40),
    end: z.string().min(1).max(40),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

export type DelegationInput = z.input<typeof delegationInputSchema>;

/**
 * Delegates a person's ownership to another for a period: of one milestone when `milestoneId`
 * is given (the person must own it), else of everything they own. Emits `delegation.created`.
 *
 * @example await createDelegation(ctx, { from: 'per_a', to: 'per_b', start: '2025-05-01', end: '2025-05-15' }, { milestoneId })
 */
export async function createDelegation(
  ctx: DomainContext,
  input: unknown,
  options: { milestoneId?: string | undefined; role?: string | undefined } = {},
): Promise<DomainResult<DelegationDoc>> {
  const parsed = delegationInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const body = parsed.data;
  const issues: FieldIssue[] = [];
  const zone = ctx.timeZone ?? 'Asia/Kolkata';
  const start = instant(body.start, zone, false);
  const end = instant(body.end, zone, true);
  if (!start) issues.push({ path: 'start', message: 'must be a date (YYYY-MM-DD) or an ISO date-time', code: 'invalid_date' });
  if (!end) issues.push({ path: 'end', message: 'must be a date (YYYY-MM-DD) or an ISO date-time', code: 'invalid_date' });
  if (start && end && end <= start) issues.push({ path: 'end', message: 'the delegation must end after it starts', code: 'end_before_start' });
  if (body.from === body.to) issues.push({ path: 'to', message: 'a person cannot delegate to themselves', code: 'self_delegation' });
  const people = await findPeople(ctx.db, [body.from, body.to]);
  for (const field of ['from', 'to'] as const) if (!people.has(body[field])) issues.push({ path: field, message: `no person '${body[field]}'`, code: 'unknown_person' });
  if (options.milestoneId) {
    const milestone = await getMilestone(ctx.db, options.milestoneId, { role: options.role });
    if (!milestone) return failWith({ code: 'not_found', message: 'No such milestone' });
    if (!milestone.owners.some((o) => o.kind === 'individual' && o.ref === body.from)) {
      issues.push({ path: 'from', message: `'${body.from}' does not own this milestone`, code: 'not_an_owner' });
    }
  }
  if (issues.length > 0) return invalid(issues);
  const id = newId('dlg');
  const doc = {
    _id: id,
    revision: 1,
    fromPersonId: body.from,
    toPersonId: body.to,
    ...(options.milestoneId ? { milestoneId: options.milestoneId } : {}),
    start: start!,
    end: end!,
    ...(body.reason ? { reason: body.reason } : {}),
    createdBy: ctx.actor,
  };
  const event = domainEvent(ctx, 'delegation.created', { type: 'delegation', id }, { from: body.from, to: body.to, start: start!, end: end!, ...(options.milestoneId ? { milestoneId: options.milestoneId } : {}) });
  const audit = pendingAudit(ctx, { action: 'delegation.created', aggregate: { type: 'delegation', id }, before: null, after: doc });
  const stored = await ctx.db.collection(delegationsCollection).insert({ ...doc, outbox: [event], auditOutbox: [audit] });
  await linkPendingAudit(ctx, delegationsCollection, [stored]);
  return succeed(withoutPendingAudit(stored));
}

/** Ends a delegation now; it no longer applies. Emits `delegation.revoked`. */
export async function revokeDelegation(ctx: DomainContext, id: string): Promise<DomainResult<DelegationDoc>> {
  const written = await revisionedWrite({
    collection: ctx.db.collection(delegationsCollection),
    id,
    what: 'delegation',
    plan: async (doc) => {
      if (doc.revokedAt) return succeed({ update: null });
      const revokedAt = ctx.now();
      const aggregate = { type: 'delegation' as const, id };
      const audit = pendingAudit(ctx, { action: 'delegation.revoked', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, revokedAt } });
      return succeed({ update: { $set: { revokedAt }, $push: { outbox: domainEvent(ctx, 'delegation.revoked', aggregate, { from: doc.fromPersonId, to: doc.toPersonId }), auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  if (written.value.changed) await linkPendingAudit(ctx, delegationsCollection, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}

/** Delegations in force at `at` from any of `people` (or to them, with `direction: 'to'`). */
export async function activeDelegations(db: TenantStore, people: readonly string[], at: Date, direction: 'from' | 'to' = 'from'): Promise<DelegationDoc[]> {
  if (people.length === 0) return [];
  const field = direction === 'from' ? 'fromPersonId' : 'toPersonId';
  return db.collection(delegationsCollection).find({
    [field]: people.length === 1 ? people[0] : { $in: [...people] },
    start: { $lte: at },
    end: { $gt: at },
    revokedAt: { $exists: false },
    deletedAt: { $exists: false },
  });
}

/** Delegations that touch a milestone: its own, and person-wide ones of the given people. */
export async function delegationsFor(db: TenantStore, milestoneId: string, people: readonly string[]): Promise<DelegationDoc[]> {
  const rows = await db.collection(delegationsCollection).find({ $or: [{ milestoneId }, ...(people.length ? [{ fromPersonId: { $in: [...people] }, milestoneId: { $exists: false } }] : [])] }, { sort: { _id: 1 } });
  return rows;
}

/** Delegations made by or to a person, newest first. */
export async function listDelegations(db: TenantStore, personId: string): Promise<DelegationDoc[]> {
  return db.collection(delegationsCollection).find({ $or: [{ fromPersonId: personId }, { toPersonId: personId }], deletedAt: { $exists: false } }, { sort: { _id: -1 }, limit: 500 });
}

function instant(value: string, timeZone: string, endOfDay: boolean): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const date = toCalendarDate(value, timeZone);
    if (!date) return undefined;
    if (!endOfDay) return startOfDayInZone(date, timeZone);
    const next = new Date(`${date}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return startOfDayInZone(next.toISOString().slice(0, 10), timeZone);
  }
  const at = new Date(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(at.getTime()) ? at : undefined;
}
