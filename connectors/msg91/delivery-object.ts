import type { ObjectType } from '../sdk/index.ts';

/** A delivery report of an SMS the hub sent, as MSG91's webhook reports it. */
export const msg91DeliveryObject: ObjectType = {
  description: 'The delivery of one sent SMS to one number (parseMsg91Report).',
  operations: [],
  schema: {
    title: 'SMS delivery report',
    properties: {
      messageId: { type: 'string', readOnly: true, description: 'MSG91 request id' },
      status: { type: 'string', readOnly: true, enum: ['queued', 'sent', 'delivered', 'read', 'failed'] },
      recipient: { type: 'string', readOnly: true, description: 'E.164' },
      occurredAt: { type: 'date', readOnly: true },
      error: { type: 'object', readOnly: true, properties: { code: { type: 'string' }, message: { type: 'string' }, permanent: { type: 'boolean' } } },
    },
  },
  samples: [
    { messageId: '65f0c1d2e3a4b5c6d7e8f901', status: 'delivered', recipient: '+919876543210', occurredAt: '2025-03-31T05:01:00.000Z' },
    { messageId: '65f0c1d2e3a4b5c6d7e8f902', status: 'failed', recipient: '+919876500002', occurredAt: '2025-03-31T05:01:00.000Z', error: { code: '9', message: 'NDNC', permanent: true } },
  ],
};
