import { z } from 'zod';
import { defineConnector, type ObjectType } from '../sdk/index.ts';
import { parseRazorpayWebhook } from './parse-razorpay-webhook.ts';

const payment: ObjectType = {
  description: 'A Razorpay payment, as its webhooks carry it; amounts in paise.',
  schema: {
    title: 'Payment',
    properties: {
      id: { type: 'string', readOnly: true },
      amount: { type: 'integer', readOnly: true, description: 'Paise' },
      currency: { type: 'string', readOnly: true },
      status: { type: 'string', readOnly: true },
      order_id: { type: 'string', readOnly: true },
      method: { type: 'string', readOnly: true },
      description: { type: 'string', readOnly: true },
      email: { type: 'string', readOnly: true },
      contact: { type: 'string', readOnly: true },
      notes: { type: 'object', readOnly: true },
      created_at: { type: 'integer', readOnly: true, description: 'Unix seconds' },
    },
  },
  samples: [
    {
      id: 'pay_29QQoUBi66xm2f',
      amount: 11_800_000,
      currency: 'INR',
      status: 'captured',
      order_id: 'order_9A33XWu170gUtm',
      method: 'upi',
      description: 'INV/26-27/000001',
      email: 'accounts@kaveri.example.in',
      contact: '+919876543210',
      notes: { invoice_number: 'INV/26-27/000001' },
      created_at: 1_782_000_000,
    },
  ],
  operations: [],
};

/** Config: the account's key id, shown to admins only to recognise the account. Inbound only. */
const configSchema = z.strictObject({ keyId: z.string().regex(/^rzp_(test|live)_[A-Za-z0-9]{6,32}$/, { error: 'must be a Razorpay key id (rzp_live_… or rzp_test_…)' }).optional() });
/** Nothing is called, so nothing is held; the webhook secret lives on the connection. */
const credentialsSchema = z.strictObject({});

/**
 * Razorpay payments, inbound: signed webhooks (`X-Razorpay-Signature`, HMAC-SHA256 of the body)
 * for `payment.captured` and `order.paid`, which the hub reconciles against its invoices.
 */
export const razorpayConnector = defineConnector({
  id: 'razorpay',
  displayName: 'Razorpay',
  description: 'Receives Razorpay payment events and reconciles them against invoices.',
  configSchema,
  credentialsSchema,
  objects: { payment },
  check: async () => ({ ok: true, message: 'Inbound only: add the webhook URL and secret in the Razorpay dashboard, then send a test event.' }),
  capabilities: { webhook: { schemes: ['razorpay'], parse: (input) => parseRazorpayWebhook(input) } },
});
