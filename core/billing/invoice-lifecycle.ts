import { z } from 'zod';
import { failWith, invalid, issuesFromZod, succeed, type DomainContext, type DomainResult } from '../domain/index.ts';
import {
  amendInvoice,
  applyCreditNote,
  approveInvoice,
  buildCreditNote,
  cancelInvoice,
  creditNotesCollection,
  markInvoiceSent,
  nextCreditNoteNumber,
  openDispute,
  resolveDispute,
  type CreditNoteDocument,
} from '../invoicing/index.ts';
import type { BillingProfile } from './billing-settings.ts';
import type { BillingInvoiceDoc } from './collections.ts';
import { changeInvoice, invoicingProblem } from './invoice-writes.ts';

const paise = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const lineSchema = z.strictObject({
  description: z.string().trim().min(1).max(500),
  hsnSac: z.string().regex(/^(?:\d{4}|\d{6}|\d{8})$/).optional(),
  taxableValue: paise,
  gstRate: z.number().min(0).max(100),
});

/** An amendment as the API takes it. */
export const invoiceAmendmentSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  lines: z.array(lineSchema).min(1).max(100).optional(),
  client: z
    .strictObject({ name: z.string().trim().min(1).max(200), gstin: z.string().trim().toUpperCase().optional(), stateCode: z.string().regex(/^\d{2}$/), address: z.string().max(500).optional() })
    .optional(),
  placeOfSupply: z.string().regex(/^\d{2}$/).optional(),
  dueInDays: z.number().int().min(0).max(3650).optional(),
  notes: z.string().max(2000).optional(),
  providerOrderId: z.string().trim().min(1).max(100).optional(),
  version: z.number().int().positive().optional(),
});

/** A credit note request: an amount (taxable value, paise) or lines, or neither for everything still open. */
export const creditNoteRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  amount: paise.optional(),
  lines: z.array(z.strictObject({ lineNo: z.number().int().positive(), taxableValue: paise })).min(1).max(100).optional(),
});

type Done = DomainResult<BillingInvoiceDoc>;
const after = (r: DomainResult<{ after: BillingInvoiceDoc }>): Done => (r.ok ? succeed(r.value.after) : r);

/** Amends a draft or approved invoice (a new revision, the old one kept in `history`); a sent invoice answers 409 `invoice_locked`. */
export async function amendBillingInvoice(ctx: DomainContext, id: string, input: unknown, options: { expectedRevision?: number | undefined } = {}): Promise<Done> {
  const parsed = invoiceAmendmentSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { version, ...body } = parsed.data;
  const result = await changeInvoice(
    ctx,
    id,
    (invoice) => {
      const amended = amendInvoice(invoice, { ...body, at: ctx.now(), by: ctx.actor.id });
      if (!amended.ok) {
        const problem = invoicingProblem(amended.error);
        if (amended.error.code === 'invoice_locked' && problem.code === 'conflict') {
          problem.details = { ...problem.details, creditNotes: `/v1/invoices/${id}/credit-notes` };
        }
        return failWith(problem);
      }
      return succeed({ next: { ...invoice, ...amended.value }, events: [{ type: 'invoice.amended', data: { revision: amended.value.revision, reason: body.reason } }] });
    },
    { expectedRevision: options.expectedRevision ?? version },
  );
  return after(result);
}

/** Approves a draft. */
export async function approveBillingInvoice(ctx: DomainContext, id: string): Promise<Done> {
  return after(
    await changeInvoice(ctx, id, (invoice) => {
      const approved = approveInvoice(invoice, { at: ctx.now(), by: ctx.actor.id });
      return approved.ok ? succeed({ next: { ...invoice, ...approved.value }, events: [{ type: 'invoice.updated', data: { status: 'approved' } }] }) : failWith(invoicingProblem(approved.error));
    }),
  );
}

/**
 * Sends an invoice now (it freezes; `invoice.sent` starts distribution), or schedules it for
 * `sendAt` when that is in the future. The tenant's `requireApproval` refuses unapproved drafts.
 */
export async function sendBillingInvoice(ctx: DomainContext, profile: BillingProfile, id: string, options: { sendAt?: Date | undefined } = {}): Promise<Done> {
  const now = ctx.now();
  const requireApproval = profile.settings.requireApproval ?? false;
  return after(
    await changeInvoice(ctx, id, (invoice) => {
      if (options.sendAt && options.sendAt.getTime() > now.getTime()) {
        // Check now what sending would check then, so a refusal is answered at once.
        const probe = markInvoiceSent(invoice, { at: options.sendAt, requireApproval });
        if (!probe.ok) return failWith(invoicingProblem(probe.error));
        return succeed({ next: { ...invoice, scheduledSendAt: options.sendAt }, events: [{ type: 'invoice.send_scheduled', data: { sendAt: options.sendAt.toISOString() } }] });
      }
      const sent = markInvoiceSent(invoice, { at: now, requireApproval });
      if (!sent.ok) return failWith(invoicingProblem(sent.error));
      const next: BillingInvoiceDoc = { ...invoice, ...sent.value };
      delete next.scheduledSendAt;
      return succeed({ next, events: [{ type: 'invoice.sent', data: { total: invoice.total, milestoneId: invoice.milestoneId } }] });
    }),
  );
}

/** Cancels an invoice that was never sent; its number stays used. */
export async function cancelBillingInvoice(ctx: DomainContext, id: string, reason: string): Promise<Done> {
  return after(
    await changeInvoice(ctx, id, (invoice) => {
      const cancelled = cancelInvoice(invoice, { at: ctx.now(), reason });
      if (!cancelled.ok) return failWith(invoicingProblem(cancelled.error));
      const next: BillingInvoiceDoc = { ...invoice, ...cancelled.value };
      delete next.scheduledSendAt;
      return succeed({ next, events: [{ type: 'invoice.cancelled', data: { reason } }] });
    }),
  );
}

/**
 * Issues a GST credit note against a sent invoice: a number from the credit note series, the
 * note stored on its own, and the invoice's balance reduced in one conditional write.
 */
export async function issueCreditNote(
  ctx: DomainContext,
  profile: BillingProfile,
  id: string,
  input: unknown,
): Promise<DomainResult<{ invoice: BillingInvoiceDoc; creditNote: CreditNoteDocument & { _id: string } }>> {
  const parsed = creditNoteRequestSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  let number: string | undefined;
  let note: CreditNoteDocument | undefined;
  const result = await changeInvoice(ctx, id, async (invoice) => {
    // Refuse before taking a number, so refused requests leave no gap in the series.
    const dry = buildCreditNote(invoice, { ...parsed.data, number: 'CN-CHECK', issueDate: ctx.now() });
    if (!dry.ok) return failWith(invoicingProblem(dry.error));
    if (number === undefined) {
      const taken = await nextCreditNoteNumber(ctx.db, { fy: dry.value.financialYear, ...(profile.settings.numbering?.fyStyle ? { fyStyle: profile.settings.numbering.fyStyle } : {}) });
      if (!taken.ok) return failWith(invoicingProblem(taken.error));
      number = taken.value.number;
    }
    const built = buildCreditNote(invoice, { ...parsed.data, number, issueDate: ctx.now() });
    if (!built.ok) return failWith(invoicingProblem(built.error));
    const applied = applyCreditNote(invoice, built.value);
    if (!applied.ok) return failWith(invoicingProblem(applied.error));
    note = built.value;
    return succeed({ next: { ...invoice, ...applied.value }, events: [{ type: 'invoice.credited', data: { creditNote: number, total: built.value.total } }] });
  });
  if (!result.ok) return result;
  const stored = await ctx.db.collection(creditNotesCollection).insert(note!);
  return succeed({ invoice: result.value.after, creditNote: stored });
}

/** Records that the client disputes a sent invoice (wholly or `amount` paise), or resolves the open dispute. */
export async function disputeBillingInvoice(
  ctx: DomainContext,
  id: string,
  step: { action: 'open'; reason: string; amount?: number | undefined } | { action: 'resolve'; resolution: string },
): Promise<Done> {
  return after(
    await changeInvoice(ctx, id, (invoice) => {
      const changed =
        step.action === 'open'
          ? openDispute(invoice, { reason: step.reason, at: ctx.now(), ...(step.amount !== undefined ? { amount: step.amount } : {}) })
          : resolveDispute(invoice, { resolution: step.resolution, at: ctx.now() });
      if (!changed.ok) return failWith(invoicingProblem(changed.error));
      return succeed({ next: { ...invoice, ...changed.value }, events: [{ type: step.action === 'open' ? 'invoice.disputed' : 'invoice.dispute_resolved' }] });
    }),
  );
}
