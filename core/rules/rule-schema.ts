import { z } from 'zod';
import { TEMPLATE_KEY_LIST } from '../notifications/index.ts';
import { conditionSchema } from '../workflow/index.ts';

/**
 * Events a rule can listen to. `milestone.transitioning` fires before a status change is
 * written, so it is the only event whose rules may block it; the others report what happened.
 */
export const RULE_EVENTS = [
  'milestone.created',
  'milestone.updated',
  'milestone.transitioning',
  'milestone.transitioned',
  'milestone.due_soon',
  'milestone.overdue',
] as const;

/** One of {@link RULE_EVENTS}. */
export type RuleEvent = (typeof RULE_EVENTS)[number];

/** Fields a rule may never set: identity, status (the workflow owns it) and bookkeeping. */
export const PROTECTED_FIELDS = ['id', 'tenantId', 'projectId', 'status', 'version', 'createdAt', 'updatedAt', 'outbox'] as const;

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const UNSAFE_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

const fieldPath = z
  .string()
  .regex(FIELD_PATH, 'field is a dotted path such as customFields.siteArea')
  .refine((path) => !path.split('.').some((segment) => UNSAFE_SEGMENTS.has(segment)), 'field names a reserved property')
  .refine((path) => !(PROTECTED_FIELDS as readonly string[]).includes(path.split('.')[0] as string), {
    message: `rules cannot set ${PROTECTED_FIELDS.join(', ')}`,
  });

/** The things a rule can do. */
export const ruleActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set'), field: fieldPath, value: z.json() }).strict(),
  z.object({ type: z.literal('add-tag'), tag: z.string().trim().min(1).max(50) }).strict(),
  z.object({ type: z.literal('block-transition'), reason: z.string().trim().min(1).max(500) }).strict(),
  z
    .object({
      type: z.literal('notify'),
      /**
       * `owner`, `manager` (the owner's manager), `owner.manager.manager`, `person:<id>`,
       * `role:<name>`, `client.contact`, or a person id.
       */
      to: z
        .string()
        .trim()
        .regex(/^(?:owner(?:\.manager){0,4}|manager|person:[A-Za-z0-9_-]{1,64}|role:[A-Za-z0-9_-]{1,64}|client\.contact|[A-Za-z0-9_-]{1,64})$/, 'owner, manager, person:<id>, role:<name>, client.contact or a person id'),
      /** The message template to send; `rule.notice` when omitted. */
      template: z.enum(TEMPLATE_KEY_LIST, { error: 'must be a message template key, such as rule.notice' }).optional(),
    })
    .strict(),
  z.object({ type: z.literal('escalate'), level: z.number().int().min(1).max(10).optional() }).strict(),
]);

/** A tenant's business rule: when an event happens and the condition holds, do the actions. */
export const ruleSchema = z
  .object({
    id: z.string().trim().min(1).max(100),
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    when: z.object({ event: z.enum(RULE_EVENTS), condition: conditionSchema.optional() }).strict(),
    then: z.array(ruleActionSchema).min(1).max(20),
    /** Higher runs first, as in json-rules-engine. @default 0 */
    priority: z.number().int().min(-1000).max(1000).optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    rule.then.forEach((action, i) => {
      if (action.type === 'block-transition' && rule.when.event !== 'milestone.transitioning') {
        ctx.addIssue({
          code: 'custom',
          path: ['then', i],
          message: 'block-transition only works on milestone.transitioning, before the change is made',
        });
      }
    });
  });

/** A validated rule action. */
export type RuleAction = z.infer<typeof ruleActionSchema>;
/** A validated rule. */
export type Rule = z.infer<typeof ruleSchema>;
/** A rule as written, before defaults apply. */
export type RuleInput = z.input<typeof ruleSchema>;
