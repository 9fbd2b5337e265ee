import { describe, expect, it } from 'vitest';
import { renderMessage, selectTemplate } from '../../core/notifications/index.ts';
import { applyReply, parseProbeReply, replyOptionsText } from '../../core/probes/index.ts';
import type { ProbeReply, ReplyMilestone } from '../../core/probes/index.ts';
import { DEFAULT_WORKFLOW, planTransition } from '../../core/workflow/index.ts';

const inProgress: ReplyMilestone = { status: 'in_progress', category: 'active', percentComplete: 40, dueDate: '2026-12-10' };

/** Runs the planned events through the real workflow planner, one after another. */
async function walk(status: string, percentComplete: number, events: string[]): Promise<string> {
  let current = status;
  for (const event of events) {
    const plan = await planTransition({ workflow: DEFAULT_WORKFLOW, milestone: { status: current, attributes: { percentComplete } }, request: { event } });
    if (!plan.ok) throw new Error(`${event} from ${current}: ${plan.error.code}`);
    current = plan.value.to;
  }
  return current;
}

describe('applyReply', () => {
  it.each([
    ['in_progress', 'active', ['submit']],
    ['planned', 'not_started', ['start', 'submit']],
    ['on_hold', 'active', ['resume', 'submit']],
  ] as const)('"done" from %s sets 100%% and submits for verification (%j)', async (status, category, events) => {
    const plan = applyReply({ reply: { kind: 'done' }, milestone: { status, category } });
    expect(plan).toMatchObject({ intent: { percentComplete: 100, events }, messageKey: 'probe.ack.done', needsReview: false });
    expect(await walk(status, 100, plan.intent.events)).toBe('submitted');
  });

  it('treats 100% as done', () => {
    expect(applyReply({ reply: { kind: 'percent', value: 100 }, milestone: inProgress }).intent).toEqual({ percentComplete: 100, events: ['submit'] });
  });

  it('acknowledges "done" on work already submitted without moving it, and flags a disputed one', () => {
    expect(applyReply({ reply: { kind: 'done' }, milestone: { status: 'submitted', category: 'active' } })).toMatchObject({ intent: { events: [] }, needsReview: false });
    expect(applyReply({ reply: { kind: 'done' }, milestone: { status: 'disputed', category: 'active' } })).toMatchObject({
      intent: { events: [] },
      messageKey: 'probe.ack.done',
      needsReview: true,
      note: 'no_transition',
    });
  });

  it('records a percent, starting a milestone that had not started', async () => {
    expect(applyReply({ reply: { kind: 'percent', value: 60 }, milestone: inProgress })).toMatchObject({
      intent: { percentComplete: 60, events: [] },
      messageKey: 'probe.ack.percent',
      messageValues: { percentComplete: 60 },
    });
    const planned = applyReply({ reply: { kind: 'percent', value: 10 }, milestone: { status: 'planned', category: 'not_started' } });
    expect(planned.intent.events).toEqual(['start']);
    expect(await walk('planned', 10, planned.intent.events)).toBe('in_progress');
  });

  it('records a delay with its category, words and proposed date', () => {
    const reply = parseProbeReply('delayed by 3 days, waiting for cement', { dueDate: '2026-12-10' });
    expect(applyReply({ reply, milestone: inProgress })).toEqual({
      intent: { events: [], delay: { category: 'materials', text: 'by 3 days, waiting for cement', newDueDate: '2026-12-13' } },
      messageKey: 'probe.ack.delayed',
      messageValues: { newDueDate: '2026-12-13' },
      needsReview: false,
    });
  });

  it('puts a blocked milestone on hold and records the blocker', async () => {
    const plan = applyReply({ reply: { kind: 'blocked', reason: { category: 'permits', text: 'no NOC yet' } }, milestone: inProgress });
    expect(plan).toMatchObject({ intent: { events: ['hold'], delay: { category: 'permits', text: 'no NOC yet', blocked: true } }, messageKey: 'probe.ack.blocked' });
    expect(await walk('in_progress', 40, plan.intent.events)).toBe('on_hold');
    expect(applyReply({ reply: { kind: 'blocked', reason: { category: 'other', text: '' } }, milestone: { status: 'on_hold', category: 'active' } }).intent.events).toEqual([]);
  });

  it('reads an on-track estimate past the due date as a delay', () => {
    const reply: ProbeReply = { kind: 'on_track', expectedDate: '2026-12-14' };
    expect(applyReply({ reply, milestone: inProgress })).toMatchObject({ intent: { delay: { category: 'other', newDueDate: '2026-12-14' } }, messageKey: 'probe.ack.delayed' });
    expect(applyReply({ reply: { kind: 'on_track', percent: 55 }, milestone: inProgress })).toEqual({
      intent: { events: [], percentComplete: 55 },
      messageKey: 'probe.ack.on_track',
      messageValues: {},
      needsReview: false,
    });
  });

  it('answers an unclear reply with a clarification, and hands over after two', () => {
    const reply: ProbeReply = { kind: 'unclear', text: 'asdf' };
    expect(applyReply({ reply, milestone: inProgress })).toEqual({ intent: { events: [] }, messageKey: 'probe.clarification', messageValues: {}, needsReview: false });
    expect(applyReply({ reply, milestone: inProgress, clarificationsSent: 1 }).messageKey).toBe('probe.clarification');
    expect(applyReply({ reply, milestone: inProgress, clarificationsSent: 2 })).toMatchObject({ messageKey: 'probe.ack.received', needsReview: true, note: 'unclear_after_clarifications' });
  });

  it('does not move a closed milestone, but still answers', () => {
    const paid: ReplyMilestone = { status: 'paid', category: 'done' };
    expect(applyReply({ reply: { kind: 'done' }, milestone: paid })).toMatchObject({ intent: { events: [] }, messageKey: 'probe.ack.done' });
    expect(applyReply({ reply: { kind: 'percent', value: 50 }, milestone: paid })).toMatchObject({ intent: { events: [] }, needsReview: true, note: 'milestone_closed' });
  });

  it('answers a garbled Hindi reply with a polite Hindi clarification', () => {
    const reply = parseProbeReply('क्या?? ...');
    const plan = applyReply({ reply, milestone: inProgress });
    const template = selectTemplate({ key: plan.messageKey, channel: 'whatsapp', locale: 'hi' })!.template;
    const message = renderMessage(template, { 'milestone.title': 'स्लैब ढलाई', replyOptions: replyOptionsText('hi') });
    expect(message.ok && message.value.text).toMatch(/^माफ़ कीजिए, \*स्लैब ढलाई\* के बारे में आपका जवाब समझ नहीं आया।/);
  });
});
