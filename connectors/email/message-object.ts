import type { ObjectType } from '../sdk/index.ts';

/** An email a person sent the hub (a reply to a probe, most often), as webhooks report it. */
export const emailMessageObject: ObjectType = {
  description: 'A received email, quoted history removed; `message.received` webhook changes carry it.',
  operations: [],
  schema: {
    title: 'Email message',
    properties: {
      messageId: { type: 'string', readOnly: true, description: 'Message-ID, with angle brackets' },
      from: { type: 'string', readOnly: true },
      to: { type: 'string', readOnly: true },
      subject: { type: 'string', readOnly: true },
      text: { type: 'string', readOnly: true, description: 'What the sender wrote, without the quoted original' },
      receivedAt: { type: 'date', readOnly: true },
      inReplyTo: { type: 'string', readOnly: true, description: 'Message-ID of the hub message it answers' },
      contextId: { type: 'string', readOnly: true, description: 'X-Hub-Probe token, when the message carries one' },
      references: { type: 'array', readOnly: true, items: { type: 'string' } },
    },
  },
  samples: [
    {
      messageId: '<CAJ+reply-1@mail.gmail.com>',
      from: 'asha.rao@example.in',
      to: 'projects@acme.in',
      subject: 'Re: Status of Foundation pour',
      text: '2 delayed - waiting for the steel delivery',
      receivedAt: '2025-03-31T05:00:00.000Z',
      inReplyTo: '<mh.5d1c0ffee5d1c0ffee5d1c0ffee5d1c0@acme.in>',
      references: ['<mh.5d1c0ffee5d1c0ffee5d1c0ffee5d1c0@acme.in>'],
    },
  ],
};
