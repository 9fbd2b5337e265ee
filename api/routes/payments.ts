import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { paymentInputSchema, paymentsCollection, recordBillingPayment, type PaymentDoc } from '../../core/billing/index.ts';
import type { Filter } from '../../core/store/index.ts';
import type { AppEnv } from '../app-env.ts';
import { invoiceSummary, InvoiceSummarySchema } from '../billing/index.ts';
import { jsonOut, requestContext, unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';

const PaymentSchema = z
  .object({
    id: z.string(),
    amount: z.number().int(),
    reference: z.string(),
    method: z.string(),
    receivedAt: z.string(),
    source: z.string(),
    status: z.enum(['applied', 'review', 'duplicate']),
    invoiceId: z.string().optional(),
    invoiceNumber: z.string().optional(),
    matchedBy: z.string().optional(),
    outcome: z.enum(['partial', 'full', 'overpaid']).optional(),
    applied: z.number().int().optional(),
    excess: z.number().int().optional(),
    reviewId: z.string().optional(),
  })
  .openapi('Payment');

export const paymentOut = (p: PaymentDoc): z.infer<typeof PaymentSchema> => {
  const { _id, tenantId: _t, version: _v, createdAt: _c, updatedAt: _u, externalId: _e, clientGstin: _g, clientName: _n, ...rest } = p;
  return jsonOut({ id: _id, ...rest, receivedAt: new Date(p.receivedAt) });
};

const record = createRoute({
  method: 'post',
  path: '/v1/payments',
  tags: ['payments'],
  summary: 'Record a payment: against an invoice, or matched by reference, then by amount and client',
  description:
    'With `invoiceId` the payment is applied to that invoice (partial, full or over). Without it, it is reconciled against issued ' +
    'invoices: by reference (invoice number or provider order id), then by exact open amount and client (`clientName`/`clientGstin`). ' +
    'A payment nothing matches is `review` and waits in `GET /v1/payment-reviews`. An invoice settled by payment moves its milestone to paid.',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager', 'integration')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: paymentInputSchema } } } },
  responses: {
    201: { description: 'Recorded', content: { 'application/json': { schema: z.object({ payment: PaymentSchema, invoice: InvoiceSummarySchema.optional() }).extend(PaymentSchema.shape) } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const list = createRoute({
  method: 'get',
  path: '/v1/payments',
  tags: ['payments'],
  summary: 'Payments received, oldest first',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({
      invoiceId: z.string().max(64).optional(),
      status: z.enum(['applied', 'review', 'duplicate']).optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(PaymentSchema) } } }, ...problemResponses(400, 401) },
});

export function registerPaymentRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(record, async (c) => {
    const body = c.req.valid('json');
    const ctx = requestContext(c);
    const recorded = unwrap(
      await recordBillingPayment(ctx, { ...body, receivedAt: body.receivedAt ? new Date(body.receivedAt) : ctx.now(), source: 'manual' }),
    );
    const payment = paymentOut(recorded.payment);
    return c.json({ ...payment, payment, ...(recorded.invoice ? { invoice: invoiceSummary(recorded.invoice) } : {}) }, 201);
  });

  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const filter: Filter = {};
    if (q.invoiceId) filter.invoiceId = q.invoiceId;
    if (q.status) filter.status = q.status;
    const page = await c.get('db').collection(paymentsCollection).page(filter, { sortBy: 'createdAt', limit: q.limit ?? 50, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(paymentOut), nextCursor: page.nextCursor }, 200);
  });
}
