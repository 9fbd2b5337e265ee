import type { DomainEvent } from '../../core/domain/index.ts';
import { rulesCollection } from '../../core/definitions/index.ts';
import { recipientRefSchema, type RecipientRef } from '../../core/escalations/index.ts';
import { milestonesCollection } from '../../core/milestones/index.ts';
import { TEMPLATE_KEY_LIST, type TemplateKey } from '../../core/notifications/index.ts';
import type { DomainEventHook } from '../domain-event-hook.ts';
import type { EscalationDeps } from './escalation-deps.ts';
import { tenantDirectory, type NoticeMilestone } from './escalation-directory.ts';
import { sendNotices } from './send-notices.ts';

/**
 * Who a rule's `notify` names: `owner` and `manager` (the owner's manager), any recipient ref an
 * escalation level takes (`person:<id>`, `role:<name>`, `client.contact`, `owner.manager.manager`),
 * or a bare person id.
 */
function ruleRecipientRef(to: string): RecipientRef {
  if (to === 'manager') return 'owner.manager';
  const ref = recipientRefSchema.safeParse(to);
  return ref.success ? ref.data : (`person:${to}` as RecipientRef);
}

const isTemplateKey = (value: unknown): value is TemplateKey => typeof value === 'string' && (TEMPLATE_KEY_LIST as readonly string[]).includes(value);

/**
 * Follows `notification.requested`, the event a business rule's `notify` action emits: sends the
 * rule's template (`rule.notice` unless it names another) about the milestone to whoever `to`
 * names, through the notify queue. Each recipient's dedupe key is the event id and the person, so
 * a redelivered event sends nothing twice. Register it in WorkerContext.domainEvents.
 */
export function ruleNoticesHook(deps: EscalationDeps): DomainEventHook {
  return async (event: DomainEvent) => {
    if (event.type !== 'notification.requested' || event.aggregate.type !== 'milestone') return;
    const to = event.data['to'];
    if (typeof to !== 'string' || to === '') return;
    const db = deps.store.forTenant(event.tenantId);
    const milestone = (await db.collection(milestonesCollection).findOne({ _id: event.aggregate.id }, { projection: { _id: 1, projectId: 1, title: 1, owners: 1, dueDate: 1 } })) as NoticeMilestone | null;
    if (!milestone) return;
    const ruleId = typeof event.data['ruleId'] === 'string' ? event.data['ruleId'] : 'rule';
    const rule = await db.collection(rulesCollection).findOne({ ruleId }, { projection: { name: 1 } });
    const template = event.data['template'];
    await sendNotices(deps, {
      tenantId: event.tenantId,
      directory: tenantDirectory(db),
      milestone,
      refs: [ruleRecipientRef(to)],
      templateKey: isTemplateKey(template) ? template : 'rule.notice',
      key: event.id,
      purpose: 'rule',
      rule: { id: ruleId, name: rule?.name ?? ruleId },
    });
  };
}
