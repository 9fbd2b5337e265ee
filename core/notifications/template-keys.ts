import type { PlaceholderName } from './placeholders.ts';

interface TemplateKeySpec {
  readonly description: string;
  /** Placeholders the body must use: a message without them is useless or cannot be answered. */
  readonly required: readonly PlaceholderName[];
}

/**
 * The messages the hub sends. Each tenant may override any of them per channel and locale;
 * the shipped defaults cover all of them in English and Hindi.
 */
export const TEMPLATE_KEYS = {
  'probe.status': { description: 'Asks the owner how a milestone is going', required: ['milestone.title', 'replyOptions', 'probeRef'] },
  'probe.clarification': { description: 'Answers a reply that could not be understood', required: ['replyOptions'] },
  'probe.ack.on_track': { description: 'Thanks the owner for an on-track reply', required: ['milestone.title'] },
  'probe.ack.delayed': { description: 'Confirms a delay was recorded', required: ['milestone.title'] },
  'probe.ack.done': { description: 'Confirms the milestone was marked done and sent for verification', required: ['milestone.title'] },
  'probe.ack.percent': { description: 'Confirms a percent complete', required: ['milestone.title', 'percentComplete'] },
  'probe.ack.blocked': { description: 'Confirms a blocker was recorded', required: ['milestone.title'] },
  'probe.ack.received': { description: 'Says a reply was passed to a person after repeated clarifications', required: ['milestone.title'] },
  'escalation.level-1': { description: 'Escalation to the owner', required: ['milestone.title', 'escalation.reason'] },
  'escalation.level-2': { description: "Escalation to the owner's manager", required: ['milestone.title', 'escalation.reason'] },
  'escalation.level-3': { description: 'Escalation to a director', required: ['milestone.title', 'escalation.reason'] },
  'escalation.level-4': { description: "Escalation to the client's contact", required: ['milestone.title', 'escalation.reason'] },
  'rule.notice': { description: "A business rule's notify action", required: ['milestone.title', 'rule.name'] },
  'milestone.early_warning': { description: 'Progress lags the time elapsed', required: ['milestone.title', 'percentComplete', 'expectedPercent'] },
  'payment.reminder.before_due': { description: 'A payment falls due soon', required: ['amount', 'dueDate'] },
  'payment.reminder.after_due': { description: 'A payment is overdue', required: ['amount', 'dueDate'] },
  'invoice.sent': { description: 'An invoice was raised and sent', required: ['amount', 'invoice.number'] },
  'verification.requested': { description: 'A milestone awaits verification', required: ['milestone.title'] },
} as const satisfies Readonly<Record<string, TemplateKeySpec>>;

/** One of the keys in {@link TEMPLATE_KEYS}. */
export type TemplateKey = keyof typeof TEMPLATE_KEYS;

/** Every template key, in declaration order. */
export const TEMPLATE_KEY_LIST = Object.keys(TEMPLATE_KEYS) as [TemplateKey, ...TemplateKey[]];

/** The highest escalation level with its own template; deeper levels reuse it. */
export const MAX_ESCALATION_TEMPLATE_LEVEL = 4;

/** The template for an escalation at `level` (1-based); levels past 4 use the level-4 template. */
export function escalationTemplateKey(level: number): TemplateKey {
  const clamped = Math.min(Math.max(Math.trunc(level), 1), MAX_ESCALATION_TEMPLATE_LEVEL);
  return `escalation.level-${clamped}` as TemplateKey;
}
