import { describe, expect, it } from 'vitest';
import { webhookConnector, type WebhookInput } from '../../connectors/index.ts';

const input = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): WebhookInput => ({
  headers,
  rawBody: Buffer.from(body),
  receivedAt: new Date('2025-04-01T06:30:00Z'),
});
const parse = (i: WebhookInput) => webhookConnector.parseWebhook!(i, { scheme: 'standard-webhooks' });

describe('webhook connector', () => {
  it('takes one of the verifiable schemes, and a signature header only for github-style senders', () => {
    expect(webhookConnector.parseConfig({ scheme: 'stripe' }).ok).toBe(true);
    expect(webhookConnector.parseConfig({ scheme: 'hmac' })).toMatchObject({ ok: false, issues: [{ path: 'scheme' }] });
    expect(webhookConnector.parseConfig({ scheme: 'stripe', signatureHeader: 'X-Sig' })).toMatchObject({ ok: false, issues: [{ path: 'signatureHeader' }] });
    expect(webhookConnector.parseConfig({ scheme: 'salesforce-outbound', options: { 'org.id': '00D' } })).toMatchObject({ ok: false, issues: [{ path: 'options.org.id' }] });
    expect(webhookConnector.webhookSettings({ scheme: 'github', signatureHeader: 'X-Signature' })).toEqual({ scheme: 'github', options: { signatureHeader: 'X-Signature' } });
    expect(webhookConnector.webhookSettings({ scheme: 'salesforce-outbound', options: { organizationId: '00D5g000004ABCD' } })).toEqual({
      scheme: 'salesforce-outbound',
      options: { organizationId: '00D5g000004ABCD' },
    });
    expect(webhookConnector.parseCredentials({}, {}).ok).toBe(true);
    expect(webhookConnector.parseCredentials({ token: 'x' }, {}).ok).toBe(false);
    expect(webhookConnector.capabilities).toMatchObject({ pull: false, push: [], webhook: true });
  });

  it('reads an event object: id, type, data and time', async () => {
    const result = await parse(input(JSON.stringify({ id: 'evt_9', type: 'invoice.paid', created_at: 1743489000, data: { invoice: 'INV-7', amount: 118000 } })));
    expect(result).toEqual({
      ok: true,
      changes: [
        {
          eventId: 'evt_9',
          id: 'evt_9',
          type: 'invoice.paid',
          object: 'event',
          occurredAt: '2025-04-01T06:30:00.000Z',
          data: { invoice: 'INV-7', amount: 118000 },
          record: { id: 'evt_9', type: 'invoice.paid', occurredAt: '2025-04-01T06:30:00.000Z', data: { invoice: 'INV-7', amount: 118000 } },
        },
      ],
    });
  });

  it('falls back to delivery headers, reads batches and form bodies', async () => {
    const plain = await parse(input(JSON.stringify({ status: 'done' }), { 'content-type': 'application/json', 'webhook-id': 'msg_2Lh', 'x-event-type': 'task.done' }));
    expect(plain).toMatchObject({ ok: true, changes: [{ eventId: 'msg_2Lh', type: 'task.done', data: { status: 'done' } }] });
    const batch = await parse(input(JSON.stringify([{ event_id: 'a', event: 'x', payload: { n: 1 } }, { eventId: 'b', eventType: 'y' }])));
    expect(batch).toMatchObject({ ok: true, changes: [{ eventId: 'a', type: 'x', data: { n: 1 } }, { eventId: 'b', type: 'y' }] });
    const form = await parse(input('MessageSid=SM1&Body=Approved', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(form).toMatchObject({ ok: true, changes: [{ type: 'event', data: { MessageSid: 'SM1', Body: 'Approved' } }] });
    const xml = await parse(input('<soapenv:Envelope/>', { 'content-type': 'text/xml' }));
    expect(xml).toMatchObject({ ok: true, changes: [{ data: { text: '<soapenv:Envelope/>' } }] });
  });

  it('refuses empty and malformed JSON bodies as values, never by throwing', async () => {
    expect(await parse(input(''))).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect(await parse(input('{"id":'))).toMatchObject({ ok: false, error: { code: 'invalid_body', message: expect.stringMatching(/not valid JSON/) } });
    expect(await parse(input(JSON.stringify(new Array(1001).fill({}))))).toMatchObject({ ok: false });
  });
});
