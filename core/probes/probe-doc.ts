import type { Channel, NotificationLocale } from '../notifications/index.ts';
import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { DelayCategory } from './delay-categories.ts';
import type { ProbeReply } from './parse-probe-reply.ts';

/**
 * - `sent`: handed to delivery, waiting for an answer;
 * - `clarification_sent`: a reply could not be read and the owner was asked again;
 * - `answered`: a reply was applied (or passed to a person after repeated clarifications);
 * - `expired`: a newer probe replaced it, or nobody answered within the match window.
 */
export const PROBE_STATUSES = ['sent', 'clarification_sent', 'answered', 'expired'] as const;

/** One of {@link PROBE_STATUSES}. */
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/** Statuses in which a probe still takes replies. */
export const OPEN_PROBE_STATUSES: readonly ProbeStatus[] = ['sent', 'clarification_sent'];

/** What started a probe. */
export type ProbeTrigger = 'manual' | 'schedule';

/** The answers a probe offers, as printed in it. */
export const PROBE_REPLY_OPTIONS = [
  { reply: '1', meaning: 'on_track' },
  { reply: '2', meaning: 'delayed' },
  { reply: '3', meaning: 'done' },
  { reply: 'text', meaning: 'free_text' },
] as const;

/** What a reply did to its milestone. */
export interface ProbeOutcome {
  /** What the reply was read as. */
  kind: ProbeReply['kind'];
  percentComplete?: number;
  /** Workflow events run, in order. */
  events: string[];
  delay?: { category: DelayCategory; text: string; newDueDate?: string; blocked?: boolean };
  /** The acknowledgement or clarification sent back. */
  messageKey: string;
  /** True when a person should read the reply (not applicable as asked). */
  needsReview: boolean;
  note?: string;
  /** A domain refusal met while applying (kept, the rest still applied). */
  error?: { code: string; message: string };
}

/** One reply received for a probe, kept whatever it said. */
export interface ProbeReplyEntry {
  providerMessageId: string;
  channel: Channel | 'jira';
  from: string;
  text: string;
  receivedAt: Date;
  matchedBy: string;
  outcome: ProbeOutcome;
}

/** A status request sent to a milestone's owner, and what came back. */
export interface ProbeDoc extends BaseDoc {
  milestoneId: string;
  milestoneTitle: string;
  projectId: string;
  /** The person asked: the milestone's primary owner (or their delegate). */
  personId: string;
  /** `#P7K2M`: printed in the message so a reply on any channel names the probe. */
  ref: string;
  trigger: ProbeTrigger;
  /** Unique per tenant: a manual request id or the scheduled slot, so a sweep that runs twice sends once. */
  slotKey: string;
  locale: NotificationLocale;
  replyOptions: Array<{ reply: string; meaning: string }>;
  status: ProbeStatus;
  /** The delivery record of the probe, and of each clarification. */
  notificationId?: string;
  clarificationNotificationIds: string[];
  /** The channel and address delivery used, once known. */
  channel?: Channel;
  to?: string;
  /** Provider message ids (email Message-ID, wamid, SMS sid) a reply may thread onto. */
  messageIds: string[];
  /** Jira issue keys the milestone is linked to when the probe went out: a comment there answers it. */
  issueKeys: string[];
  sentAt: Date;
  answeredAt?: Date;
  expiredAt?: Date;
  clarificationsSent: number;
  /** The last reply's text and outcome. */
  replyText?: string;
  outcome?: ProbeOutcome;
  replies: ProbeReplyEntry[];
}

export const probesCollection: CollectionDef<ProbeDoc> = {
  name: 'probes',
  scope: 'tenant',
  indexes: [
    { fields: { tenantId: 1, slotKey: 1 }, unique: true },
    { fields: { milestoneId: 1 } },
    { fields: { ref: 1 } },
    { fields: { tenantId: 1, status: 1, sentAt: 1 } },
  ],
};

/** Per milestone: its schedule override and when it was last asked and last answered. */
export interface ProbeScheduleDoc extends BaseDoc {
  milestoneId: string;
  override?: { every: string } | { paused: true };
  lastProbeAt?: Date;
  lastResponseAt?: Date;
  /** When the oldest unanswered probe went out; unset once the owner replies. */
  awaitingResponseSince?: Date;
}

export const probeSchedulesCollection: CollectionDef<ProbeScheduleDoc> = {
  name: 'probe_schedules',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, milestoneId: 1 }, unique: true }, { fields: { awaitingResponseSince: 1 } }],
};

/**
 * The processed-key of an inbound reply (`<channel>:<provider message id>`): a redelivered
 * message finds it and changes nothing. `received` until applied, so a crash in between
 * re-applies rather than drops.
 */
export interface ProbeInboxDoc extends BaseDoc {
  key: string;
  status: 'received' | 'applied' | 'unmatched' | 'ignored';
  probeId?: string;
  reason?: string;
  receivedAt: Date;
}

export const probeInboxCollection: CollectionDef<ProbeInboxDoc> = {
  name: 'probe_inbox',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, key: 1 }, unique: true }],
};
