import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestNotification } from '../../queues/notify/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { expectStatus, notifyFixture } from './notify-fixture.ts';

let smtp: SmtpFake;
let hub: Awaited<ReturnType<typeof notifyFixture>>;
const MORNING = new Date('2026-03-03T05:30:00Z');
const VERIFY = { 'owner.name': 'Asha', 'project.name': 'Sharma Residency', link: 'https://hub.example.in/m/8K2P' };

beforeAll(async () => {
  smtp = await startSmtpFake();
  hub = await notifyFixture('api', { start: MORNING });
});
afterAll(async () => {
  await hub.close();
  await smtp.close();
});

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await res.json()) as { code: string; errors?: { path: string; code?: string; message: string }[]; detail: string };
}

describe('message templates', () => {
  it('lists the defaults in English and Hindi and saves a valid tenant template', async () => {
    const t = await hub.tenant('tpl');
    const all = await expectStatus<{ items: { key: string; channel: string; locale: string; source: string }[] }>(t.call('GET', '/v1/message-templates?key=probe.status'), 200);
    expect(all.items.map((i) => `${i.channel}/${i.locale}`).sort()).toEqual(['email/en', 'email/hi', 'sms/en', 'sms/hi', 'whatsapp/en', 'whatsapp/hi']);
    expect(all.items.every((i) => i.source === 'default')).toBe(true);

    const saved = await expectStatus<{ source: string; revision: number; body: string }>(
      t.call('PUT', '/v1/message-templates/probe.status/whatsapp/hi', { body: 'नमस्ते {{owner.name}}, *{{milestone.title}}* कैसा चल रहा है? {{replyOptions}} {{probeRef}}' }),
      200,
    );
    expect(saved).toMatchObject({ source: 'tenant', revision: 1 });
    const again = await expectStatus<{ revision: number }>(t.call('PUT', '/v1/message-templates/probe.status/whatsapp/hi', { body: 'नमस्ते! {{milestone.title}} {{replyOptions}} {{probeRef}}' }), 200);
    expect(again.revision).toBe(2);
    const one = await expectStatus<{ source: string; body: string }>(t.call('GET', '/v1/message-templates/probe.status/whatsapp/hi'), 200);
    expect(one).toMatchObject({ source: 'tenant', body: 'नमस्ते! {{milestone.title}} {{replyOptions}} {{probeRef}}' });

    // Another tenant still sees the default.
    const other = await hub.tenant('tpl-other');
    expect((await expectStatus<{ source: string }>(other.call('GET', '/v1/message-templates/probe.status/whatsapp/hi'), 200)).source).toBe('default');

    expect((await t.call('DELETE', '/v1/message-templates/probe.status/whatsapp/hi')).status).toBe(204);
    expect((await expectStatus<{ source: string }>(t.call('GET', '/v1/message-templates/probe.status/whatsapp/hi'), 200)).source).toBe('default');
  });

  it('refuses bad templates at save with 422 problems naming each fault', async () => {
    const t = await hub.tenant('tpl-bad');
    const unknown = await problem(await t.call('PUT', '/v1/message-templates/probe.status/email/en', { subject: 'Status {{probeRef}}', body: 'Hi {{owner.nmae}} {{milestone.title}} {{replyOptions}} {{probeRef}}' }), 422);
    expect(unknown.errors).toContainEqual(expect.objectContaining({ path: 'body.body', code: 'unknown-placeholder' }));

    const missing = await problem(await t.call('PUT', '/v1/message-templates/probe.status/email/en', { subject: 'Status', body: 'How is it going?' }), 422);
    expect(missing.errors?.map((e) => e.code)).toEqual(expect.arrayContaining(['missing-placeholder']));

    const noSubject = await problem(await t.call('PUT', '/v1/message-templates/invoice.sent/email/en', { body: '{{invoice.number}} for {{amount}}' }), 422);
    expect(noSubject.errors).toContainEqual(expect.objectContaining({ code: 'subject-required' }));

    const malformed = await problem(await t.call('PUT', '/v1/message-templates/verification.requested/sms/en', { body: '{{tenant.name}}: {{milestone.title needs you', dltTemplateId: '1107161234567890123' }), 422);
    expect(malformed.errors?.map((e) => e.code)).toContain('malformed-placeholder');

    const noDlt = await problem(await t.call('PUT', '/v1/message-templates/verification.requested/sms/en', { body: '{{tenant.name}}: {{milestone.title}} awaits you' }), 422);
    expect(noDlt.errors).toContainEqual(expect.objectContaining({ code: 'dlt-template-id-required' }));

    await problem(await t.call('PUT', '/v1/message-templates/no.such.key/email/en', { body: 'x' }), 404);
    await problem(await t.call('PUT', '/v1/message-templates/probe.status/pigeon/en', { body: 'x' }), 404);
    await problem(await t.call('PUT', '/v1/message-templates/probe.status/email/fr', { body: 'x' }), 404);
    await problem(await t.call('PUT', '/v1/message-templates/probe.status/email/en', { subject: 'x' }), 400);
    expect((await expectStatus<{ source: string }>(t.call('GET', '/v1/message-templates/probe.status/email/en'), 200)).source).toBe('default');
  });

  it('lets only admins and managers change templates', async () => {
    const t = await hub.tenant('tpl-roles');
    const viewer = await expectStatus<{ key?: string; token?: string; apiKey?: string }>(t.call('POST', '/v1/api-keys', { name: 'viewer', role: 'viewer' }), 201);
    const token = viewer.token ?? viewer.apiKey ?? viewer.key;
    const res = await hub.call('PUT', '/v1/message-templates/probe.status/email/en', { key: token!, body: { subject: 's {{probeRef}}', body: '{{milestone.title}} {{replyOptions}} {{probeRef}}' } });
    await problem(res, 403);
  });
});

describe('GET /v1/notifications', () => {
  it('lists with filters and cursor paging, masks addresses, and keeps tenants apart', async () => {
    const t = await hub.tenant('list');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const owner = await t.person({ name: 'Asha', email: 'asha@example.in', channels: ['email'] });
    const deps = { store: hub.services.store, queues: hub.queues, now: hub.now };
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const r = await requestNotification(deps, {
        tenantId: t.id,
        dedupeKey: `list:${i}`,
        purpose: i < 3 ? 'probe' : 'escalation',
        recipient: { personId: owner },
        templateKey: 'verification.requested',
        vars: { ...VERIFY, 'milestone.title': `M${i}` },
        milestoneId: i % 2 === 0 ? 'ms_even' : 'ms_odd',
      });
      if (!r.ok) throw new Error(r.error.message);
      ids.push(r.value.notificationId);
    }
    for (const id of ids) await t.settled(id, ['sent', 'failed']);

    const even = await expectStatus<{ items: { id: string; channel: string; status: string; purpose: string; to: string; attempts: unknown[] }[]; nextCursor: string | null }>(t.call('GET', '/v1/notifications?milestoneId=ms_even'), 200);
    expect(even.items).toHaveLength(3);
    expect(even.items.every((i) => i.channel === 'email' && i.status === 'sent')).toBe(true);
    expect(even.items[0]!.to).toBe('as***@example.in');
    expect(even.items[0]!.attempts).toHaveLength(1);

    const escalations = await expectStatus<{ items: unknown[] }>(t.call('GET', '/v1/notifications?purpose=escalation'), 200);
    expect(escalations.items).toHaveLength(2);
    const byPerson = await expectStatus<{ items: unknown[] }>(t.call('GET', `/v1/notifications?personId=${owner}&status=sent`), 200);
    expect(byPerson.items).toHaveLength(5);

    const first = await expectStatus<{ items: { id: string }[]; nextCursor: string | null }>(t.call('GET', '/v1/notifications?limit=2'), 200);
    expect(first.items).toHaveLength(2);
    const second = await expectStatus<{ items: { id: string }[]; nextCursor: string | null }>(t.call('GET', `/v1/notifications?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`), 200);
    const third = await expectStatus<{ items: { id: string }[]; nextCursor: string | null }>(t.call('GET', `/v1/notifications?limit=2&cursor=${encodeURIComponent(second.nextCursor!)}`), 200);
    expect([...first.items, ...second.items, ...third.items].map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(third.nextCursor).toBeNull();

    const detail = await expectStatus<{ id: string; to: string; rendered: { subject: string } }>(t.call('GET', `/v1/notifications/${ids[0]}`), 200);
    expect(detail.to).toBe('asha@example.in'); // admins see the address
    expect(detail.rendered.subject).toContain('M0');

    await problem(await t.call('GET', '/v1/notifications?status=lost'), 400);
    await problem(await t.call('GET', '/v1/notifications?cursor=not-a-cursor'), 400);
    const stranger = await hub.tenant('list-stranger');
    await problem(await stranger.call('GET', `/v1/notifications/${ids[0]}`), 404);
    expect((await expectStatus<{ items: unknown[] }>(stranger.call('GET', '/v1/notifications?milestoneId=ms_even'), 200)).items).toEqual([]);
  });

  it('sends a manual notification through POST /v1/notifications and refuses bad input with 422', async () => {
    const t = await hub.tenant('manual');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Acme <projects@acme.in>' }, credentials: {} });
    const queued = await expectStatus<{ notificationId: string; deduplicated: boolean }>(
      t.call('POST', '/v1/notifications', { recipient: { address: { channel: 'email', to: 'client@example.in', name: 'Priya' } }, templateKey: 'verification.requested', vars: { ...VERIFY, 'milestone.title': 'Handover' }, dedupeKey: 'manual:1' }),
      202,
    );
    expect(queued.deduplicated).toBe(false);
    expect((await t.settled(queued.notificationId, ['sent', 'failed'])).status).toBe('sent');
    const again = await expectStatus<{ notificationId: string; deduplicated: boolean }>(
      t.call('POST', '/v1/notifications', { recipient: { address: { channel: 'email', to: 'client@example.in', name: 'Priya' } }, templateKey: 'verification.requested', vars: { ...VERIFY, 'milestone.title': 'Handover' }, dedupeKey: 'manual:1' }),
      202,
    );
    expect(again).toEqual({ notificationId: queued.notificationId, deduplicated: true, status: 'sent' });

    const badVars = await problem(await t.call('POST', '/v1/notifications', { recipient: { address: { channel: 'email', to: 'c@example.in' } }, templateKey: 'invoice.sent', vars: { amount: 'a lot' } }), 422);
    expect(badVars.errors?.[0]?.path).toBe('body.vars.amount');
    const nobody = await problem(await t.call('POST', '/v1/notifications', { recipient: { personId: 'per_nobody' }, templateKey: 'invoice.sent' }), 422);
    expect(nobody.errors?.[0]).toMatchObject({ path: 'body.recipient.personId', code: 'unknown_person' });
    await problem(await t.call('POST', '/v1/notifications', { recipient: { personId: 'x' }, templateKey: 'not.a.key' }), 400);
    const missing = await problem(await t.call('POST', '/v1/notifications', { recipient: { address: { channel: 'email', to: 'c@example.in' } }, templateKey: 'verification.requested', vars: { 'milestone.title': 'Handover' } }), 422);
    expect(missing.errors?.[0]).toMatchObject({ path: 'body.vars', code: 'missing-values' });
    expect(missing.errors?.[0]?.message).toContain('{{owner.name}}');
  });
});

describe('notification settings', () => {
  it('refuses a bad quiet-hours clock with a 422 problem', async () => {
    const t = await hub.tenant('settings');
    const bad = await problem(await t.call('PUT', '/v1/notification-settings', { delivery: { quietHours: { start: '25:00', end: '08:00' } } }), 422);
    expect(bad.errors?.[0]?.path).toBe('body.delivery.quietHours.start');
    const defaults = await expectStatus<{ delivery: { quietHours: { start: string } } }>(t.call('GET', '/v1/notification-settings'), 200);
    expect(defaults.delivery.quietHours.start).toBe('21:00');
  });
});
