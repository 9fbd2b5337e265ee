import type { DomainContext } from '../domain/index.ts';
import { getMilestone, reportMilestoneDelay, resolveMilestoneWorkflow, transitionMilestone, updateMilestone } from '../milestones/index.ts';
import type { MilestoneDoc } from '../milestones/index.ts';
import type { Channel } from '../notifications/index.ts';
import { applyReply } from './apply-reply.ts';
import type { ReplyPlan } from './apply-reply.ts';
import type { MatchedBy } from './match-reply.ts';
import { parseProbeReply } from './parse-probe-reply.ts';
import { probeSchedulesCollection, probesCollection } from './probe-doc.ts';
import type { ProbeDoc, ProbeOutcome, ProbeReplyEntry } from './probe-doc.ts';
import { stripEmailQuotes } from './strip-email-quotes.ts';

/** A reply as it reaches the probe it answers. */
export interface ProbeReplyInput {
  providerMessageId: string;
  channel: Channel | 'jira';
  from: string;
  text: string;
  receivedAt: Date;
  matchedBy: MatchedBy;
}

/** What applying a reply did, and what to answer with. */
export interface AppliedProbeReply {
  probe: ProbeDoc;
  outcome: ProbeOutcome;
  /** The acknowledgement or clarification to send, with its values. */
  messageKey: ReplyPlan['messageKey'];
  messageValues: ReplyPlan['messageValues'];
  milestone: MilestoneDoc | null;
  /** False when this provider message had been applied before (nothing was changed again). */
  applied: boolean;
}

/**
 * Applies an owner's reply to the milestone of its probe through the milestone services, as the
 * person who replied (`actor.kind: 'reply'`): percent complete with `updateMilestone`, status
 * changes with `transitionMilestone` (event by event, stopping at the first refusal, which is
 * kept on the outcome and flags it for review), and a delay reason (category, the owner's words
 * and a proposed date) with `reportMilestoneDelay`, which emits `milestone.delay_reported` and
 * audits it. A reply that cannot be read asks for clarification (twice at most, then it goes to
 * a person). The reply, its reading and its outcome are kept on the probe; the milestone counts
 * as answered either way. Applying the same provider message again changes nothing.
 */
export async function applyProbeReply(ctx: DomainContext, args: { probe: ProbeDoc; reply: ProbeReplyInput; maxClarifications?: number }): Promise<AppliedProbeReply> {
  const { probe, reply } = args;
  const probes = ctx.db.collection(probesCollection);
  const earlier = probe.replies?.find((r) => r.providerMessageId === reply.providerMessageId);
  if (earlier) {
    return { probe, outcome: earlier.outcome, messageKey: earlier.outcome.messageKey as ReplyPlan['messageKey'], messageValues: {}, milestone: null, applied: false };
  }
  const text = reply.channel === 'email' ? stripEmailQuotes(reply.text) : reply.text.trim();
  const milestone = await getMilestone(ctx.db, probe.milestoneId);
  let outcome: ProbeOutcome;
  let plan: ReplyPlan;
  let after: MilestoneDoc | null = milestone;
  if (!milestone) {
    plan = { intent: { events: [] }, messageKey: 'probe.ack.received', messageValues: {}, needsReview: true, note: 'milestone_closed' };
    outcome = { kind: 'unclear', events: [], messageKey: plan.messageKey, needsReview: true, note: 'milestone_gone' };
  } else {
    const resolved = await resolveMilestoneWorkflow(ctx.db, milestone);
    const parsed = parseProbeReply(text, {
      locale: probe.locale,
      now: reply.receivedAt,
      ...(ctx.timeZone ? { timeZone: ctx.timeZone } : {}),
      ...(milestone.dueDate ? { dueDate: milestone.dueDate } : {}),
    });
    plan = applyReply({
      reply: parsed,
      milestone: { status: milestone.status, category: milestone.statusCategory, percentComplete: milestone.percentComplete, ...(milestone.dueDate ? { dueDate: milestone.dueDate } : {}) },
      ...(resolved.ok ? { workflow: resolved.value.workflow } : {}),
      clarificationsSent: probe.clarificationsSent,
      ...(args.maxClarifications !== undefined ? { maxClarifications: args.maxClarifications } : {}),
    });
    const written = await carryOut(ctx, milestone, probe, plan);
    after = written.milestone;
    outcome = {
      kind: parsed.kind,
      ...(plan.intent.percentComplete !== undefined ? { percentComplete: plan.intent.percentComplete } : {}),
      events: written.events,
      ...(plan.intent.delay ? { delay: plan.intent.delay } : {}),
      messageKey: plan.messageKey,
      needsReview: plan.needsReview || written.error !== undefined,
      ...(plan.note ? { note: plan.note } : written.error ? { note: 'refused' } : {}),
      ...(written.error ? { error: written.error } : {}),
    };
  }

  const clarifying = plan.messageKey === 'probe.clarification';
  const entry: ProbeReplyEntry = { providerMessageId: reply.providerMessageId, channel: reply.channel, from: reply.from, text, receivedAt: reply.receivedAt, matchedBy: reply.matchedBy, outcome };
  const stored = await probes.updateOne(
    { _id: probe._id },
    {
      $set: { status: clarifying ? 'clarification_sent' : 'answered', replyText: text, outcome, ...(clarifying ? {} : { answeredAt: reply.receivedAt }) },
      $push: { replies: entry },
      ...(clarifying ? { $inc: { clarificationsSent: 1 } } : {}),
    },
  );
  await ctx.db
    .collection(probeSchedulesCollection)
    .updateOne({ milestoneId: probe.milestoneId }, { $max: { lastResponseAt: reply.receivedAt }, $unset: { awaitingResponseSince: true } }, { upsert: true });
  return { probe: stored ?? probe, outcome, messageKey: plan.messageKey, messageValues: plan.messageValues, milestone: after, applied: true };
}

async function carryOut(
  ctx: DomainContext,
  milestone: MilestoneDoc,
  probe: ProbeDoc,
  plan: ReplyPlan,
): Promise<{ milestone: MilestoneDoc; events: string[]; error?: { code: string; message: string } }> {
  let current = milestone;
  const events: string[] = [];
  const { intent } = plan;
  if (intent.percentComplete !== undefined && intent.percentComplete !== current.percentComplete) {
    const updated = await updateMilestone(ctx, current._id, { percentComplete: intent.percentComplete });
    if (!updated.ok) return { milestone: current, events, error: { code: updated.error.code, message: updated.error.message } };
    current = updated.value;
  }
  for (const event of intent.events) {
    const moved = await transitionMilestone(ctx, current._id, { event, reason: `reply to status request ${probe.ref}` });
    if (!moved.ok) return { milestone: current, events, error: { code: moved.error.code === 'refused' ? moved.error.reason : moved.error.code, message: moved.error.message } };
    current = moved.value;
    events.push(event);
  }
  if (intent.delay) {
    const reported = await reportMilestoneDelay(ctx, current._id, { ...intent.delay, probeId: probe._id, reportedBy: probe.personId });
    if (!reported.ok) return { milestone: current, events, error: { code: reported.error.code, message: reported.error.message } };
    current = reported.value;
  }
  return { milestone: current, events };
}
