import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNotification, type NotificationRequest } from '../../queues/notify/index.ts';
import { webhookEnvelopesCollection } from '../../webhooks/index.ts';
import { MSG91_REPORT, startMsg91Fake, type Msg91Fake } from '../fakes/msg91/index.ts';
import { expectStatus, notifyFixture, waitFor } from './notify-fixture.ts';

let msg91: Msg91Fake;
let hub: Awaited<ReturnType<typeof notifyFixture>>;

// Webhook secrets of a url-token connection are bearer tokens: long and random.
const TOKEN = 'msg91-dlr-7b3e0c5a91f24d68a0e1';
const PROBE_VARS = { 'milestone.title': 'Slab casting', 'project.name': 'Sharma Residency', 'owner.name': 'Asha', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' };

beforeAll(async () => {
  msg91 = await startMsg91Fake();
  // Real time: stored webhook envelopes expire by the wall clock, so this file does not move time.
  hub = await notifyFixture('msg91-dlr');
});
afterAll(async () => {
  await hub?.close();
  await msg91?.close();
});

async function msg91Tenant(slug: string) {
  const t = await hub.tenant(slug);
  await expectStatus(t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: null } }), 200);
  const conn = await t.connection({
    connector: 'msg91',
    config: {
      baseUrl: msg91.url,
      senderId: 'MSTONE',
      templates: [{ name: 'notice', templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124', variables: ['VAR1'] }],
      textTemplate: 'notice',
    },
    credentials: { authKey: msg91.authKey },
    webhook: { secrets: [TOKEN] },
  });
  const send = async (request: Omit<NotificationRequest, 'tenantId'>) => {
    const result = await requestNotification({ store: hub.services.store, queues: hub.queues, now: hub.now }, { ...request, tenantId: t.id });
    if (!result.ok) throw new Error(result.error.message);
    return result.value.notificationId;
  };
  /** Sends a probe by SMS to a new person and waits until MSG91 took it. */
  const sendSms = async (key: string, phone: string) => {
    const owner = await t.person({ name: `Owner ${key}`, phone, channels: ['sms'] });
    const id = await send({ dedupeKey: `msg91:${key}`, purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status', vars: PROBE_VARS });
    const sent = await t.settled(id, ['sent', 'failed']);
    return { id, sent };
  };
  return { ...t, conn, sendSms, hookUrl: `${hub.publicUrl}/v1/hooks/${conn}` };
}

describe('MSG91 delivery reports through /v1/hooks with a URL token', () => {
  it('shows admins the url-token scheme and how to add the token to the webhook URL', async () => {
    const t = await msg91Tenant('msg91-shown');
    const connector = await expectStatus<{ webhookScheme: string | null; description: string }>(t.call('GET', '/v1/connectors/msg91'), 200);
    expect(connector.webhookScheme).toBe('url-token');
    expect(connector.description).toContain('?token=');
    const view = await expectStatus<{ webhookUrl: string }>(t.call('GET', `/v1/connections/${t.conn}`), 200);
    expect(view.webhookUrl).toBe(t.hookUrl);
  });

  it('moves an SMS sent → delivered on a DLR, and another to failed with MSG91’s reason', async () => {
    const t = await msg91Tenant('msg91-dlr');
    const first = await t.sendSms('delivered', '+91 98765 41001');
    expect(first.sent.status).toBe('sent');
    const requestId = first.sent.providerMessageId!;
    expect(msg91.sms.find((s) => s.requestId === requestId)).toMatchObject({ mobile: '919876541001', senderId: 'MSTONE' });

    expect(await msg91.report({ url: `${t.hookUrl}?token=${TOKEN}`, requestId, outcome: MSG91_REPORT.delivered })).toBe(202);
    const delivered = await t.settled(first.id, ['delivered']);
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    expect(delivered.error).toBeUndefined();

    // The stored envelope keeps no trace of the token.
    const envelope = await waitFor(async () => {
      const docs = await t.db.collection(webhookEnvelopesCollection).find({ connectionId: t.conn });
      return docs.length === 1 && docs[0]!.status === 'processed' ? docs[0]! : undefined;
    }, 10_000, 'envelope processed');
    expect(envelope.scheme).toBe('url-token');
    expect(envelope.url).toBe(t.hookUrl);
    expect(JSON.stringify(envelope)).not.toContain(TOKEN);

    const second = await t.sendSms('failed', '+91 98765 41002');
    expect(second.sent.status).toBe('sent');
    const status = await msg91.report({ url: `${t.hookUrl}?token=${TOKEN}`, requestId: second.sent.providerMessageId!, outcome: MSG91_REPORT.failed, version: 'v3', failedReason: 'Absent subscriber' });
    expect(status).toBe(202);
    const failed = await t.settled(second.id, ['failed']);
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(failed.error).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/absent subscriber|failed/i) });

    // Each report touched only its own message.
    expect((await t.notification(first.id)).status).toBe('delivered');
  });

  it('refuses a DLR with a wrong or missing token with 401 and changes nothing', async () => {
    const t = await msg91Tenant('msg91-bad');
    const { id, sent } = await t.sendSms('refused', '+91 98765 41003');
    expect(sent.status).toBe('sent');
    const requestId = sent.providerMessageId!;

    expect(await msg91.report({ url: `${t.hookUrl}?token=not-the-token-0000000000`, requestId, outcome: MSG91_REPORT.delivered })).toBe(401);
    expect(await msg91.report({ url: t.hookUrl, requestId, outcome: MSG91_REPORT.delivered })).toBe(401);
    const refused = await fetch(`${t.hookUrl}?token=wrong-guess-000000000000`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toMatch(/token|secret|stack/i);

    await new Promise((r) => setTimeout(r, 300));
    expect(await t.db.collection(webhookEnvelopesCollection).count({ connectionId: t.conn })).toBe(0);
    const after = await t.notification(id);
    expect(after.status).toBe('sent');
    expect(after.deliveredAt).toBeUndefined();
  });
  it('refuses url-token secrets too short to be the only credential, on create and on rotation', async () => {
    const t = await msg91Tenant('msg91-short');
    const config = { baseUrl: msg91.url, senderId: 'MSTONE', templates: [{ name: 'notice', templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124', variables: ['VAR1'] }], textTemplate: 'notice' };
    const created = await t.call('POST', '/v1/connections', { connector: 'msg91', name: 'short', config, credentials: { authKey: msg91.authKey }, webhook: { secrets: [TOKEN, 'short-secret'] } });
    expect(created.status).toBe(422);
    expect(created.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await created.json()) as { errors: { path: string; code: string }[] };
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'webhook.secrets.1', code: 'too_short' })]);

    const rotated = await t.call('POST', `/v1/connections/${t.conn}/webhook-secrets`, { value: '0123456789abcde' });
    expect(rotated.status).toBe(422);
    expect(((await rotated.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('value');
    const longEnough = await t.call('POST', `/v1/connections/${t.conn}/webhook-secrets`, { value: '0123456789abcdef' });
    expect(longEnough.status).toBe(201);
  });
});
