import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  amendBillingInvoice,
  approveBillingInvoice,
  billingInvoicesCollection,
  cancelBillingInvoice,
  creditNoteRequestSchema,
  disputeBillingInvoice,
  generateMilestoneInvoices,
  invoiceAmendmentSchema,
  issueCreditNote,
  sendBillingInvoice,
  type BillingInvoiceDoc,
} from '../../core/billing/index.ts';
import { failWith } from '../../core/domain/index.ts';
import { creditNotesCollection, renderInvoiceHtml, renderInvoicePdf, type InvoiceBranding, type InvoiceTemplate } from '../../core/invoicing/index.ts';
import type { Filter } from '../../core/store/index.ts';
import type { AppEnv } from '../app-env.ts';
import { billingProfile, InvoiceSchema, InvoiceSummarySchema, invoiceOut, invoiceSummary } from '../billing/index.ts';
import { domainProblem, requestContext, unwrap } from '../domain/index.ts';
import { ApiError } from '../errors/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const WRITERS = ['admin', 'manager', 'integration'] as const;
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const GenerateBody = z
  .object({
    milestoneId: z.string().min(1).max(64),
    percent: z.number().gt(0).max(100).optional().openapi({ description: 'Cumulative percent complete: bills that share of the milestone less what was invoiced on it before' }),
  })
  .strict()
  .openapi('GenerateInvoice');

const BatchBody = z
  .object({ milestoneIds: z.array(z.string().min(1).max(64)).min(1).max(5000), percent: z.number().gt(0).max(100).optional() })
  .strict()
  .openapi('GenerateInvoices');

const Failure = z.object({ milestoneId: z.string(), status: z.number().int(), code: z.string(), reason: z.string().optional(), message: z.string() });

const ListQuery = z.object({
  milestoneId: z.string().max(64).optional(),
  projectId: z.string().max(64).optional(),
  status: z.enum(['draft', 'approved', 'sent', 'partially_paid', 'paid', 'credited', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(500).optional(),
});

const generate = createRoute({
  method: 'post',
  path: '/v1/invoices',
  tags: ['invoices'],
  summary: 'Generate an invoice for a milestone now',
  description: 'Whatever the automatic trigger. A cancelled milestone answers 409 (`reason: milestone_cancelled`); missing supplier details or payment terms 422.',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { body: { required: true, content: json(GenerateBody) } },
  responses: { 201: { description: 'The draft invoice', content: json(InvoiceSchema) }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const preview = createRoute({
  method: 'post',
  path: '/v1/invoices/preview',
  tags: ['invoices'],
  summary: 'The invoice a milestone would get now, without numbering or saving it',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { body: { required: true, content: json(GenerateBody) } },
  responses: { 200: { description: 'The preview (number `PREVIEW`)', content: json(InvoiceSchema) }, ...problemResponses(400, 401, 404, 409, 422) },
});

const batch = createRoute({
  method: 'post',
  path: '/v1/invoices/batch',
  tags: ['invoices'],
  summary: 'Generate invoices for many milestones at once',
  description: 'Each milestone stands alone: refused ones are listed in `failures` and the rest are generated with consecutive numbers.',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { body: { required: true, content: json(BatchBody) } },
  responses: {
    201: { description: 'Generated', content: json(z.object({ created: z.number().int(), items: z.array(InvoiceSummarySchema), failures: z.array(Failure) })) },
    ...problemResponses(400, 401, 403, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/invoices',
  tags: ['invoices'],
  summary: 'Invoices, newest number last; amounts in integer paise',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: ListQuery },
  responses: { 200: { description: 'A page', content: json(pageOf(InvoiceSummarySchema)) }, ...problemResponses(400, 401) },
});

const get = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}',
  tags: ['invoices'],
  summary: 'The invoice as a JSON document',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'The invoice', content: json(InvoiceSchema) }, ...problemResponses(401, 404) },
});

const html = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}/html',
  tags: ['invoices'],
  summary: 'The invoice as printable HTML, in the tenant branding',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } }, ...problemResponses(401, 404) },
});

const pdf = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}/pdf',
  tags: ['invoices'],
  summary: 'The invoice as a PDF (A4, rendered in-process)',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } }, ...problemResponses(401, 404) },
});

const amend = createRoute({
  method: 'patch',
  path: '/v1/invoices/{id}',
  tags: ['invoices'],
  summary: 'Amend a draft or approved invoice (a new version); after sending, issue a credit note',
  description: 'A sent invoice answers 409 with `reason: invoice_locked` and the credit notes path in `creditNotes`.',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { params: IdParam, body: { required: true, content: { ...json(invoiceAmendmentSchema), 'application/merge-patch+json': { schema: invoiceAmendmentSchema } } } },
  responses: { 200: { description: 'Amended', content: json(InvoiceSchema) }, ...problemResponses(400, 401, 403, 404, 409, 422) },
});

const action = <B extends z.ZodType>(path: string, summary: string, body: B, description?: string) =>
  createRoute({
    method: 'post',
    path: `/v1/invoices/{id}/${path}`,
    tags: ['invoices'],
    summary,
    ...(description ? { description } : {}),
    security: bearerSecurity,
    middleware: [requireAuth(...WRITERS)] as const,
    request: { params: IdParam, body: { required: false, content: json(body) } },
    responses: { 200: { description: 'Done', content: json(InvoiceSchema) }, ...problemResponses(400, 401, 403, 404, 409, 422) },
  });

const approve = action('approve', 'Approve a draft (needed before sending when the tenant requires approval)', z.object({}).strict());
const send = action(
  'send',
  'Send the invoice now, or schedule it',
  z.object({ sendAt: z.iso.datetime({ offset: true }).optional() }).strict(),
  'Sending freezes the invoice and queues it to the milestone recipients on the client channels (email with the PDF, WhatsApp with a link). With a future `sendAt` the invoice is sent then.',
);
const cancel = action('cancel', 'Cancel an invoice that was never sent (its number stays used)', z.object({ reason: z.string().trim().min(1).max(500) }).strict());
const dispute = action('disputes', 'Record that the client disputes the invoice', z.object({ reason: z.string().trim().min(1).max(500), amount: z.number().int().positive().optional() }).strict());
const resolveDispute = action('disputes/resolve', 'Record how the open dispute was resolved', z.object({ resolution: z.string().trim().min(1).max(500) }).strict());

const creditNote = createRoute({
  method: 'post',
  path: '/v1/invoices/{id}/credit-notes',
  tags: ['invoices'],
  summary: 'Issue a GST credit note against a sent invoice',
  description: 'Credits `amount` (taxable value, paise), given `lines`, or everything still open; GST is added as on the invoice.',
  security: bearerSecurity,
  middleware: [requireAuth(...WRITERS)] as const,
  request: { params: IdParam, body: { required: true, content: json(creditNoteRequestSchema) } },
  responses: {
    201: { description: 'Issued', content: json(z.object({ invoice: InvoiceSchema, creditNote: z.record(z.string(), z.unknown()) })) },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const creditNotes = createRoute({
  method: 'get',
  path: '/v1/invoices/{id}/credit-notes',
  tags: ['invoices'],
  summary: 'Credit notes issued against the invoice',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: { description: 'Credit notes', content: json(z.object({ items: z.array(z.record(z.string(), z.unknown())) })) }, ...problemResponses(401, 404) },
});

async function loadInvoice(c: Context<AppEnv>, id: string): Promise<BillingInvoiceDoc> {
  const doc = await c.get('db').collection(billingInvoicesCollection).findById(id);
  if (!doc) throw new ApiError('not_found', { detail: 'No such invoice' });
  return doc;
}

async function appearance(c: Context<AppEnv>): Promise<{ branding?: InvoiceBranding; template?: InvoiceTemplate }> {
  const { settings } = await billingProfile(c);
  return { ...(settings.branding ? { branding: settings.branding } : {}), ...(settings.template ? { template: settings.template as InvoiceTemplate } : {}) };
}

export function registerInvoiceRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(generate, async (c) => {
    const body = c.req.valid('json');
    const ctx = requestContext(c);
    const result = unwrap(await generateMilestoneInvoices(ctx, await billingProfile(c), [body], { role: ctx.actor.role }));
    const failure = result.failures[0];
    if (failure) throw domainProblem(failWith(failure.error).error);
    return c.json(invoiceOut(result.invoices[0]!), 201);
  });

  app.openapi(preview, async (c) => {
    const ctx = requestContext(c);
    const result = unwrap(await generateMilestoneInvoices(ctx, await billingProfile(c), [c.req.valid('json')], { preview: true, role: ctx.actor.role }));
    const failure = result.failures[0];
    if (failure) throw domainProblem(failure.error);
    const { id: _id, ...doc } = invoiceOut(result.invoices[0]!);
    return c.json({ ...doc, id: '', preview: true }, 200);
  });

  app.openapi(batch, async (c) => {
    const { milestoneIds, percent } = c.req.valid('json');
    const ctx = requestContext(c);
    const result = unwrap(await generateMilestoneInvoices(ctx, await billingProfile(c), milestoneIds.map((milestoneId) => ({ milestoneId, percent })), { role: ctx.actor.role }));
    const failures = result.failures.map((f) => {
      const problem = domainProblem(f.error);
      const reason = problem.extra?.reason;
      return { milestoneId: f.milestoneId, status: problem.status, code: problem.code, ...(typeof reason === 'string' ? { reason } : {}), message: problem.message };
    });
    return c.json({ created: result.invoices.length, items: result.invoices.map(invoiceSummary), failures }, 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const filter: Filter = {};
    if (q.milestoneId) filter.milestoneId = q.milestoneId;
    if (q.projectId) filter.projectId = q.projectId;
    if (q.status) filter.status = q.status;
    const page = await c
      .get('db')
      .collection(billingInvoicesCollection)
      .page(filter, { sortBy: 'createdAt', limit: q.limit ?? 50, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(invoiceSummary), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(get, async (c) => c.json(invoiceOut(await loadInvoice(c, c.req.valid('param').id)), 200));

  app.openapi(html, async (c) => {
    const invoice = await loadInvoice(c, c.req.valid('param').id);
    return c.body(renderInvoiceHtml(invoice, await appearance(c)), 200, { 'Content-Type': 'text/html; charset=utf-8' });
  });

  app.openapi(pdf, async (c) => {
    const invoice = await loadInvoice(c, c.req.valid('param').id);
    const bytes = await renderInvoicePdf(invoice, await appearance(c));
    const name = invoice.number.replace(/[^A-Za-z0-9-]/g, '_');
    return c.body(new Uint8Array(bytes), 200, { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}.pdf"` });
  });

  app.openapi(amend, async (c) => {
    const { id } = c.req.valid('param');
    const ifMatch = c.req.header('If-Match');
    const expected = ifMatch && /^"?\d+"?$/.test(ifMatch) ? Number(ifMatch.replace(/"/g, '')) : undefined;
    return c.json(invoiceOut(unwrap(await amendBillingInvoice(requestContext(c), id, c.req.valid('json'), { expectedRevision: expected }))), 200);
  });

  app.openapi(approve, async (c) => c.json(invoiceOut(unwrap(await approveBillingInvoice(requestContext(c), c.req.valid('param').id))), 200));

  app.openapi(send, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { sendAt?: string };
    const sendAt = body.sendAt ? new Date(body.sendAt) : undefined;
    return c.json(invoiceOut(unwrap(await sendBillingInvoice(requestContext(c), await billingProfile(c), c.req.valid('param').id, { sendAt }))), 200);
  });

  app.openapi(cancel, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { reason?: string };
    if (!body.reason) throw new ApiError('validation_failed', { detail: 'a cancellation needs a reason', errors: [{ path: 'body.reason', message: 'required' }] });
    return c.json(invoiceOut(unwrap(await cancelBillingInvoice(requestContext(c), c.req.valid('param').id, body.reason))), 200);
  });

  app.openapi(dispute, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { reason?: string; amount?: number };
    if (!body.reason) throw new ApiError('validation_failed', { detail: 'a dispute needs a reason', errors: [{ path: 'body.reason', message: 'required' }] });
    return c.json(invoiceOut(unwrap(await disputeBillingInvoice(requestContext(c), c.req.valid('param').id, { action: 'open', reason: body.reason, amount: body.amount }))), 200);
  });

  app.openapi(resolveDispute, async (c) => {
    const body = (c.req.valid('json') ?? {}) as { resolution?: string };
    if (!body.resolution) throw new ApiError('validation_failed', { detail: 'say how it was resolved', errors: [{ path: 'body.resolution', message: 'required' }] });
    return c.json(invoiceOut(unwrap(await disputeBillingInvoice(requestContext(c), c.req.valid('param').id, { action: 'resolve', resolution: body.resolution }))), 200);
  });

  app.openapi(creditNote, async (c) => {
    const { invoice, creditNote: note } = unwrap(await issueCreditNote(requestContext(c), await billingProfile(c), c.req.valid('param').id, c.req.valid('json')));
    const { _id, ...plain } = JSON.parse(JSON.stringify(note)) as Record<string, unknown>;
    delete plain.tenantId;
    return c.json({ invoice: invoiceOut(invoice), creditNote: { ...plain, id: _id } }, 201);
  });

  app.openapi(creditNotes, async (c) => {
    const invoice = await loadInvoice(c, c.req.valid('param').id);
    const notes = await c.get('db').collection(creditNotesCollection).find({ 'originalInvoice.number': invoice.number }, { sort: { createdAt: 1 } });
    return c.json({ items: notes.map(({ tenantId: _t, _id, ...n }) => ({ ...JSON.parse(JSON.stringify(n)), id: _id }) as Record<string, unknown>) }, 200);
  });
}
