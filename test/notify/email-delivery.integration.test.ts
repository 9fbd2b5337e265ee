import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsCollection } from '../../core/notifications/index.ts';
import { requestNotification } from '../../queues/notify/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { notifyFixture } from './notify-fixture.ts';

let smtp: SmtpFake;
let hub: Awaited<ReturnType<typeof notifyFixture>>;

// 11:00 IST on a Tuesday: outside the default 21:00-08:00 quiet hours.
const MORNING = new Date('2026-03-03T05:30:00Z');

beforeAll(async () => {
  smtp = await startSmtpFake({ auth: { user: 'hub@acme.in', pass: 'smtp-secret-1' } });
  hub = await notifyFixture('email', { start: MORNING });
});
afterAll(async () => {
  await hub.close();
  await smtp.close();
});

describe('notifications over an active email connection', () => {
  it('delivers to a real SMTP peer on loopback, with status sent and the attempt recorded', async () => {
    const t = await hub.tenant('mail');
    await t.connection({
      connector: 'email',
      config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme Projects <projects@acme.in>' },
      credentials: { user: 'hub@acme.in', pass: 'smtp-secret-1' },
    });
    const owner = await t.person({ name: 'Asha Rao', email: 'Asha@Example.in', channels: ['email'] });
    const before = smtp.messages.length;

    const requested = await requestNotification(
      { store: hub.services.store, queues: hub.queues, now: hub.now },
      {
        tenantId: t.id,
        dedupeKey: 'probe:prb_1:1',
        purpose: 'probe',
        recipient: { personId: owner },
        templateKey: 'probe.status',
        vars: { 'milestone.title': 'Slab casting, 3rd floor', 'project.name': 'Sharma Residency', 'owner.name': 'Asha', dueDate: '2026-03-15', replyOptions: 'Reply 1 on track, 2 delayed, 3 done', probeRef: '#P7K2M' },
        milestoneId: 'ms_1',
        probeId: 'prb_1',
      },
    );
    expect(requested.ok).toBe(true);
    if (!requested.ok) return;
    const doc = await t.settled(requested.value.notificationId, ['sent', 'failed']);
    expect(doc.status).toBe('sent');
    expect(doc.channel).toBe('email');
    expect(doc.to).toBe('asha@example.in');
    expect(doc.attempts).toHaveLength(1);
    expect(doc.attempts[0]).toMatchObject({ n: 1, channel: 'email', outcome: 'sent', connector: 'email' });
    expect(doc.providerMessageId).toMatch(/^<.+@acme\.in>$/);
    expect(doc.sentAt?.toISOString()).toBe(MORNING.toISOString());

    const mail = smtp.messages[before]!;
    expect(mail.user).toBe('hub@acme.in');
    expect(mail.rcptTo).toEqual(['asha@example.in']);
    const raw = mail.raw.toString('utf8');
    expect(raw).toMatch(/Subject: Status check: Slab casting, 3rd floor \(Sharma Residency\) #P7K2M/);
    expect(raw).toContain(`Message-ID: ${doc.providerMessageId}`);
    expect(raw).toContain('X-Hub-Probe: prb_1');
    expect(raw).toContain('15 Mar 2026');

    // The same business key sends nothing more.
    const again = await requestNotification({ store: hub.services.store, queues: hub.queues, now: hub.now }, {
      tenantId: t.id, dedupeKey: 'probe:prb_1:1', purpose: 'probe', recipient: { personId: owner }, templateKey: 'probe.status',
      vars: { 'milestone.title': 'x', replyOptions: 'y', probeRef: '#P7K2M' },
    });
    expect(again).toEqual({ ok: true, value: { notificationId: requested.value.notificationId, deduplicated: true, status: 'sent' } });

    const listed = await t.call('GET', `/v1/notifications?milestoneId=ms_1`);
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as { items: Array<{ id: string; channel: string; status: string; purpose: string }> };
    expect(body.items).toEqual([expect.objectContaining({ id: requested.value.notificationId, channel: 'email', status: 'sent', purpose: 'probe' })]);
  });

  it('re-enqueues a notification whose enqueue was lost, and resends an interrupted attempt under its first key', async () => {
    const t = await hub.tenant('mail-crash');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme Projects <projects@acme.in>' }, credentials: { user: 'hub@acme.in', pass: 'smtp-secret-1' } });
    const owner = await t.person({ name: 'Vikram', email: 'vikram@example.in', channels: ['email'] });
    // No queues: stored, as if the process died before the enqueue.
    const requested = await requestNotification({ store: hub.services.store, now: hub.now }, {
      tenantId: t.id, dedupeKey: 'crash:1', purpose: 'invoice', recipient: { personId: owner }, templateKey: 'verification.requested',
      vars: { 'milestone.title': 'Handover', 'owner.name': 'Asha', 'project.name': 'Sharma Residency', link: 'https://hub.example.in/m/1' },
    });
    if (!requested.ok) throw new Error(requested.error.message);
    const id = requested.value.notificationId;
    // ...and as if an earlier run had written its attempt, then died during the SMTP call.
    const conn = (await (await t.call('GET', '/v1/connections')).json()) as { items: { id: string }[] };
    await t.db.collection(notificationsCollection).updateOne({ _id: id }, {
      $set: { attempts: [{ n: 1, channel: 'email', to: 'vikram@example.in', connectionId: conn.items[0]!.id, connector: 'email', idempotencyKey: `${id}:1`, outcome: 'sending', startedAt: MORNING }] },
    });
    expect(await hub.queues.get('notify').getJob(id)).toBeUndefined();

    const before = smtp.messages.length;
    await hub.sweep();
    const doc = await t.settled(id, ['sent', 'failed']);
    expect(doc.status).toBe('sent');
    expect(doc.attempts).toHaveLength(1);
    expect(doc.attempts[0]).toMatchObject({ n: 1, idempotencyKey: `${id}:1`, outcome: 'sent' });
    expect(smtp.messages.length).toBe(before + 1);
    // The Message-ID derives from the attempt's key, so the resend carries the one the first try would have.
    expect(smtp.messages[before]!.raw.toString('utf8')).toContain(`Message-ID: ${doc.providerMessageId}`);
  });

  it('refuses a request for an unknown person or a bad template key, and stores nothing', async () => {
    const t = await hub.tenant('mail-bad');
    const deps = { store: hub.services.store, queues: hub.queues, now: hub.now };
    const unknown = await requestNotification(deps, { tenantId: t.id, dedupeKey: 'k1', purpose: 'probe', recipient: { personId: 'per_nobody' }, templateKey: 'probe.status' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid', issues: [{ path: 'recipient.personId', code: 'unknown_person' }] } });
    const badKey = await requestNotification(deps, { tenantId: t.id, dedupeKey: 'k2', purpose: 'probe', recipient: { address: { channel: 'email', to: 'a@b.in' } }, templateKey: 'nope' as never });
    expect(badKey).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
