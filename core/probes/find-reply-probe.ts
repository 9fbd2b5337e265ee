import { normalizeAddress } from '../notifications/index.ts';
import type { Channel } from '../notifications/index.ts';
import type { Filter, TenantStore } from '../store/index.ts';
import { DEFAULT_MATCH_WINDOW_MS, matchReply } from './match-reply.ts';
import type { InboundReply, MatchedBy, OpenProbe } from './match-reply.ts';
import { OPEN_PROBE_STATUSES, probesCollection } from './probe-doc.ts';
import type { ProbeDoc } from './probe-doc.ts';
import { findProbeRefs } from './probe-ref.ts';

/** A reply tied to its probe. */
export interface ReplyProbeMatch {
  probe: ProbeDoc;
  by: MatchedBy;
  /** True when the sender is the person who was asked (by address, or as the person the channel named); null for Jira. */
  fromOwner: boolean | null;
}

const messageId = (id: string): string => id.trim().replace(/^<|>$/g, '');

/**
 * Finds the open probe a reply answers (see `matchReply` for the order): only the tenant's open
 * probes that the reply could name are read: by ref, by provider message id, sent to the
 * sender's address or person, or, for a Jira comment, on a milestone linked to the issue. A
 * probe whose delivery address is not known yet counts as sent to its person's address on the
 * reply's channel when the channel named that person.
 */
export async function findReplyProbe(
  db: TenantStore,
  args: {
    reply: InboundReply;
    /** The person the channel resolved the sender to. */
    personId?: string;
    /** For a Jira comment: the milestones linked to its issue. */
    issueMilestoneIds?: readonly string[];
    windowMs?: number;
  },
): Promise<ReplyProbeMatch | null> {
  const { reply, personId, windowMs = DEFAULT_MATCH_WINDOW_MS } = args;
  const or: Filter[] = [];
  const refs = findProbeRefs(reply.text);
  if (refs.length > 0) or.push({ ref: { $in: refs } });
  const ids = [reply.inReplyTo, ...(reply.references ?? []), reply.contextId].filter((id): id is string => Boolean(id));
  if (ids.length > 0) or.push({ messageIds: { $in: [...new Set(ids.flatMap((id) => [id.trim(), messageId(id), `<${messageId(id)}>`]))] } });
  const sender = reply.channel === 'jira' ? null : normalizeAddress(reply.channel, reply.from);
  if (sender !== null) or.push({ to: sender });
  if (personId !== undefined) or.push({ personId });
  if (reply.channel === 'jira' && args.issueMilestoneIds && args.issueMilestoneIds.length > 0) or.push({ milestoneId: { $in: [...args.issueMilestoneIds] } });
  if (or.length === 0) return null;

  const since = new Date(reply.receivedAt.getTime() - Math.max(windowMs, 30 * 86_400_000));
  const candidates = await db
    .collection(probesCollection)
    .find({ status: { $in: [...OPEN_PROBE_STATUSES] }, sentAt: { $gte: since }, $or: or }, { sort: { sentAt: -1 }, limit: 200, projection: { replies: 0 } });
  if (candidates.length === 0) return null;

  const byId = new Map(candidates.map((p) => [p._id, p]));
  const linked = new Set(args.issueMilestoneIds ?? []);
  const open: OpenProbe[] = candidates.map((p) => {
    let channel: Channel = p.channel ?? (reply.channel === 'jira' ? 'email' : reply.channel);
    let to = p.to ?? '';
    if (p.to === undefined && personId !== undefined && p.personId === personId && reply.channel !== 'jira') {
      channel = reply.channel;
      to = reply.from;
    }
    return {
      id: p._id,
      ref: p.ref,
      milestoneId: p.milestoneId,
      channel,
      to,
      sentAt: p.sentAt,
      messageIds: p.messageIds,
      ...(reply.channel === 'jira' && reply.issueKey && linked.has(p.milestoneId) ? { issueKey: reply.issueKey } : {}),
    };
  });
  const matched = matchReply({ reply, openProbes: open, windowMs });
  if (!matched.ok) return null;
  const probe = byId.get(matched.value.probe.id)!;
  const fromOwner = reply.channel === 'jira' ? null : matched.value.sameSender === true || (personId !== undefined && personId === probe.personId);
  return { probe, by: matched.value.by, fromOwner };
}
