import { DuplicateKeyError } from '../store/index.ts';
import type { TenantStore } from '../store/index.ts';
import type { NotificationLocale } from '../notifications/index.ts';
import { OPEN_PROBE_STATUSES, PROBE_REPLY_OPTIONS, probeSchedulesCollection, probesCollection } from './probe-doc.ts';
import type { ProbeDoc, ProbeTrigger } from './probe-doc.ts';
import { createProbeRef } from './probe-ref.ts';
import type { ProbeTarget } from './probe-target.ts';

/** The locale a person reads probes in. */
export function probeLocale(locale: string | undefined): NotificationLocale {
  return locale?.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

/**
 * Records a probe before it is sent: a fresh `#P…` ref (unique among the tenant's open probes),
 * the reply options, and `slotKey`, so a sweep or request that runs twice records one probe and
 * gets the same one back (`created: false`). Earlier open probes of the milestone expire: the
 * new one is the question now. The milestone's schedule moves on: last probed now, awaiting a
 * response since its oldest unanswered probe.
 */
export async function createProbe(
  db: TenantStore,
  args: { target: ProbeTarget; trigger: ProbeTrigger; slotKey: string; at: Date; issueKeys?: readonly string[]; random?: (max: number) => number },
): Promise<{ probe: ProbeDoc; created: boolean }> {
  const { target, trigger, slotKey, at } = args;
  const probes = db.collection(probesCollection);
  const existing = await probes.findOne({ slotKey });
  if (existing) return { probe: existing, created: false };

  let ref = createProbeRef(args.random);
  for (let i = 0; i < 8 && (await probes.findOne({ ref, status: { $in: [...OPEN_PROBE_STATUSES] } })); i += 1) ref = createProbeRef(args.random);

  let probe: ProbeDoc;
  try {
    probe = await probes.insert({
      milestoneId: target.milestone._id,
      milestoneTitle: target.milestone.title,
      projectId: target.milestone.projectId,
      personId: target.person._id,
      ref,
      trigger,
      slotKey,
      locale: probeLocale(target.person.locale),
      replyOptions: PROBE_REPLY_OPTIONS.map((o) => ({ ...o })),
      status: 'sent',
      clarificationNotificationIds: [],
      messageIds: [],
      issueKeys: [...(args.issueKeys ?? [])],
      sentAt: at,
      clarificationsSent: 0,
      replies: [],
    });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const raced = await probes.findOne({ slotKey });
    if (!raced) throw err;
    return { probe: raced, created: false };
  }
  await probes.updateMany(
    { milestoneId: probe.milestoneId, _id: { $ne: probe._id }, status: { $in: [...OPEN_PROBE_STATUSES] } },
    { $set: { status: 'expired', expiredAt: at } },
  );
  await db
    .collection(probeSchedulesCollection)
    .updateOne({ milestoneId: probe.milestoneId }, { $set: { lastProbeAt: at }, $min: { awaitingResponseSince: at } }, { upsert: true });
  return { probe, created: true };
}

/** Records what delivery made of a probe: its notification, and the channel, address and provider ids once known. */
export async function recordProbeDelivery(
  db: TenantStore,
  probeId: string,
  delivery: { notificationId?: string; channel?: ProbeDoc['channel']; to?: string; messageIds?: readonly string[] },
): Promise<ProbeDoc | null> {
  const set: Record<string, unknown> = {};
  if (delivery.notificationId !== undefined) set.notificationId = delivery.notificationId;
  if (delivery.channel !== undefined) set.channel = delivery.channel;
  if (delivery.to !== undefined) set.to = delivery.to;
  const update = {
    ...(Object.keys(set).length > 0 ? { $set: set } : {}),
    ...(delivery.messageIds && delivery.messageIds.length > 0 ? { $addToSet: { messageIds: { $each: [...delivery.messageIds] } } } : {}),
  };
  if (Object.keys(update).length === 0) return db.collection(probesCollection).findById(probeId);
  return db.collection(probesCollection).updateOne({ _id: probeId }, update);
}
