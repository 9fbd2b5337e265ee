import { describe, expect, it } from 'vitest';
import { createProbeRef, findProbeRefs, matchReply } from '../../core/probes/index.ts';
import type { InboundReply, OpenProbe } from '../../core/probes/index.ts';

const HOUR = 3_600_000;
const NOW = new Date('2026-12-01T06:00:00Z');
const ago = (hours: number): Date => new Date(NOW.getTime() - hours * HOUR);

const probes: OpenProbe[] = [
  { id: 'pr-1', ref: '#P7K2M', milestoneId: 'm-1', channel: 'whatsapp', to: '+919876543210', sentAt: ago(30), messageIds: ['wamid.HBgLOTE5ODc2NTQzMjEwFQIAERgSMA=='] },
  { id: 'pr-2', ref: '#PQ4RT', milestoneId: 'm-2', channel: 'whatsapp', to: '+919876543210', sentAt: ago(5), messageIds: ['wamid.SECOND'] },
  { id: 'pr-3', ref: '#PZZ9A', milestoneId: 'm-3', channel: 'email', to: 'Ramesh@Example.in', sentAt: ago(2), messageIds: ['<probe-3@hub.example.in>'], issueKey: 'SITE-42' },
  { id: 'pr-4', ref: '#PB7CD', milestoneId: 'm-4', channel: 'sms', to: '09811122233', sentAt: ago(24 * 9) },
];

const reply = (r: Partial<InboundReply>): InboundReply => ({ channel: 'whatsapp', from: '+919876543210', text: 'done', receivedAt: NOW, ...r });

describe('matchReply', () => {
  it('matches by the probe ref in the text first, in any case', () => {
    expect(matchReply({ reply: reply({ text: '#p7k2m done' }), openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-1' }, by: 'token', sameSender: true } });
    expect(matchReply({ reply: reply({ channel: 'sms', text: 'Ref #PZZ9A: 2 rain', from: '9876543210' }), openProbes: probes })).toMatchObject({
      ok: true,
      value: { probe: { id: 'pr-3' }, by: 'token', sameSender: false },
    });
  });

  it('matches an email by In-Reply-To, then by References', () => {
    const email = reply({ channel: 'email', from: 'Ramesh <ramesh@example.in>', text: '3', inReplyTo: '<PROBE-3@hub.example.in>' });
    expect(matchReply({ reply: email, openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-3' }, by: 'in_reply_to', sameSender: true } });
    const viaRefs = { ...email, inReplyTo: '<unrelated@mail.example.com>', references: ['<probe-3@hub.example.in>', '<unrelated@mail.example.com>'] };
    expect(matchReply({ reply: viaRefs, openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-3' }, by: 'in_reply_to' } });
  });

  it('matches a WhatsApp reply by its context message id', () => {
    const swipeReply = reply({ text: '2', contextId: 'wamid.HBgLOTE5ODc2NTQzMjEwFQIAERgSMA==' });
    expect(matchReply({ reply: swipeReply, openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-1' }, by: 'context' } });
  });

  it('matches a Jira comment by the linked issue', () => {
    const comment = reply({ channel: 'jira', from: '5b10ac8d82e05b22cc7d4ef5', issueKey: 'site-42', text: '70%' });
    expect(matchReply({ reply: comment, openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-3' }, by: 'issue', sameSender: null } });
  });

  it('falls back to the latest open probe sent to the sender, SMS and WhatsApp being one phone', () => {
    expect(matchReply({ reply: reply({ text: '1' }), openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-2' }, by: 'recency', alternatives: 1 } });
    expect(matchReply({ reply: reply({ channel: 'sms', from: '09876543210', text: '1' }), openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-2' }, by: 'recency' } });
    expect(matchReply({ reply: reply({ channel: 'email', from: 'RAMESH@example.in', text: '1' }), openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-3' }, by: 'recency' } });
  });

  it('ignores probes outside the window, and ones sent after the reply', () => {
    expect(matchReply({ reply: reply({ channel: 'sms', from: '+919811122233' }), openProbes: probes })).toMatchObject({ ok: false, error: { code: 'no_match' } });
    expect(matchReply({ reply: reply({ channel: 'sms', from: '+919811122233' }), openProbes: probes, windowMs: 10 * 24 * HOUR })).toMatchObject({ ok: true, value: { probe: { id: 'pr-4' } } });
    expect(matchReply({ reply: reply({ receivedAt: ago(10) }), openProbes: probes })).toMatchObject({ ok: true, value: { probe: { id: 'pr-1' } } });
  });

  it('finds nothing for a stranger, an unknown ref or no probes', () => {
    expect(matchReply({ reply: reply({ from: '+919000000000' }), openProbes: probes }).ok).toBe(false);
    expect(matchReply({ reply: reply({ from: '+919000000000', text: '#PXXXX done' }), openProbes: probes }).ok).toBe(false);
    expect(matchReply({ reply: reply({}), openProbes: [] }).ok).toBe(false);
  });
});

describe('probe refs', () => {
  it('creates refs that can be found again', () => {
    let i = 0;
    const ref = createProbeRef((max) => (i++ * 7) % max);
    expect(ref).toMatch(/^#P[2-9A-HJKMNP-Z]{4}$/);
    expect(findProbeRefs(`Ref ${ref.toLowerCase()}.`)).toEqual([ref]);
    expect(createProbeRef()).toMatch(/^#P[2-9A-HJKMNP-Z]{4}$/);
  });

  it('does not take hashtags or words for refs', () => {
    expect(findProbeRefs('#pending #plan #P0OIL #P7K2M')).toEqual(['#P7K2M']);
  });
});
