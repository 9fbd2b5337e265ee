import { createProbe, probeTarget, recordProbeDelivery, replyOptionsText } from '../../core/probes/index.ts';
import type { ProbeDoc, ProbeTargetError, ProbeTrigger } from '../../core/probes/index.ts';
import { getProject } from '../../core/projects/index.ts';
import { requestNotification } from '../notify/index.ts';
import { linkedIssueKeys } from './linked-issues.ts';
import type { ProbeDeps } from './probe-deps.ts';

/** The outcome of {@link sendProbe}. */
export type SendProbeResult =
  | { ok: true; value: { probe: ProbeDoc; created: boolean; notificationId?: string } }
  | { ok: false; error: ProbeTargetError | { code: 'notification_refused'; message: string } };

/**
 * Asks a milestone's primary owner for status now: records the probe (once per `slotKey`) and
 * requests the `probe.status` message naming the milestone, its reply options and the probe's
 * ref, on the owner's first available channel. Delivery (channels, quiet hours, retries,
 * fallback) is the notify pipeline's; the notification id is kept on the probe.
 */
export async function sendProbe(deps: ProbeDeps, args: { tenantId: string; milestoneId: string; trigger: ProbeTrigger; slotKey: string; role?: string }): Promise<SendProbeResult> {
  const db = deps.store.forTenant(args.tenantId);
  const at = deps.now();
  const target = await probeTarget(db, args.milestoneId, at, { role: args.role });
  if (!target.ok) return target;
  const { probe, created } = await createProbe(db, {
    target: target.value,
    trigger: args.trigger,
    slotKey: args.slotKey,
    at,
    issueKeys: await linkedIssueKeys(db, args.milestoneId),
  });
  if (probe.notificationId !== undefined) return { ok: true, value: { probe, created, notificationId: probe.notificationId } };
  const { milestone } = target.value;
  const project = await getProject(db, milestone.projectId);
  const requested = await requestNotification(
    { store: deps.store, ...(deps.queues ? { queues: deps.queues } : {}), now: deps.now },
    {
      tenantId: args.tenantId,
      dedupeKey: `probe:${probe._id}`,
      purpose: 'probe',
      recipient: { personId: probe.personId },
      templateKey: 'probe.status',
      locale: probe.locale,
      vars: {
        'milestone.title': milestone.title,
        ...(project ? { 'project.name': project.name } : {}),
        'owner.name': target.value.person.name,
        replyOptions: replyOptionsText(probe.locale),
        probeRef: probe.ref,
        ...(milestone.dueDate ? { dueDate: milestone.dueDate } : {}),
      },
      milestoneId: milestone._id,
      projectId: milestone.projectId,
      probeId: probe._id,
      requestedBy: { kind: 'probe', id: probe._id },
    },
  );
  if (!requested.ok) return { ok: false, error: { code: 'notification_refused', message: requested.error.message } };
  const stored = await recordProbeDelivery(db, probe._id, { notificationId: requested.value.notificationId });
  return { ok: true, value: { probe: stored ?? probe, created, notificationId: requested.value.notificationId } };
}
