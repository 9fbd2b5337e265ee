import { z } from 'zod';
import { checkConditionExpression } from './dependency-condition.ts';

/**
 * How a milestone depends on its predecessor:
 * - `finish-to-start`: it may start once the predecessor is done;
 * - `start-to-start`: it may start once the predecessor has started;
 * - `conditional`: it may start once a JSONata expression over the predecessor holds
 *   (`percentComplete >= 50`).
 */
export const DEPENDENCY_TYPES = ['finish-to-start', 'start-to-start', 'conditional'] as const;

/** One of {@link DEPENDENCY_TYPES}. */
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

/** `milestoneId` depends on `dependsOn`. */
export interface DependencyEdge {
  milestoneId: string;
  dependsOn: string;
}

/**
 * Validates one dependency. `condition` is required for, and only allowed on, `conditional`.
 * `lagDays` (default 0) delays the successor in the critical-path schedule.
 */
export const dependencySchema = z
  .object({
    milestoneId: z.string().min(1),
    dependsOn: z.string().min(1),
    type: z.enum(DEPENDENCY_TYPES),
    condition: z.string().optional(),
    lagDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict()
  .superRefine((dependency, ctx) => {
    if (dependency.milestoneId === dependency.dependsOn) {
      ctx.addIssue({ code: 'custom', path: ['dependsOn'], message: 'a milestone cannot depend on itself' });
    }
    if (dependency.type !== 'conditional') {
      if (dependency.condition !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['condition'], message: 'only conditional dependencies take a condition' });
      }
      return;
    }
    if (dependency.condition === undefined) {
      ctx.addIssue({ code: 'custom', path: ['condition'], message: 'a conditional dependency needs a condition' });
      return;
    }
    const checked = checkConditionExpression(dependency.condition);
    if (!checked.ok) ctx.addIssue({ code: 'custom', path: ['condition'], message: checked.error.message });
  });

/** A validated dependency. */
export type Dependency = z.infer<typeof dependencySchema>;
