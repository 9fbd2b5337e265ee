import { normalizeAddress } from '../notifications/index.ts';
import type { Channel } from '../notifications/index.ts';
import { findProbeRefs } from './probe-ref.ts';

/** A probe that is waiting for an answer. */
export interface OpenProbe {
  id: string;
  /** The `#P7K2M` reference printed in the probe. */
  ref: string;
  milestoneId: string;
  channel: Channel;
  /** The address the probe went to. */
  to: string;
  sentAt: Date;
  /** Provider message ids of the probe: email Message-ID, WhatsApp `wamid`, SMS sid. */
  messageIds?: readonly string[];
  /** The issue the milestone is linked to (Jira key), so comments there can answer. */
  issueKey?: string;
}

/** An inbound message that may answer a probe. */
export interface InboundReply {
  channel: Channel | 'jira';
  /** Sender address (email, phone) or, for Jira, the commenter's account id. */
  from: string;
  text: string;
  receivedAt: Date;
  /** Email `In-Reply-To`. */
  inReplyTo?: string;
  /** Email `References`. */
  references?: readonly string[];
  /** WhatsApp `context.id`: the message this one replies to. */
  contextId?: string;
  /** Jira: the issue commented on. */
  issueKey?: string;
}

/** How a reply was tied to its probe, strongest first. */
export type MatchedBy = 'token' | 'in_reply_to' | 'context' | 'issue' | 'recency';

/** The outcome of {@link matchReply}. */
export type MatchReplyResult =
  | {
      ok: true;
      value: {
        probe: OpenProbe;
        by: MatchedBy;
        /** The sender is the address the probe went to (SMS and WhatsApp share a number); null for Jira. */
        sameSender: boolean | null;
        /** Other open probes the sender could have meant, when matched by recency. */
        alternatives: number;
      };
    }
  | { ok: false; error: { code: 'no_match'; message: string } };

/** How far back a reply may answer a probe by recency alone. */
export const DEFAULT_MATCH_WINDOW_MS = 7 * 86_400_000;

const messageId = (id: string): string => id.trim().replace(/^<|>$/g, '').toLowerCase();

/**
 * Finds the probe a reply answers. In order: a probe ref in the text (`#P7K2M`); the email
 * `In-Reply-To`, then `References`; the WhatsApp context message id; for a Jira comment, the
 * latest open probe on the milestone linked to that issue; else the latest open probe sent to
 * the sender's address (SMS and WhatsApp count as one phone) within `windowMs` before the reply.
 * Matching is not authorisation: `sameSender` tells the caller whether the sender is the person
 * who was asked.
 */
export function matchReply(args: { reply: InboundReply; openProbes: readonly OpenProbe[]; windowMs?: number }): MatchReplyResult {
  const { reply, openProbes, windowMs = DEFAULT_MATCH_WINDOW_MS } = args;
  const sender = reply.channel === 'jira' ? null : normalizeAddress(reply.channel, reply.from);
  const sameSender = (probe: OpenProbe): boolean | null => {
    if (reply.channel === 'jira') return null;
    const phoneReply = reply.channel !== 'email';
    const phoneProbe = probe.channel !== 'email';
    return sender !== null && phoneReply === phoneProbe && normalizeAddress(probe.channel, probe.to) === sender;
  };
  const found = (probe: OpenProbe, by: MatchedBy, alternatives = 0): MatchReplyResult => ({
    ok: true,
    value: { probe, by, sameSender: sameSender(probe), alternatives },
  });
  const latest = (list: OpenProbe[]): OpenProbe | undefined => list.sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime())[0];

  for (const ref of findProbeRefs(reply.text)) {
    const probe = latest(openProbes.filter((p) => p.ref.toUpperCase() === ref));
    if (probe) return found(probe, 'token');
  }

  const ids = [reply.inReplyTo, ...[...(reply.references ?? [])].reverse()].filter((id): id is string => Boolean(id)).map(messageId);
  for (const id of ids) {
    const probe = openProbes.find((p) => p.messageIds?.some((m) => messageId(m) === id));
    if (probe) return found(probe, 'in_reply_to');
  }

  if (reply.contextId) {
    const context = reply.contextId.trim();
    const probe = openProbes.find((p) => p.messageIds?.includes(context));
    if (probe) return found(probe, 'context');
  }

  if (reply.channel === 'jira' && reply.issueKey) {
    const key = reply.issueKey.trim().toUpperCase();
    const probe = latest(openProbes.filter((p) => p.issueKey?.toUpperCase() === key));
    if (probe) return found(probe, 'issue');
  }

  if (sender !== null) {
    const since = reply.receivedAt.getTime() - windowMs;
    const candidates = openProbes.filter(
      (p) => sameSender(p) === true && p.sentAt.getTime() >= since && p.sentAt.getTime() <= reply.receivedAt.getTime(),
    );
    const probe = latest(candidates);
    if (probe) return found(probe, 'recency', candidates.length - 1);
  }
  return { ok: false, error: { code: 'no_match', message: 'no open probe matches this reply' } };
}
