import { describe, expect, it } from 'vitest';
import { deliveryPolicySchema, planDelivery, quietHoursEnd, normalizeAddress, sameContact } from '../../core/notifications/index.ts';
import type { ContactPerson, DeliveryPlan } from '../../core/notifications/index.ts';

const ALL = ['email', 'whatsapp', 'sms'] as const;
const person: ContactPerson = {
  id: 'p1',
  contacts: { email: 'ramesh@example.in', whatsapp: '+919876543210', sms: '+919876543210' },
  preferredChannels: ['whatsapp', 'sms'],
};

function plan(args: Partial<Parameters<typeof planDelivery>[0]> & { now: Date }): DeliveryPlan {
  const result = planDelivery({ person, activeChannels: ALL, tenantZone: 'Asia/Kolkata', ...args });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('quiet hours (21:00–08:00 Asia/Kolkata, clock in UTC)', () => {
  const nightly = { start: '21:00', end: '08:00' };

  it.each([
    ['22:30 IST defers to 08:00 next morning', '2026-03-02T17:00:00.000Z', '2026-03-03T02:30:00.000Z'],
    ['01:00 IST, past midnight, defers to 08:00 the same morning', '2026-03-02T19:30:00.000Z', '2026-03-03T02:30:00.000Z'],
    ['21:00 IST exactly is quiet', '2026-03-02T15:30:00.000Z', '2026-03-03T02:30:00.000Z'],
    ['07:59 IST is still quiet', '2026-03-03T02:29:00.000Z', '2026-03-03T02:30:00.000Z'],
    ['23:59 on 31 March rolls into April', '2026-03-31T18:29:00.000Z', '2026-04-01T02:30:00.000Z'],
    ['New Year’s Eve rolls into the next year', '2026-12-31T17:00:00.000Z', '2027-01-01T02:30:00.000Z'],
  ])('%s', (_name, now, expected) => {
    expect(quietHoursEnd(new Date(now), nightly, 'Asia/Kolkata')?.toISOString()).toBe(expected);
    const p = plan({ now: new Date(now) });
    expect(p.sendAt.toISOString()).toBe(expected);
    expect(p.deferred).toBe(true);
  });

  it.each([
    ['08:00 IST exactly', '2026-03-03T02:30:00.000Z'],
    ['noon IST', '2026-03-03T06:30:00.000Z'],
    ['20:59 IST', '2026-03-03T15:29:00.000Z'],
  ])('%s is not quiet', (_name, now) => {
    expect(quietHoursEnd(new Date(now), nightly, 'Asia/Kolkata')).toBeNull();
    const p = plan({ now: new Date(now) });
    expect(p.sendAt.toISOString()).toBe(now);
    expect(p.deferred).toBe(false);
  });

  it('22:30 UTC is 04:00 IST: quiet in India even though it is evening on the server', () => {
    expect(plan({ now: new Date('2026-03-02T22:30:00.000Z') }).sendAt.toISOString()).toBe('2026-03-03T02:30:00.000Z');
  });

  it('a quiet Sunday pushes Saturday night to Monday morning', () => {
    const quiet = { start: '21:00', end: '08:00', days: ['sun' as const] };
    // Saturday 7 March 2026, 22:00 IST.
    expect(quietHoursEnd(new Date('2026-03-07T16:30:00.000Z'), quiet, 'Asia/Kolkata')?.toISOString()).toBe('2026-03-09T02:30:00.000Z');
    // Sunday noon IST.
    expect(quietHoursEnd(new Date('2026-03-08T06:30:00.000Z'), quiet, 'Asia/Kolkata')?.toISOString()).toBe('2026-03-09T02:30:00.000Z');
  });

  it('a window that does not wrap midnight (lunch 13:00–14:00)', () => {
    const lunch = { start: '13:00', end: '14:00' };
    expect(quietHoursEnd(new Date('2026-03-03T07:45:00.000Z'), lunch, 'Asia/Kolkata')?.toISOString()).toBe('2026-03-03T08:30:00.000Z');
    expect(quietHoursEnd(new Date('2026-03-03T08:30:00.000Z'), lunch, 'Asia/Kolkata')).toBeNull();
  });

  it('follows the tenant zone, not IST, for other tenants', () => {
    // 22:00 in Dubai (UTC+4) → 08:00 Dubai = 04:00 UTC.
    expect(plan({ now: new Date('2026-03-02T18:00:00.000Z'), tenantZone: 'Asia/Dubai' }).sendAt.toISOString()).toBe('2026-03-03T04:00:00.000Z');
  });

  it("uses the person's own quiet hours, or none when they set none", () => {
    const night = new Date('2026-03-02T17:00:00.000Z'); // 22:30 IST
    expect(plan({ now: night, person: { ...person, quietHours: null } }).deferred).toBe(false);
    expect(plan({ now: night, person: { ...person, quietHours: { start: '23:00', end: '07:00' } } }).deferred).toBe(false);
    expect(plan({ now: night, person: { ...person, quietHours: { start: '22:00', end: '06:30' } } }).sendAt.toISOString()).toBe('2026-03-03T01:00:00.000Z');
  });

  it('lets critical messages through only when the policy says so', () => {
    const night = new Date('2026-03-02T17:00:00.000Z');
    expect(plan({ now: night, urgency: 'critical' }).deferred).toBe(true);
    const policy = deliveryPolicySchema.parse({ criticalBypassesQuietHours: true });
    expect(plan({ now: night, urgency: 'critical', policy })).toMatchObject({ deferred: false, bypassedQuietHours: true, sendAt: night });
    expect(plan({ now: night, urgency: 'high', policy }).deferred).toBe(true);
  });

  it('refuses quiet hours that never end', () => {
    expect(deliveryPolicySchema.safeParse({ quietHours: { start: '21:00', end: '08:00', days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } }).success).toBe(false);
    expect(deliveryPolicySchema.safeParse({ quietHours: { start: '25:00', end: '08:00' } }).success).toBe(false);
  });
});

describe('channel selection', () => {
  const noon = new Date('2026-03-03T06:30:00.000Z');

  it("orders the person's preferred channels first, then the rest they can be reached on", () => {
    expect(plan({ now: noon }).channels).toEqual(['whatsapp', 'sms', 'email']);
    expect(plan({ now: noon }).targets[0]).toEqual({ channel: 'whatsapp', address: '+919876543210' });
    expect(plan({ now: noon, person: { ...person, preferredChannels: ['email'] } }).channels).toEqual(['email', 'whatsapp', 'sms']);
  });

  it('uses the tenant order for people without preferences, and only preferred ones when told to', () => {
    expect(plan({ now: noon, person: { ...person, preferredChannels: [] } }).channels).toEqual(['whatsapp', 'email', 'sms']);
    const policy = deliveryPolicySchema.parse({ fallbackBeyondPreferred: false });
    expect(plan({ now: noon, policy }).channels).toEqual(['whatsapp', 'sms']);
  });

  it('skips channels the tenant has no active connection for, and ones without an address', () => {
    expect(plan({ now: noon, activeChannels: ['email', 'sms'] }).channels).toEqual(['sms', 'email']);
    expect(plan({ now: noon, person: { ...person, contacts: { email: 'r@example.in' } } }).channels).toEqual(['email']);
  });

  it('honours an opt-out from one channel', () => {
    expect(plan({ now: noon, person: { ...person, optOut: { channels: ['whatsapp'] } } }).channels).toEqual(['sms', 'email']);
  });

  it('honours a global opt-out, even for critical messages', () => {
    const result = planDelivery({ person: { ...person, optOut: { all: true } }, now: noon, activeChannels: ALL, urgency: 'critical' });
    expect(result).toMatchObject({ ok: false, error: { code: 'opted_out' } });
  });

  it('says opted out when opt-outs leave no channel, and no channel when nothing reaches the person', () => {
    const allOut = planDelivery({ person: { ...person, optOut: { channels: ['whatsapp', 'sms', 'email'] } }, now: noon, activeChannels: ALL });
    expect(allOut).toMatchObject({ ok: false, error: { code: 'opted_out' } });
    const nothingActive = planDelivery({ person, now: noon, activeChannels: [] });
    expect(nothingActive).toMatchObject({ ok: false, error: { code: 'no_channel' } });
  });
});

describe('contact addresses', () => {
  it.each([
    ['sms', '9876543210', '+919876543210'],
    ['sms', '098765 43210', '+919876543210'],
    ['sms', '+91 98765-43210', '+919876543210'],
    ['sms', '919876543210', '+919876543210'],
    ['whatsapp', 'whatsapp:+919876543210', '+919876543210'],
    ['sms', '0091 98765 43210', '+919876543210'],
    ['email', 'Ramesh <Ramesh@Example.IN>', 'ramesh@example.in'],
    ['email', 'not an address', null],
    ['sms', '12', null],
  ] as const)('%s %j → %j', (channel, raw, expected) => {
    expect(normalizeAddress(channel, raw)).toBe(expected);
  });

  it('treats SMS and WhatsApp on the same number as one contact', () => {
    expect(sameContact({ channel: 'sms', address: '09876543210' }, { channel: 'whatsapp', address: 'whatsapp:+919876543210' })).toBe(true);
    expect(sameContact({ channel: 'sms', address: '9876543210' }, { channel: 'email', address: '9876543210@example.in' })).toBe(false);
  });
});
