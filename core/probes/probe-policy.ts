import { z } from 'zod';
import { durationSchema } from '../notifications/index.ts';

/** How critical a milestone is; decides how often its owner is asked. */
export const CRITICALITIES = ['critical', 'high', 'normal', 'low'] as const;

/** One of {@link CRITICALITIES}. */
export type Criticality = (typeof CRITICALITIES)[number];

/** Risk levels that can tighten a schedule. */
export const RISK_LEVELS = ['low', 'medium', 'high'] as const;

/** One of {@link RISK_LEVELS}. */
export type RiskLevel = (typeof RISK_LEVELS)[number];

/**
 * A tenant's probe schedule, as data. `every` is the base interval per criticality; the other
 * rules can only make it shorter: near the due date (`nearDue`, each `{ within, atMost }`),
 * once overdue, and by risk.
 */
export const probePolicySchema = z.strictObject({
  every: z
    .strictObject({ critical: durationSchema, high: durationSchema, normal: durationSchema, low: durationSchema })
    .default({ critical: 'P1D', high: 'P2D', normal: 'P7D', low: 'P14D' }),
  nearDue: z
    .array(z.strictObject({ within: durationSchema, atMost: durationSchema }))
    .max(10)
    .default([
      { within: 'P7D', atMost: 'P2D' },
      { within: 'P2D', atMost: 'P1D' },
    ]),
  overdue: durationSchema.default('P1D'),
  risk: z.strictObject({ medium: durationSchema.optional(), high: durationSchema.optional() }).default({ high: 'P2D' }),
  /** Probe milestones that have not started. @default true */
  probeNotStarted: z.boolean().default(true),
});

/** Parsed {@link probePolicySchema}. */
export type ProbePolicy = z.output<typeof probePolicySchema>;

/** Critical daily, high every 2 days, normal weekly, low fortnightly; tighter near the due date. */
export const DEFAULT_PROBE_POLICY: ProbePolicy = probePolicySchema.parse({});

/**
 * A per-milestone override: a different base interval (tightening rules still apply) or no
 * scheduled probes at all. A manual "probe now" is not affected by either.
 */
export const probeOverrideSchema = z.union([
  z.strictObject({ every: durationSchema }),
  z.strictObject({ paused: z.literal(true) }),
]);

/** Parsed {@link probeOverrideSchema}. */
export type ProbeOverride = z.output<typeof probeOverrideSchema>;
