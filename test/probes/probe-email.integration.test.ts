import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessagesCollection } from '../../core/notifications/index.ts';
import { handleProbeReply } from '../../queues/probes/index.ts';
import { webhookEnvelopesCollection } from '../../webhooks/index.ts';
import { signStandardWebhook } from '../../webhooks/verifiers/index.ts';
import { composeMail, startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, probeFixture, waitFor, type ProbeFixture, type ProbeTenant } from './probe-fixture.ts';

let smtp: SmtpFake;
let hub: ProbeFixture;
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

beforeAll(async () => {
  smtp = await startSmtpFake({ auth: { user: 'hub@acme.in', pass: 'smtp-secret-1' } });
  hub = await probeFixture('email');
});
afterAll(async () => {
  await hub?.close();
  await smtp?.close();
});

/** A tenant sending through the SMTP peer, with an owner who reads email. */
async function world(slug: string) {
  const t = await hub.tenant(slug);
  const connectionId = await t.connection({
    connector: 'email',
    config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme Projects <projects@acme.in>' },
    credentials: { user: 'hub@acme.in', pass: 'smtp-secret-1' },
    webhook: { secrets: [SECRET] },
  });
  const owner = await t.person({ name: 'Asha Rao', email: 'asha@example.in', channels: ['email'] });
  const projectId = await t.project();
  return { t, connectionId, owner, projectId };
}

/** The owner answers the probe mail from their mail client; the inbound-mail service posts it, signed. */
async function replyByEmail(t: ProbeTenant, connectionId: string, to: { messageId: string; subject: string }, text: string, messageId = `<${randomBytes(8).toString('hex')}@mail.example.in>`) {
  const raw = await composeMail({
    from: 'Asha Rao <asha@example.in>',
    to: 'projects@acme.in',
    subject: `Re: ${to.subject}`,
    messageId,
    inReplyTo: to.messageId,
    references: [to.messageId],
    text: `${text}\n\nOn Tue, 3 Mar 2026 at 11:00, Acme Projects <projects@acme.in> wrote:\n> How is it going? Reply 1 if on track, 2 if delayed, 3 if done.\n`,
  });
  const headers = signStandardWebhook({ secret: SECRET, id: `msg_${randomBytes(6).toString('hex')}`, timestamp: hub.now(), body: raw });
  const res = await hub.app.request(`/v1/hooks/${connectionId}`, { method: 'POST', headers: { 'content-type': 'message/rfc822', ...headers }, body: raw });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return { raw, headers, messageId };
}

/** The probe mail as the SMTP peer received it. */
async function probeMail(before: number, ref: string) {
  const mail = await waitFor(() => smtp.messages.slice(before).find((m) => m.raw.toString('utf8').includes(ref)), 15_000, 'probe mail');
  const raw = mail.raw.toString('utf8');
  const messageId = /^Message-ID: (<[^>]+>)/im.exec(raw)![1]!;
  const subject = /^Subject: (.+)$/im.exec(raw)![1]!.trim();
  return { mail, raw, messageId, subject };
}

describe('status probes by email', () => {
  it('sends a probe now to the primary owner over SMTP and applies the emailed reply as progress', async () => {
    const { t, connectionId, owner, projectId } = await world('email-progress');
    const backup = await t.person({ name: 'Ravi Backup', email: 'ravi@example.in', channels: ['email'] });
    const m = await t.milestone(projectId, owner, { owners: [{ kind: 'individual', ref: backup, role: 'backup' }, { kind: 'individual', ref: owner, role: 'primary' }] });
    const before = smtp.messages.length;

    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    const probe = await t.probe(probeId);
    expect(probe).toMatchObject({ milestoneId: m.id, status: 'sent', trigger: 'manual', replyOptions: [{ reply: '1', meaning: 'on_track' }, { reply: '2', meaning: 'delayed' }, { reply: '3', meaning: 'done' }, { reply: 'text', meaning: 'free_text' }] });
    await t.settled(probe.notificationId!, ['sent']);
    const sent = await probeMail(before, probe.ref);
    expect(sent.mail.rcptTo).toEqual(['asha@example.in']);
    expect(sent.raw).toContain('Slab casting, 3rd floor');
    expect(sent.subject).toContain(probe.ref);

    const shown = await expectStatus<{ channel: string; notificationStatus: string; status: string }>(t.call('GET', `/v1/probes/${probeId}`), 200);
    expect(shown).toMatchObject({ channel: 'email', notificationStatus: 'sent', status: 'sent' });
    const listed = await expectStatus<{ items: Array<{ channel: string; status: string }> }>(t.call('GET', `/v1/notifications?milestoneId=${m.id}`), 200);
    expect(listed.items[0]).toMatchObject({ channel: 'email', status: 'sent' });

    const ackBefore = smtp.messages.length;
    const reply = await replyByEmail(t, connectionId, sent, '60% done, shuttering complete and rebar tied');
    const after = await waitFor(async () => {
      const doc = await t.stored(m.id);
      return doc.percentComplete === 60 && doc;
    }, 15_000, 'percent applied');
    expect(after.status).toBe('in_progress');
    const answered = await waitFor(async () => {
      const p = await t.probe(probeId);
      return p.status === 'answered' && p;
    });
    expect(answered.outcome).toMatchObject({ kind: 'percent', percentComplete: 60, events: ['start'], messageKey: 'probe.ack.percent' });
    expect(answered.replies).toHaveLength(1);
    expect(answered.replies[0]).toMatchObject({ channel: 'email', text: '60% done, shuttering complete and rebar tied' });
    // The acknowledgement goes back by email, threaded onto the reply.
    const ack = await waitFor(() => smtp.messages.slice(ackBefore).find((x) => x.raw.toString('utf8').includes('60')), 15_000, 'ack mail');
    expect(ack.rcptTo).toEqual(['asha@example.in']);
    expect(ack.raw.toString('utf8')).toContain(`In-Reply-To: ${reply.messageId}`);

    // The same message posted again is a duplicate at intake; handed to probe handling again
    // (a replayed envelope), its provider message id is already settled and nothing changes.
    const version = (await t.stored(m.id)).revision;
    await replyByEmail(t, connectionId, sent, '60% done, shuttering complete and rebar tied', reply.messageId);
    const inbound = await waitFor(async () => (await t.db.collection(inboundMessagesCollection).find({}))[0]);
    const again = await handleProbeReply(hub.deps, {
      tenantId: t.id,
      channel: 'email',
      from: 'asha@example.in',
      personId: owner,
      text: '60% done, shuttering complete and rebar tied',
      receivedAt: hub.now(),
      providerMessageId: inbound.providerMessageId,
    });
    expect(again).toEqual({ status: 'duplicate' });
    expect(await t.db.collection(webhookEnvelopesCollection).count({})).toBe(1);
    expect((await t.stored(m.id)).revision).toBe(version);
    expect((await t.probe(probeId)).replies).toHaveLength(1);
  });

  it('marks the milestone done from a "3" reply: 100% and submitted for verification', async () => {
    const { t, connectionId, owner, projectId } = await world('email-done');
    const m = await t.milestone(projectId, owner, { percentComplete: 40 });
    const before = smtp.messages.length;
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    const sent = await probeMail(before, (await t.probe(probeId)).ref);
    await replyByEmail(t, connectionId, sent, '3');
    const done = await waitFor(async () => {
      const doc = await t.stored(m.id);
      return doc.status === 'submitted' && doc;
    }, 15_000, 'submitted');
    expect(done.percentComplete).toBe(100);
    expect((await t.probe(probeId)).outcome).toMatchObject({ kind: 'done', events: ['start', 'submit'] });
  });

  it('answers a garbled reply with a polite clarification and keeps the probe open', async () => {
    const { t, connectionId, owner, projectId } = await world('email-garbled');
    const m = await t.milestone(projectId, owner);
    const before = smtp.messages.length;
    const { probeId } = await expectStatus<{ probeId: string }>(t.call('POST', `/v1/milestones/${m.id}/probes`), 202);
    const sent = await probeMail(before, (await t.probe(probeId)).ref);
    const afterProbe = smtp.messages.length;
    await replyByEmail(t, connectionId, sent, 'asdf qwerty zxcv');
    const probe = await waitFor(async () => {
      const p = await t.probe(probeId);
      return p.status === 'clarification_sent' && p.clarificationNotificationIds.length === 1 && p;
    }, 15_000, 'clarification');
    expect(probe.clarificationsSent).toBe(1);
    expect(probe.outcome).toMatchObject({ kind: 'unclear', messageKey: 'probe.clarification' });
    const clarification = await t.settled(probe.clarificationNotificationIds[0]!, ['sent']);
    expect(clarification).toMatchObject({ templateKey: 'probe.clarification', channel: 'email', probeId, purpose: 'clarification' });
    const mail = await waitFor(() => smtp.messages.slice(afterProbe).find((x) => x.rcptTo.includes('asha@example.in')), 15_000, 'clarification mail');
    expect(mail.raw.toString('utf8')).toMatch(/1/);
    const unchanged = await t.stored(m.id);
    expect(unchanged.percentComplete).toBe(0);
    expect(unchanged.status).toBe('planned');

    // A clear answer after the clarification is applied to the same probe.
    await replyByEmail(t, connectionId, sent, '2 waiting for cement delivery');
    const delayed = await waitFor(async () => {
      const p = await t.probe(probeId);
      return p.status === 'answered' && p;
    }, 15_000, 'answered after clarification');
    expect(delayed.outcome).toMatchObject({ kind: 'delayed', delay: { category: 'materials' } });
    const stored = (await t.stored(m.id)) as unknown as { delay?: { category: string; text: string } };
    expect(stored.delay).toMatchObject({ category: 'materials', text: expect.stringContaining('cement') });
  });

  it('refuses a probe for an unknown milestone (404), a closed one (409) and one without an owner (422)', async () => {
    const { t, owner, projectId } = await world('email-refusals');
    const unknown = await t.call('POST', '/v1/milestones/ms_nope/probes');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');

    const orphan = await t.milestone(projectId, null, { title: 'Nobody owns this' });
    const noOwner = await t.call('POST', `/v1/milestones/${orphan.id}/probes`);
    expect(noOwner.status).toBe(422);
    expect(((await noOwner.json()) as { reason: string }).reason).toBe('no_owner');

    const closed = await t.milestone(projectId, owner, { title: 'Cancelled work' });
    await expectStatus(t.call('POST', `/v1/milestones/${closed.id}/transitions`, { to: 'cancelled' }), 200);
    const refused = await t.call('POST', `/v1/milestones/${closed.id}/probes`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { reason: string }).reason).toBe('milestone_closed');

    const other = await hub.tenant('email-refusals-other');
    expect((await other.call('POST', `/v1/milestones/${closed.id}/probes`)).status).toBe(404);
  });
});
