/**
 * Complexity levels, least to most demanding. A template, phase or milestone marked with
 * `minComplexity` is included from that level up.
 */
export const complexityLevels = ['simple', 'standard', 'complex', 'enterprise'] as const;
export type Complexity = (typeof complexityLevels)[number];

/** What a milestone is about; payment may be attached to any type, not only `payment`. */
export const milestoneTypes = ['deliverable', 'payment', 'approval', 'compliance', 'inspection', 'handover'] as const;
export type MilestoneType = (typeof milestoneTypes)[number];

/**
 * How one milestone waits for another. `finish-to-start`: start on the next working day after the
 * predecessor's due date, plus lag. `start-to-start`: start on the predecessor's start, plus lag.
 */
export const dependencyTypes = ['finish-to-start', 'start-to-start'] as const;
export type DependencyType = (typeof dependencyTypes)[number];

/** How completion of a milestone is confirmed. */
export const verificationModes = ['manual', 'automated', 'hybrid'] as const;
export type Verification = (typeof verificationModes)[number];

/**
 * Named points of a template that regional overlays attach to, so that a state's compliance step
 * can gate the right milestone of any template in an industry without knowing its keys.
 * - `contract`: the agreement or order is signed;
 * - `work-start`: physical or delivery work begins;
 * - `operations-start`: regular operations, production or go-live begin;
 * - `handover`: the work is handed over or closed.
 */
export const anchorNames = ['contract', 'work-start', 'operations-start', 'handover'] as const;
export type Anchor = (typeof anchorNames)[number];

/** Calendars a plan can use; India mostly works Monday to Saturday on sites and Monday to Friday in offices. */
export const weekendKinds = ['sat-sun', 'sun'] as const;
export type Weekend = (typeof weekendKinds)[number];

/** Position of a complexity level in {@link complexityLevels}; higher is more demanding. */
export function complexityRank(level: Complexity): number {
  return complexityLevels.indexOf(level);
}
