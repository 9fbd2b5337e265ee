import { z } from 'zod';
import { conditionSchema } from './condition-schema.ts';
import { STATE_CATEGORIES } from './state-category.ts';

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

const stateId = z.string().regex(ID, 'state ids start with a letter and use letters, digits, _ or -');

/** A state of a workflow. */
export const workflowStateSchema = z
  .object({
    id: stateId,
    label: z.string().trim().min(1).max(100),
    category: z.enum(STATE_CATEGORIES),
  })
  .strict();

/**
 * A transition. `from` is a state id, a list of them, or `'*'`: every state except the target
 * and except closed states (category `done` or `cancelled`), so a wildcard never reopens work.
 * `event` names the trigger (`submit`); `emits` names the domain events it causes.
 * `system` marks transitions only the hub's own processes take (invoicing, for one).
 */
export const workflowTransitionSchema = z
  .object({
    from: z.union([z.literal('*'), stateId, z.array(stateId).min(1)]),
    to: stateId,
    name: z.string().trim().min(1).max(100).optional(),
    event: z.string().regex(EVENT_NAME, 'event names are lower case, like submit or site_visit').optional(),
    guard: conditionSchema.optional(),
    requires: z
      .object({ verification: z.boolean().optional(), approval: z.boolean().optional() })
      .strict()
      .optional(),
    emits: z.array(z.string().regex(EVENT_NAME, 'emitted events look like milestone.submitted')).optional(),
    system: z.boolean().optional(),
  })
  .strict();

/** A status workflow, as admins store it. Cross-references are checked by `parseWorkflow`. */
export const workflowSchema = z
  .object({
    id: z.string().regex(ID, 'workflow ids start with a letter and use letters, digits, _ or -'),
    name: z.string().trim().min(1).max(200),
    version: z.number().int().positive(),
    description: z.string().max(2000).optional(),
    initial: stateId,
    states: z.array(workflowStateSchema).min(1).max(100),
    transitions: z.array(workflowTransitionSchema).max(500),
  })
  .strict();

/** A validated workflow state. */
export type WorkflowState = z.infer<typeof workflowStateSchema>;
/** A validated workflow transition. */
export type WorkflowTransition = z.infer<typeof workflowTransitionSchema>;
/** A validated workflow definition. */
export type Workflow = z.infer<typeof workflowSchema>;
