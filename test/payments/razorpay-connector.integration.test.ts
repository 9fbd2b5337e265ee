import { expect, it } from 'vitest';
import { connectorRegistry, type WebhookInput } from '../../connectors/index.ts';
import { parseRazorpayWebhook, razorpayConnector } from '../../connectors/razorpay/index.ts';
import { describeConformance } from '../connectors/conformance.ts';

const hook = (body: string, eventId = 'evt_rzp_1'): WebhookInput => ({
  headers: { 'content-type': 'application/json', 'x-razorpay-event-id': eventId },
  rawBody: Buffer.from(body),
  receivedAt: new Date('2026-06-16T05:00:00Z'),
});

const captured = JSON.stringify({
  entity: 'event',
  event: 'payment.captured',
  contains: ['payment'],
  payload: { payment: { entity: { id: 'pay_29QQoUBi66xm2f', amount: 11_800_000, currency: 'INR', status: 'captured', order_id: 'order_9A33XWu170gUtm', method: 'upi', notes: { invoice_number: 'INV/26-27/000001' } } } },
  created_at: 1_782_000_000,
});

describeConformance({
  connector: razorpayConnector,
  holdsCredentials: false,
  setup: async () => ({
    config: {},
    credentials: {},
    webhook: {
      samples: [hook(captured), hook(JSON.stringify({ entity: 'event', event: 'order.paid', payload: { order: { entity: { id: 'order_1', amount: 100 } }, payment: { entity: { id: 'pay_2', amount: 100 } } } }), 'evt_rzp_2')],
      invalid: hook('{"event": '),
    },
  }),
});

it('is registered, verifies with the razorpay scheme and reads the payment out of payment.captured', () => {
  expect(connectorRegistry.get('razorpay')).toBe(razorpayConnector);
  const parsed = parseRazorpayWebhook(hook(captured));
  expect(parsed).toEqual({
    ok: true,
    changes: [expect.objectContaining({ type: 'payment.captured', eventId: 'evt_rzp_1', object: 'payment', id: 'pay_29QQoUBi66xm2f', occurredAt: new Date(1_782_000_000_000).toISOString() })],
  });
  expect(parseRazorpayWebhook(hook('{"event": 1}')).ok).toBe(false);
});
