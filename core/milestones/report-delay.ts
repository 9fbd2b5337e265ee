import { z } from 'zod';
import { pendingAudit } from '../audit-log/index.ts';
import { domainEvent, failWith, invalid, issuesFromZod, revisionedWrite, succeed, toCalendarDate, type DomainContext, type DomainResult } from '../domain/index.ts';
import { milestonesCollection, type MilestoneDelay, type MilestoneDoc } from './collections.ts';
import { settleMilestoneAudit, withoutPendingAudit } from './milestone-audit.ts';

/** A reported delay as callers give it (a status probe's reading of an owner's reply). */
export const milestoneDelayInputSchema = z
  .object({
    category: z.string().trim().min(1).max(50),
    text: z.string().max(10_000),
    newDueDate: z.string().max(10).optional(),
    blocked: z.boolean().optional(),
    probeId: z.string().min(1).max(64).optional(),
    /** The person who reported it. */
    reportedBy: z.string().min(1).max(64).optional(),
  })
  .strict();

export type MilestoneDelayInput = z.input<typeof milestoneDelayInputSchema>;

/**
 * Records a delay on a milestone: its category, the reporter's words, a proposed new due date
 * (the due date itself stays for a person to change) and whether the work is blocked. Replaces
 * the milestone's previous delay. Emits `milestone.delay_reported`, with its audit entry, in the
 * same write.
 *
 * @example await reportMilestoneDelay(ctx, id, { category: 'materials', text: 'cement late', newDueDate: '2026-03-20' })
 */
export async function reportMilestoneDelay(ctx: DomainContext, id: string, input: unknown): Promise<DomainResult<MilestoneDoc>> {
  const parsed = milestoneDelayInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { probeId, reportedBy, ...reported } = parsed.data;
  if (reported.newDueDate !== undefined && toCalendarDate(reported.newDueDate) !== reported.newDueDate) {
    return invalid([{ path: 'newDueDate', message: 'must be a date written YYYY-MM-DD', code: 'invalid_date' }]);
  }
  const written = await revisionedWrite({
    collection: ctx.db.collection(milestonesCollection),
    id,
    what: 'milestone',
    plan: async (doc) => {
      const delay: MilestoneDelay = { ...reported, reportedAt: ctx.now(), ...(probeId ? { probeId } : {}), ...(reportedBy ? { reportedBy } : {}) };
      const aggregate = { type: 'milestone' as const, id };
      const event = domainEvent(ctx, 'milestone.delay_reported', aggregate, { ...reported, ...(probeId ? { probeId } : {}), version: doc.revision + 1 });
      const audit = pendingAudit(ctx, {
        action: 'milestone.delay_reported',
        aggregate,
        before: doc as unknown as Record<string, unknown>,
        after: { ...doc, delay } as unknown as Record<string, unknown>,
        ...(probeId ? { data: { probeId } } : {}),
      });
      return succeed({ update: { $set: { delay }, $push: { outbox: event, auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  await settleMilestoneAudit(ctx, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}
