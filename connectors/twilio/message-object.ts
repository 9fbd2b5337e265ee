import type { ObjectType } from '../sdk/index.ts';

/** An SMS a person sent one of the account's numbers, as Twilio's webhook reports it. */
export const smsMessageObject: ObjectType = {
  description: 'A received SMS; `message.received` webhook changes carry it.',
  operations: [],
  schema: {
    title: 'SMS message',
    properties: {
      messageId: { type: 'string', readOnly: true, description: 'Twilio Message SID' },
      from: { type: 'string', readOnly: true, description: 'Sender, E.164' },
      to: { type: 'string', readOnly: true, description: 'Receiving number, E.164' },
      text: { type: 'string', readOnly: true },
      receivedAt: { type: 'date', readOnly: true },
      segments: { type: 'integer', readOnly: true },
    },
  },
  samples: [{ messageId: 'SM0123456789abcdef0123456789abcdef', from: '+919876543210', to: '+14155550100', text: '2 delayed - rains', receivedAt: '2025-03-31T05:00:00.000Z', segments: 1 }],
};
