import type { DomainContext } from '../../core/domain/index.ts';
import type { Channel } from '../../core/notifications/index.ts';
import { applyProbeReply, claimInbound, findReplyProbe, OPEN_PROBE_STATUSES, probesCollection, replyOptionsText, settleInbound } from '../../core/probes/index.ts';
import type { InboundReply, ProbeDoc, ReplyProbeMatch } from '../../core/probes/index.ts';
import { getTenant } from '../../core/tenancy/index.ts';
import { requestNotification } from '../notify/index.ts';
import type { ProbeDeps } from './probe-deps.ts';

/** A reply from any channel, as probe handling reads it. */
export interface IncomingProbeReply {
  tenantId: string;
  channel: Channel | 'jira';
  /** Address (email, E.164) or, for Jira, the commenter's account id. */
  from: string;
  personId?: string;
  text: string;
  receivedAt: Date;
  /** The processed-key with `channel`: a redelivery changes nothing. */
  providerMessageId: string;
  inReplyTo?: string;
  references?: readonly string[];
  contextId?: string;
  /** The probe the delivery pipeline already tied the message to. */
  probeId?: string;
  /** Jira: the issue commented on and the milestones linked to it. */
  issueKey?: string;
  issueMilestoneIds?: readonly string[];
}

/** What became of a reply. */
export type ProbeReplyOutcome =
  | { status: 'applied'; probeId: string; kind: string; messageKey: string; notificationId?: string }
  | { status: 'duplicate' }
  | { status: 'unmatched' | 'ignored'; reason: string };

/**
 * Takes a reply to a status probe from any channel: claims it by provider message id (a
 * redelivery is a duplicate), finds its probe (a `#P…` ref, the thread, the probe the delivery
 * pipeline matched, a linked Jira issue, else the sender's latest open probe), applies it to the
 * milestone as the person who was asked, and answers with an acknowledgement, or with a polite
 * clarification when it could not be read, on the channel the reply came in on. A message
 * matching no open probe, or sent by someone other than the person asked, is recorded and left
 * to other listeners.
 */
export async function handleProbeReply(deps: ProbeDeps, reply: IncomingProbeReply): Promise<ProbeReplyOutcome> {
  const db = deps.store.forTenant(reply.tenantId);
  const key = `${reply.channel}:${reply.providerMessageId}`;
  const claimed = await claimInbound(db, key, reply.receivedAt);
  if (claimed === 'done') return { status: 'duplicate' };

  const inbound: InboundReply = {
    channel: reply.channel,
    from: reply.from,
    text: reply.text,
    receivedAt: reply.receivedAt,
    ...(reply.inReplyTo ? { inReplyTo: reply.inReplyTo } : {}),
    ...(reply.references ? { references: reply.references } : {}),
    ...(reply.contextId ? { contextId: reply.contextId } : {}),
    ...(reply.issueKey ? { issueKey: reply.issueKey } : {}),
  };
  let match: ReplyProbeMatch | null = await findReplyProbe(db, {
    reply: inbound,
    ...(reply.personId ? { personId: reply.personId } : {}),
    ...(reply.issueMilestoneIds ? { issueMilestoneIds: reply.issueMilestoneIds } : {}),
  });
  if ((!match || match.by === 'recency') && reply.probeId) {
    const hinted = await db.collection(probesCollection).findOne({ _id: reply.probeId, status: { $in: [...OPEN_PROBE_STATUSES] } });
    if (hinted) match = { probe: hinted, by: 'in_reply_to', fromOwner: reply.channel === 'jira' ? null : reply.personId === undefined || reply.personId === hinted.personId };
  }
  if (!match) {
    await settleInbound(db, key, { status: 'unmatched', reason: 'no open probe matches' });
    return { status: 'unmatched', reason: 'no open probe matches this message' };
  }
  if (match.fromOwner === false) {
    await settleInbound(db, key, { status: 'ignored', probeId: match.probe._id, reason: 'not from the person asked' });
    return { status: 'ignored', reason: 'the sender is not the person the probe asked' };
  }

  const tenant = await getTenant(deps.store, reply.tenantId);
  const ctx: DomainContext = {
    db,
    now: deps.now,
    actor: { kind: 'reply', id: match.probe.personId, channel: reply.channel },
    ...(tenant?.timeZone ? { timeZone: tenant.timeZone } : {}),
  };
  const applied = await applyProbeReply(ctx, {
    probe: match.probe,
    reply: { providerMessageId: reply.providerMessageId, channel: reply.channel, from: reply.from, text: reply.text, receivedAt: reply.receivedAt, matchedBy: match.by },
  });
  const notificationId = await answer(deps, reply, applied.probe, applied.messageKey, applied.messageValues);
  await settleInbound(db, key, { status: 'applied', probeId: match.probe._id });
  return { status: 'applied', probeId: match.probe._id, kind: applied.outcome.kind, messageKey: applied.messageKey, ...(notificationId ? { notificationId } : {}) };
}

/** Sends the acknowledgement or clarification, keyed on the reply so it goes once. */
async function answer(
  deps: ProbeDeps,
  reply: IncomingProbeReply,
  probe: ProbeDoc,
  messageKey: Awaited<ReturnType<typeof applyProbeReply>>['messageKey'],
  values: { percentComplete?: number; newDueDate?: string },
): Promise<string | undefined> {
  const clarifying = messageKey === 'probe.clarification';
  const requested = await requestNotification(
    { store: deps.store, ...(deps.queues ? { queues: deps.queues } : {}), now: deps.now },
    {
      tenantId: reply.tenantId,
      dedupeKey: `probe-reply:${probe._id}:${reply.channel}:${reply.providerMessageId}`,
      purpose: clarifying ? 'clarification' : 'ack',
      recipient: { personId: probe.personId },
      templateKey: messageKey,
      locale: probe.locale,
      vars: {
        'milestone.title': probe.milestoneTitle,
        replyOptions: replyOptionsText(probe.locale),
        probeRef: probe.ref,
        ...(values.percentComplete !== undefined ? { percentComplete: values.percentComplete } : {}),
        ...(values.newDueDate !== undefined ? { newDueDate: values.newDueDate } : {}),
      },
      // Answer where the person wrote; a Jira comment is answered on the person's own channels.
      ...(reply.channel !== 'jira' ? { channels: [reply.channel] } : {}),
      ...(reply.channel === 'email' ? { inReplyTo: reply.providerMessageId } : {}),
      milestoneId: probe.milestoneId,
      projectId: probe.projectId,
      probeId: probe._id,
      requestedBy: { kind: 'probe', id: probe._id },
    },
  );
  if (!requested.ok) return undefined;
  if (clarifying) {
    await deps.store
      .forTenant(reply.tenantId)
      .collection(probesCollection)
      .updateOne({ _id: probe._id }, { $addToSet: { clarificationNotificationIds: requested.value.notificationId } });
  }
  return requested.value.notificationId;
}
