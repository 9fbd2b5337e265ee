import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { resolvePaymentReview } from '../../core/billing/index.ts';
import { paymentReviewsCollection, type PaymentReviewDoc } from '../../core/invoicing/index.ts';
import type { AppEnv } from '../app-env.ts';
import { invoiceSummary, InvoiceSummarySchema } from '../billing/index.ts';
import { requestContext, unwrap } from '../domain/index.ts';
import { requireAuth } from '../middleware/require-auth.ts';
import { IdParam, bearerSecurity, pageOf, problemResponses } from '../openapi/index.ts';
import { paymentOut } from './payments.ts';

const ReviewSchema = z
  .object({
    id: z.string(),
    status: z.enum(['unmatched', 'resolved']),
    reason: z.string(),
    message: z.string(),
    candidates: z.array(z.string()),
    receivedAt: z.string(),
    payment: z.object({ amount: z.number().int(), reference: z.string(), method: z.string(), clientName: z.string().optional(), source: z.string().optional() }),
    invoiceId: z.string().optional(),
  })
  .openapi('PaymentReview');

const reviewOut = (r: PaymentReviewDoc & { invoiceId?: string }): z.infer<typeof ReviewSchema> => ({
  id: r._id,
  status: r.status,
  reason: r.reason,
  message: r.message,
  candidates: r.candidates,
  receivedAt: new Date(r.receivedAt).toISOString(),
  payment: {
    amount: r.payment.amount,
    reference: r.payment.reference,
    method: r.payment.method,
    ...(r.payment.clientName ? { clientName: r.payment.clientName } : {}),
    ...(r.payment.source ? { source: r.payment.source } : {}),
  },
  ...(r.invoiceId ? { invoiceId: r.invoiceId } : {}),
});

const list = createRoute({
  method: 'get',
  path: '/v1/payment-reviews',
  tags: ['payments'],
  summary: 'Payments no invoice could be matched to (unmatched by default)',
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: {
    query: z.object({ status: z.enum(['unmatched', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(500).optional() }),
  },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: pageOf(ReviewSchema) } } }, ...problemResponses(400, 401) },
});

const resolve = createRoute({
  method: 'post',
  path: '/v1/payment-reviews/{id}/resolve',
  tags: ['payments'],
  summary: 'Assign a reviewed payment to an invoice',
  security: bearerSecurity,
  middleware: [requireAuth('admin', 'manager')] as const,
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: z.object({ invoiceId: z.string().min(1).max(64) }).strict() } } } },
  responses: {
    200: { description: 'Applied', content: { 'application/json': { schema: z.object({ review: ReviewSchema, payment: z.record(z.string(), z.unknown()), invoice: InvoiceSummarySchema.optional() }) } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

export function registerPaymentReviewRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => {
    const q = c.req.valid('query');
    const page = await c
      .get('db')
      .collection(paymentReviewsCollection)
      .page({ status: q.status ?? 'unmatched' }, { sortBy: 'createdAt', limit: q.limit ?? 50, cursor: q.cursor ?? null });
    return c.json({ items: page.items.map(reviewOut), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(resolve, async (c) => {
    const done = unwrap(await resolvePaymentReview(requestContext(c), c.req.valid('param').id, c.req.valid('json')));
    return c.json({ review: reviewOut(done.review!), payment: paymentOut(done.payment), ...(done.invoice ? { invoice: invoiceSummary(done.invoice) } : {}) }, 200);
  });
}
