import { z } from 'zod';
import { checkTemplateRules } from './check-template-rules.ts';
import { regionSchema } from './region-schema.ts';
import {
  basisPointsSchema,
  dependencySchema,
  gstRateSchema,
  hsnSacSchema,
  keySchema,
  repeatDependencySchema,
  titleSchema,
  workingDaysSchema,
} from './template-field-schemas.ts';
import { anchorNames, complexityLevels, milestoneTypes, verificationModes } from './template-vocabulary.ts';

const subMilestoneSchema = z.strictObject({
  key: keySchema,
  title: titleSchema,
  // Type, category, verification and tax details default to the parent milestone's.
  type: z.enum(milestoneTypes).optional(),
  category: keySchema.optional(),
  durationDays: workingDaysSchema,
  paymentBasisPoints: basisPointsSchema.optional(),
  gstRate: gstRateSchema.optional(),
  hsnSac: hsnSacSchema.optional(),
  dependsOn: z.array(dependencySchema).default([]),
  verification: z.enum(verificationModes).optional(),
  minComplexity: z.enum(complexityLevels).optional(),
});

const milestoneSchema = z.strictObject({
  key: keySchema,
  title: titleSchema,
  type: z.enum(milestoneTypes),
  category: keySchema,
  durationDays: workingDaysSchema,
  paymentBasisPoints: basisPointsSchema.optional(),
  gstRate: gstRateSchema.optional(),
  hsnSac: hsnSacSchema.optional(),
  dependsOn: z.array(dependencySchema).default([]),
  verification: z.enum(verificationModes).default('manual'),
  minComplexity: z.enum(complexityLevels).optional(),
  repeatable: z.boolean().default(false),
  repeatDependency: repeatDependencySchema.optional(),
  anchors: z.array(z.enum(anchorNames)).default([]),
  subMilestones: z.array(subMilestoneSchema).default([]),
});

const phaseSchema = z.strictObject({
  key: keySchema,
  title: titleSchema,
  minComplexity: z.enum(complexityLevels).optional(),
  repeatable: z.boolean().default(false),
  repeatDependency: repeatDependencySchema.optional(),
  milestones: z.array(milestoneSchema).min(1),
});

/**
 * The shape of a project template, without the rules that span fields (see {@link templateSchema}).
 *
 * - Keys (phases, milestones, sub-milestones) share one namespace and are kebab-case.
 * - `paymentBasisPoints` is the share of the contract value in basis points (integers; 10000 = 100%).
 * - `gstRate` (percent) and `hsnSac` on the template are defaults for its payment milestones.
 * - `repeatable` phases or milestones are repeated `scale` times; `scaleUnit` names one repetition.
 * - `minComplexity` includes an item only at that complexity level and above.
 * - `anchors` name the points regional overlays attach to.
 */
export const templateShapeSchema = z.strictObject({
  id: keySchema,
  name: titleSchema,
  industry: keySchema,
  description: z.string().trim().min(1).max(4000),
  complexity: z.enum(complexityLevels),
  currency: z.literal('INR'),
  scaleUnit: z.string().trim().min(1).max(40).default('unit'),
  gstRate: gstRateSchema.optional(),
  hsnSac: hsnSacSchema.optional(),
  phases: z.array(phaseSchema).min(1),
  regions: z.array(regionSchema).default([]),
});

/**
 * A project template, shape and rules: unique keys, dependencies that exist, no dependency cycles,
 * payments summing to exactly 10000 bp, tax details on every payment, payments only on
 * milestones present at every complexity level, one milestone per anchor.
 *
 * Prefer `validateTemplate`, which also checks the cycles that only repetition can create.
 */
export const templateSchema = templateShapeSchema.superRefine((template, ctx) => {
  checkTemplateRules(template, (issue) => {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], params: { code: issue.code } });
  });
});

/** A validated template. */
export type Template = z.output<typeof templateShapeSchema>;
/** A template as written in a data file or document, before defaults are applied. */
export type TemplateInput = z.input<typeof templateShapeSchema>;
/** One phase of a template. */
export type TemplatePhase = Template['phases'][number];
/** One milestone of a template phase. */
export type TemplateMilestone = TemplatePhase['milestones'][number];
/** One sub-milestone of a template milestone. */
export type TemplateSubMilestone = TemplateMilestone['subMilestones'][number];
