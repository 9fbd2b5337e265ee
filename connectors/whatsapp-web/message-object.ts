import type { ObjectType } from '../sdk/index.ts';

/** A WhatsApp message a person sent the linked number, as the session reports it. */
export const whatsappWebMessageObject: ObjectType = {
  description: 'A received WhatsApp message from a one-to-one chat (WhatsAppWebSession.onInbound).',
  operations: [],
  schema: {
    title: 'WhatsApp message',
    properties: {
      messageId: { type: 'string', readOnly: true, description: 'Serialized WhatsApp Web id' },
      from: { type: 'string', readOnly: true, description: 'Sender, E.164' },
      to: { type: 'string', readOnly: true, description: 'Linked number, E.164' },
      text: { type: 'string', readOnly: true },
      receivedAt: { type: 'date', readOnly: true },
      inReplyTo: { type: 'string', readOnly: true, description: 'Id of the hub message it quotes' },
      contextId: { type: 'string', readOnly: true },
      kind: { type: 'string', readOnly: true },
    },
  },
  samples: [
    {
      messageId: 'false_919876543210@c.us_3EB0A1B2C3D4E5F60718',
      from: '+919876543210',
      to: '+919000000002',
      text: '2 delayed, waiting for steel',
      receivedAt: '2025-03-31T05:00:00.000Z',
      inReplyTo: 'true_919876543210@c.us_3EB0F1E2D3C4B5A69788',
      kind: 'chat',
    },
  ],
};
