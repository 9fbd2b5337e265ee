import { escalationReasonText, resolveRecipients } from '../../core/escalations/index.ts';
import type { EscalationTriggerType, RecipientRef } from '../../core/escalations/index.ts';
import type { Channel, TemplateKey } from '../../core/notifications/index.ts';
import { probeLocale } from '../../core/probes/index.ts';
import { requestNotification } from '../notify/index.ts';
import type { EscalationDeps } from './escalation-deps.ts';
import type { NoticeMilestone, TenantDirectory } from './escalation-directory.ts';

/** Who a notice reached. */
export interface SentNotices {
  recipients: string[];
  notificationIds: string[];
  unresolved: RecipientRef[];
}

/**
 * Sends one level's (or an early warning's) message to everyone its refs name, each under a
 * dedupe key made of `key` and the recipient, so a sweep that runs again sends nothing twice.
 */
export async function sendNotices(
  deps: EscalationDeps,
  args: {
    tenantId: string;
    directory: TenantDirectory;
    milestone: NoticeMilestone;
    refs: readonly RecipientRef[];
    channels?: readonly Channel[];
    templateKey: TemplateKey;
    key: string;
    purpose: 'escalation' | 'early_warning' | 'rule';
    /** The business rule a `rule` notice comes from. */
    rule?: { id: string; name: string };
    escalationId?: string;
    level?: number;
    trigger?: EscalationTriggerType;
    values?: { percentComplete?: number; expectedPercent?: number };
  },
): Promise<SentNotices> {
  const at = deps.now();
  const { directory: lookups, contacts } = await args.directory.forMilestone(args.milestone, at);
  const { personIds, unresolved } = resolveRecipients(args.refs, lookups);
  const project = await args.directory.project(args.milestone.projectId);
  const owner = lookups.ownerId === undefined ? undefined : await args.directory.person(lookups.ownerId);
  const notificationIds: string[] = [];
  for (const recipientId of personIds) {
    const contact = contacts.get(recipientId);
    const person = contact ? undefined : await args.directory.person(recipientId);
    if (!contact && !person) {
      unresolved.push(`person:${recipientId}` as RecipientRef);
      continue;
    }
    const locale = probeLocale(person?.locale);
    const requested = await requestNotification(
      { store: deps.store, ...(deps.queues ? { queues: deps.queues } : {}), now: deps.now },
      {
        tenantId: args.tenantId,
        dedupeKey: `${args.purpose}:${args.key}:${recipientId}`,
        purpose: args.purpose,
        recipient: contact
          ? { contact: { ...(contact.name ? { name: contact.name } : {}), ...(contact.email ? { email: contact.email } : {}), ...(contact.phone ? { phone: contact.phone } : {}), ...(contact.whatsapp ? { whatsapp: contact.whatsapp } : {}) } }
          : { personId: recipientId },
        templateKey: args.templateKey,
        locale,
        vars: {
          'milestone.title': args.milestone.title,
          ...(project ? { 'project.name': project.name } : {}),
          ...(owner ? { 'owner.name': owner.name } : {}),
          ...(args.milestone.dueDate ? { dueDate: args.milestone.dueDate } : {}),
          ...(args.level !== undefined ? { 'escalation.level': args.level } : {}),
          ...(args.trigger !== undefined ? { 'escalation.reason': escalationReasonText(args.trigger, locale) } : {}),
          ...(args.values?.percentComplete !== undefined ? { percentComplete: args.values.percentComplete } : {}),
          ...(args.values?.expectedPercent !== undefined ? { expectedPercent: args.values.expectedPercent } : {}),
          ...(args.rule ? { 'rule.name': args.rule.name } : {}),
        },
        link: `${deps.publicUrl.replace(/\/+$/, '')}${args.escalationId ? `/v1/escalations/${args.escalationId}` : `/v1/milestones/${args.milestone._id}`}`,
        ...(args.channels ? { channels: [...args.channels] } : {}),
        urgency: (args.level ?? 1) >= 3 ? 'high' : 'normal',
        milestoneId: args.milestone._id,
        projectId: args.milestone.projectId,
        ...(args.escalationId ? { escalationId: args.escalationId } : {}),
        requestedBy: args.rule ? { kind: 'rule', id: args.rule.id } : { kind: 'escalation', id: args.escalationId ?? args.key },
      },
    );
    if (requested.ok) notificationIds.push(requested.value.notificationId);
  }
  return { recipients: personIds, notificationIds, unresolved };
}
