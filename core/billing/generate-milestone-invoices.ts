import { failWith, succeed, type DomainContext, type DomainError, type DomainResult } from '../domain/index.ts';
import {
  buildInvoicesInContext,
  checkInvoiceContext,
  invoicedSoFar,
  reserveInvoiceNumbers,
  type BatchInvoiceItem,
  type InvoiceDocument,
} from '../invoicing/index.ts';
import { milestonesCollection, canSee, type MilestoneDoc } from '../milestones/index.ts';
import { projectsCollection, type ProjectDoc } from '../projects/index.ts';
import { billingInvoicesCollection, type BillingInvoiceDoc } from './collections.ts';
import type { BillingProfile } from './billing-settings.ts';
import { invoiceEvent, invoicingProblem } from './invoice-writes.ts';
import { moveMilestone } from './milestone-moves.ts';

/** One milestone to invoice; `percent` is its cumulative percent complete (bills that share less what was invoiced before). */
export interface InvoiceRequest {
  milestoneId: string;
  percent?: number | undefined;
}

/** Options of {@link generateMilestoneInvoices}. */
export interface GenerateOptions {
  /** Build and return the invoices without numbering or storing anything. @default false */
  preview?: boolean;
  /** The key role of the caller: milestones it may not see are not found. */
  role?: string | undefined;
  /** Business keys per milestone id, stored on the invoices (automatic generation). */
  generationKeys?: ReadonlyMap<string, string>;
  /** Move each fully invoiced milestone along its workflow's `invoice` transition. @default true */
  moveMilestones?: boolean;
}

/** A batch's outcome: invoices in request order, and each refused item with its problem. */
export interface GeneratedInvoices {
  invoices: BillingInvoiceDoc[];
  failures: Array<{ index: number; milestoneId: string; error: DomainError }>;
}

const PREVIEW_NUMBER = 'PREVIEW';
const INSERT_CHUNK = 500;

/**
 * Generates invoices for milestones now, whatever the automatic trigger: lines from each
 * milestone's payment terms (the tenant's default GST rate and HSN/SAC where the terms name
 * none), the client from its project, the supplier and choices from the tenant's billing
 * profile. Cancelled milestones are refused (409 `milestone_cancelled`). Valid items take one
 * consecutive block of the tenant's number series in one atomic counter step, so numbers stay
 * unique and sequential under concurrent generation; the invoices and their `invoice.created`
 * events are written together.
 */
export async function generateMilestoneInvoices(
  ctx: DomainContext,
  profile: BillingProfile,
  requests: readonly InvoiceRequest[],
  options: GenerateOptions = {},
): Promise<DomainResult<GeneratedInvoices>> {
  if (!profile.completeSupplier) {
    return failWith({
      code: 'invalid',
      message: 'the tenant has no complete supplier details; set legalName, gstin, stateCode and address with PATCH /v1/tenant',
      issues: [{ path: 'supplier', code: 'supplier_incomplete', message: 'set legalName, gstin, stateCode and address with PATCH /v1/tenant' }],
    });
  }
  const { settings } = profile;
  const context = checkInvoiceContext({
    supplier: profile.completeSupplier,
    issueDate: ctx.now(),
    timeZone: ctx.timeZone ?? 'Asia/Kolkata',
    options: {
      roundOffToRupee: settings.roundOffToRupee ?? false,
      ...(settings.defaultDueInDays !== undefined ? { defaultDueInDays: settings.defaultDueInDays } : {}),
    },
  });
  if (!context.ok) return failWith(invoicingProblem(context.error, 'supplier'));

  const ids = [...new Set(requests.map((r) => r.milestoneId))];
  const milestones = new Map(
    (await ctx.db.collection(milestonesCollection).find({ _id: { $in: ids }, deletedAt: { $exists: false } }, { projection: { outbox: 0 } }))
      .filter((m) => canSee(m, options.role))
      .map((m) => [m._id, m]),
  );
  const projectIds = [...new Set([...milestones.values()].map((m) => m.projectId))];
  const projects = new Map((await ctx.db.collection(projectsCollection).find({ _id: { $in: projectIds } }, { projection: { outbox: 0 } })).map((p) => [p._id, p]));
  const earlier = new Map<string, Array<Pick<InvoiceDocument, 'status' | 'subtotal' | 'creditNotes'>>>();
  const existing = await ctx.db
    .collection(billingInvoicesCollection)
    .find({ milestoneId: { $in: ids } }, { projection: { milestoneId: 1, status: 1, subtotal: 1, creditNotes: 1 } });
  for (const inv of existing) earlier.set(inv.milestoneId, [...(earlier.get(inv.milestoneId) ?? []), inv]);

  const failures: GeneratedInvoices['failures'] = [];
  const items: Array<{ index: number; item: BatchInvoiceItem }> = [];
  const claimed = new Map<string, number>();
  requests.forEach((request, index) => {
    const built = itemFor(request, milestones.get(request.milestoneId), projects, earlier.get(request.milestoneId) ?? [], profile);
    if (!built.ok) {
      failures.push({ index, milestoneId: request.milestoneId, error: built.error });
      return;
    }
    // Two requests for one milestone in one batch would both bill the same remainder.
    if (claimed.has(request.milestoneId)) {
      failures.push({ index, milestoneId: request.milestoneId, error: { code: 'conflict', message: 'the milestone is listed twice in this batch', details: { reason: 'duplicate_item' } } });
      return;
    }
    claimed.set(request.milestoneId, index);
    items.push({ index, item: built.value });
  });

  const built = buildInvoicesInContext(context.value, items.map((i) => i.item));
  // Built invoices come in item order, without the refused items.
  const refused = new Map(built.failures.map((f) => [f.index, f.error]));
  const valid: Array<{ index: number; invoice: InvoiceDocument }> = [];
  let next = 0;
  items.forEach(({ index, item }, i) => {
    const error = refused.get(i);
    if (error) failures.push({ index, milestoneId: item.milestone.id, error: invoicingProblem(error, requests.length > 1 ? `items.${index}` : '') });
    else valid.push({ index, invoice: built.invoices[next++]! });
  });
  failures.sort((a, b) => a.index - b.index);

  if (options.preview || valid.length === 0) {
    return succeed({ invoices: valid.map((v) => ({ ...v.invoice, _id: '', version: 0, createdAt: ctx.now(), updatedAt: ctx.now() })), failures });
  }

  const numbers = await reserveInvoiceNumbers(ctx.db, { ...(settings.numbering ?? {}), fy: context.value.dates.financialYear, count: valid.length });
  if (!numbers.ok) return failWith(invoicingProblem(numbers.error, 'numbering'));
  const collection = ctx.db.collection(billingInvoicesCollection);
  const stored: BillingInvoiceDoc[] = [];
  for (let start = 0; start < valid.length; start += INSERT_CHUNK) {
    const chunk = valid.slice(start, start + INSERT_CHUNK).map(({ invoice }, i) => {
      const number = numbers.value[start + i]!.number;
      const key = options.generationKeys?.get(invoice.milestoneId);
      const _id = `inv_${number.replace(/[^A-Za-z0-9]/g, '')}_${Math.random().toString(36).slice(2, 8)}`;
      const doc = { ...invoice, _id, number, ...(key !== undefined ? { generationKey: key } : {}) };
      return { ...doc, outbox: [invoiceEvent(ctx, 'invoice.created', doc, { total: doc.total, milestoneId: doc.milestoneId })] };
    });
    stored.push(...(await collection.insertMany(chunk)));
  }
  if (options.moveMilestones !== false) {
    for (const invoice of stored) {
      // Only finished work moves on to invoiced; an invoice for work in progress leaves it be.
      const done = milestones.get(invoice.milestoneId)?.statusCategory === 'done';
      if (done && invoice.share.previouslyInvoiced + invoice.share.billed >= invoice.share.milestoneAmount) await moveMilestone(ctx, invoice.milestoneId, 'invoice');
    }
  }
  return succeed({ invoices: stored, failures });
}

function itemFor(
  request: InvoiceRequest,
  milestone: MilestoneDoc | undefined,
  projects: ReadonlyMap<string, ProjectDoc>,
  earlier: ReadonlyArray<Pick<InvoiceDocument, 'status' | 'subtotal' | 'creditNotes'>>,
  profile: BillingProfile,
): DomainResult<BatchInvoiceItem> {
  if (!milestone) return failWith({ code: 'not_found', message: `No such milestone ${request.milestoneId}` });
  if (milestone.statusCategory === 'cancelled') {
    return failWith({ code: 'conflict', message: `milestone ${milestone._id} is cancelled and cannot be invoiced`, details: { reason: 'milestone_cancelled' } });
  }
  const project = projects.get(milestone.projectId);
  if (!project) return failWith({ code: 'not_found', message: `the project of milestone ${milestone._id} no longer exists` });
  const payment = milestone.payment;
  if (!payment || (payment.amount === undefined && payment.percent === undefined)) {
    return failWith({
      code: 'invalid',
      message: `milestone ${milestone._id} has no payment terms (an amount or a percent of the contract value)`,
      issues: [{ path: 'milestoneId', code: 'payment_terms_missing', message: 'the milestone has no payment terms' }],
    });
  }
  const { settings } = profile;
  const hsnSac = payment.hsnSac ?? settings.defaultHsnSac;
  const client = project.client;
  return succeed({
    client: { name: client.name, stateCode: client.stateCode, ...(client.gstin ? { gstin: client.gstin } : {}), ...(client.address ? { address: client.address } : {}) },
    milestone: {
      id: milestone._id,
      title: milestone.title,
      projectId: milestone.projectId,
      payment: {
        ...(payment.amount !== undefined ? { amount: payment.amount } : {}),
        ...(payment.percent !== undefined ? { percent: payment.percent } : {}),
        gstRate: payment.gstRate ?? settings.defaultGstRate ?? 18,
        ...(payment.dueInDays !== undefined ? { dueInDays: payment.dueInDays } : {}),
        ...(hsnSac !== undefined ? { hsnSac } : {}),
      },
    },
    contractValue: project.contractValue,
    alreadyInvoiced: invoicedSoFar(earlier),
    ...(request.percent !== undefined ? { percentComplete: request.percent } : {}),
    number: PREVIEW_NUMBER,
  });
}
