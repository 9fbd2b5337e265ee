import { defineConnector, WEBHOOK_SCHEMES, type ObjectType } from '../sdk/index.ts';
import { parseGenericEvent } from './parse-generic-event.ts';
import { webhookConfigSchema, webhookCredentialsSchema } from './webhook-config-schema.ts';

const event: ObjectType = {
  description: 'One event a sender posted; map `data.<field>` paths inbound.',
  schema: {
    title: 'Webhook event',
    properties: {
      id: { type: 'string', readOnly: true, description: "The sender's event id, when it sends one." },
      type: { type: 'string', readOnly: true },
      occurredAt: { type: 'date', readOnly: true },
      data: { type: 'object', description: 'The event payload; any path below it is accepted.' },
    },
  },
  samples: [
    { id: 'evt_01', type: 'milestone.verified', occurredAt: '2025-03-31T06:30:00.000Z', data: { milestoneRef: 'MS-12', verifiedBy: 'asha@example.in' } },
    { id: 'evt_02', type: 'payment.received', data: { invoiceNumber: 'INV-2025-0042', amount: 118000 } },
  ],
  operations: [],
};

/**
 * A generic inbound source: any system that can POST signed JSON (or form) events. Each
 * connection picks its sender's signature scheme in `config.scheme`. It calls nothing.
 */
export const webhookConnector = defineConnector({
  id: 'webhook',
  displayName: 'Inbound webhook',
  description: 'Receives signed events from any system that can send webhooks; the signature scheme is chosen per connection.',
  configSchema: webhookConfigSchema,
  credentialsSchema: webhookCredentialsSchema,
  objects: { event },
  check: async () => ({ ok: true, message: 'Inbound only: there is nothing to call. Send a signed test event to the webhook URL.' }),
  capabilities: {
    webhook: {
      schemes: WEBHOOK_SCHEMES,
      settings: (config) => ({
        scheme: config.scheme,
        options: { ...(config.options ?? {}), ...(config.signatureHeader === undefined ? {} : { signatureHeader: config.signatureHeader }) },
      }),
      parse: (input) => parseGenericEvent(input),
    },
  },
});
