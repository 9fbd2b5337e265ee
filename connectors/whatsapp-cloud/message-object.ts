import type { ObjectType } from '../sdk/index.ts';

/** A WhatsApp message a person sent the business number, as webhooks report it. */
export const whatsappMessageObject: ObjectType = {
  description: 'A received WhatsApp message; `message.received` webhook changes carry it.',
  operations: [],
  schema: {
    title: 'WhatsApp message',
    properties: {
      messageId: { type: 'string', readOnly: true, description: 'wamid.… id' },
      from: { type: 'string', readOnly: true, description: 'Sender, E.164' },
      to: { type: 'string', readOnly: true, description: 'Business number, E.164' },
      text: { type: 'string', readOnly: true, description: 'Typed text, button or row title, caption or reaction emoji' },
      receivedAt: { type: 'date', readOnly: true },
      inReplyTo: { type: 'string', readOnly: true, description: 'wamid of the hub message it replies or reacts to' },
      contextId: { type: 'string', readOnly: true, description: 'Id of the tapped button or list row' },
      kind: { type: 'string', readOnly: true, description: 'Cloud API message type: text, button, interactive, reaction, image, audio, …' },
      profileName: { type: 'string', readOnly: true },
    },
  },
  samples: [
    {
      messageId: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0VCMDRBNzYwREQ0RjMwMkYzQjEA',
      from: '+919876543210',
      to: '+919000000001',
      text: 'Done',
      receivedAt: '2025-03-31T05:00:00.000Z',
      inReplyTo: 'wamid.HBgMOTE5ODc2NTQzMjEwFQIAERgSMTIzNDU2Nzg5MEFCQ0RFRgA=',
      contextId: 'probe:ms-42:done',
      kind: 'interactive',
      profileName: 'Asha Rao',
    },
  ],
};
