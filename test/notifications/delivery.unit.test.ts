import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDeliveryUpdate, mapProviderStatus, nextAttempt, retryPolicySchema } from '../../core/notifications/index.ts';
import type { Channel, DeliveryAttempt, DeliveryState, DeliveryStatus, DeliveryUpdate } from '../../core/notifications/index.ts';

const t = (minute: number): Date => new Date(Date.UTC(2026, 2, 3, 6, minute));

function apply(updates: DeliveryUpdate[], start: DeliveryState = { status: 'queued', queuedAt: t(0) }): DeliveryState {
  return updates.reduce((state, update) => applyDeliveryUpdate(state, update).state, start);
}

describe('delivery status', () => {
  it('moves queued → sent → delivered → read', () => {
    const state = apply([
      { status: 'sent', at: t(1) },
      { status: 'delivered', at: t(2) },
      { status: 'read', at: t(5) },
    ]);
    expect(state).toEqual({ status: 'read', queuedAt: t(0), sentAt: t(1), deliveredAt: t(2), readAt: t(5) });
  });

  it('does not regress when a late delivered arrives after read', () => {
    const read = apply([{ status: 'read', at: t(5) }]);
    expect(read).toMatchObject({ status: 'read', deliveredAt: t(5), sentAt: t(5) });
    const late = applyDeliveryUpdate(read, { status: 'delivered', at: t(2) });
    expect(late.state).toMatchObject({ status: 'read', deliveredAt: t(2), readAt: t(5) });
    const again = applyDeliveryUpdate(late.state, { status: 'delivered', at: t(3) });
    expect(again.changed).toBe(false);
  });

  it('ignores a failure after delivery, but lets proof of delivery override a failure', () => {
    const delivered = apply([{ status: 'delivered', at: t(2) }]);
    expect(applyDeliveryUpdate(delivered, { status: 'failed', at: t(3), error: { code: '131026', permanent: true } })).toMatchObject({ changed: false, state: { status: 'delivered' } });
    const failed = apply([{ status: 'failed', at: t(2), error: { code: '30003', permanent: false } }]);
    expect(failed).toMatchObject({ status: 'failed', failedAt: t(2), error: { code: '30003' } });
    const recovered = applyDeliveryUpdate(failed, { status: 'delivered', at: t(4) }).state;
    expect(recovered.status).toBe('delivered');
    expect(recovered.error).toBeUndefined();
  });

  it('ends in the furthest status whatever order the callbacks arrive in', () => {
    const statuses: DeliveryStatus[] = ['queued', 'sent', 'delivered', 'read'];
    fc.assert(
      fc.property(fc.shuffledSubarray(statuses, { minLength: 1 }), (subset) => {
        const updates = subset.map((status) => ({ status, at: t(statuses.indexOf(status)) }));
        const final = apply(updates);
        const furthest = Math.max(...subset.map((s) => statuses.indexOf(s)));
        expect(final.status).toBe(statuses[Math.max(furthest, 0)]);
        // Status only ever moves forward along the way.
        let state: DeliveryState = { status: 'queued', queuedAt: t(0) };
        for (const update of updates) {
          const next = applyDeliveryUpdate(state, update).state;
          expect(statuses.indexOf(next.status)).toBeGreaterThanOrEqual(statuses.indexOf(state.status));
          state = next;
        }
      }),
    );
  });
});

describe('provider statuses', () => {
  it.each([
    ['whatsapp_cloud', 'sent', undefined, { status: 'sent' }],
    ['whatsapp_cloud', 'delivered', undefined, { status: 'delivered' }],
    ['whatsapp_cloud', 'read', undefined, { status: 'read' }],
    ['whatsapp_cloud', 'failed', 131026, { status: 'failed', error: { code: '131026', permanent: true } }],
    ['whatsapp_cloud', 'failed', 131047, { status: 'failed', error: { code: '131047', permanent: true } }],
    ['whatsapp_cloud', 'failed', 132001, { status: 'failed', error: { code: '132001', permanent: true } }],
    ['whatsapp_cloud', 'failed', 131056, { status: 'failed', error: { code: '131056', permanent: false } }],
    ['whatsapp_cloud', 'deleted', undefined, null],
    ['twilio', 'queued', undefined, { status: 'queued' }],
    ['twilio', 'sending', undefined, { status: 'queued' }],
    ['twilio', 'sent', undefined, { status: 'sent' }],
    ['twilio', 'delivered', undefined, { status: 'delivered' }],
    ['twilio', 'undelivered', 30003, { status: 'failed', error: { code: '30003', permanent: false } }],
    ['twilio', 'failed', 30005, { status: 'failed', error: { code: '30005', permanent: true } }],
    ['twilio', 'failed', 21610, { status: 'failed', error: { code: '21610', permanent: true, optOut: true } }],
    ['twilio', 'receiving', undefined, null],
    ['msg91', 1, undefined, { status: 'delivered' }],
    ['msg91', '2', undefined, { status: 'failed', error: { code: '2', permanent: false } }],
    ['msg91', 8, undefined, { status: 'sent' }],
    ['msg91', 9, undefined, { status: 'failed', error: { code: '9', permanent: true } }],
    ['msg91', 16, undefined, { status: 'failed', error: { code: '16', permanent: true } }],
    ['msg91', 'DELIVRD', undefined, { status: 'delivered' }],
    ['msg91', 'UNDELIV', undefined, { status: 'failed', error: { code: 'UNDELIV', permanent: false } }],
    ['msg91', 42, undefined, null],
    ['smtp', 'accepted', undefined, { status: 'sent' }],
    ['smtp', 'rejected', 550, { status: 'failed', error: { code: '550', permanent: true } }],
    ['smtp', 'rejected', 451, { status: 'failed', error: { code: '451', permanent: false } }],
    ['smtp', '250', undefined, { status: 'sent' }],
    ['smtp', 'bounced', undefined, { status: 'failed', error: { code: 'bounced', permanent: true } }],
  ] as const)('%s %j (%j)', (provider, status, code, expected) => {
    const mapped = mapProviderStatus(provider, status, code);
    if (expected === null) expect(mapped).toBeNull();
    else expect(mapped).toMatchObject(expected);
  });
});

describe('retries and fallback', () => {
  const channels: Channel[] = ['whatsapp', 'sms', 'email'];
  const fail = (channel: Channel, minute: number, permanent = false): DeliveryAttempt => ({ channel, at: t(minute), error: { code: 'x', permanent } });

  it('sends on the first channel when nothing was tried', () => {
    expect(nextAttempt({ attempts: [], channels })).toEqual({ action: 'send', channel: 'whatsapp' });
  });

  it('retries the same channel with exponential backoff (1 min, then 4 min)', () => {
    expect(nextAttempt({ attempts: [fail('whatsapp', 0)], channels })).toEqual({ action: 'retry', channel: 'whatsapp', at: t(1), attempt: 2 });
    expect(nextAttempt({ attempts: [fail('whatsapp', 0), fail('whatsapp', 1)], channels })).toEqual({ action: 'retry', channel: 'whatsapp', at: t(5), attempt: 3 });
  });

  it('falls back to the next channel after the last retry', () => {
    const attempts = [fail('whatsapp', 0), fail('whatsapp', 1), fail('whatsapp', 5)];
    expect(nextAttempt({ attempts, channels })).toEqual({ action: 'fallback', channel: 'sms', from: 'whatsapp', at: t(5) });
  });

  it('falls back at once on a permanent failure', () => {
    expect(nextAttempt({ attempts: [fail('whatsapp', 0, true)], channels })).toMatchObject({ action: 'fallback', channel: 'sms' });
    expect(nextAttempt({ attempts: [fail('whatsapp', 0)], lastError: { code: '131026', permanent: true }, channels })).toMatchObject({ action: 'fallback', channel: 'sms' });
  });

  it("waits as long as the provider asks on a rate limit", () => {
    const attempts: DeliveryAttempt[] = [{ channel: 'whatsapp', at: t(0), error: { code: '429', permanent: false, retryAfterMs: 10 * 60_000 } }];
    expect(nextAttempt({ attempts, channels })).toMatchObject({ action: 'retry', at: t(10) });
  });

  it('never schedules a retry in the past', () => {
    expect(nextAttempt({ attempts: [fail('whatsapp', 0)], channels, now: t(30) })).toMatchObject({ action: 'retry', at: t(30) });
  });

  it('gives up when every channel is spent', () => {
    const policy = retryPolicySchema.parse({ maxAttemptsPerChannel: 1 });
    expect(nextAttempt({ attempts: [fail('whatsapp', 0), fail('sms', 1), fail('email', 2)], channels, policy })).toEqual({ action: 'give_up', reason: 'exhausted' });
    expect(nextAttempt({ attempts: [], channels: [] })).toEqual({ action: 'give_up', reason: 'no_channels' });
  });

  it('walks a failing WhatsApp channel through retries to SMS, then email', () => {
    const attempts: DeliveryAttempt[] = [];
    const sentOn: string[] = [];
    let decision = nextAttempt({ attempts, channels });
    let clock = 0;
    while (decision.action !== 'give_up') {
      const channel = decision.channel;
      sentOn.push(channel);
      if (channel === 'email') break; // email works
      const at = 'at' in decision ? decision.at : t(clock);
      clock = (at.getTime() - t(0).getTime()) / 60_000;
      attempts.push({ channel, at, error: { code: channel === 'sms' ? '30005' : '131000', permanent: channel === 'sms' } });
      decision = nextAttempt({ attempts, channels });
    }
    expect(sentOn).toEqual(['whatsapp', 'whatsapp', 'whatsapp', 'sms', 'email']);
  });
});
