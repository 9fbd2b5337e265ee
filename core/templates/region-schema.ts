import { z } from 'zod';
import { checkRegionRules } from './check-region-rules.ts';
import { dependencySchema, keySchema, titleSchema, workingDaysSchema } from './template-field-schemas.ts';
import { anchorNames, complexityLevels, milestoneTypes, verificationModes } from './template-vocabulary.ts';

const overlayMilestoneSchema = z.strictObject({
  key: keySchema,
  title: titleSchema,
  type: z.enum(milestoneTypes).default('compliance'),
  category: keySchema.default('regulatory'),
  durationDays: workingDaysSchema,
  verification: z.enum(verificationModes).default('manual'),
  minComplexity: z.enum(complexityLevels).optional(),
  // Starts after this anchor of the template finishes.
  after: z.enum(anchorNames).optional(),
  // These anchors of the template wait for it to finish.
  before: z.array(z.enum(anchorNames)).default([]),
  // Keys of other milestones in the same overlay.
  dependsOn: z.array(dependencySchema).default([]),
});

const overlaySchema = z.strictObject({
  // Absent means every industry.
  industries: z.array(keySchema).min(1).optional(),
  milestones: z.array(overlayMilestoneSchema).min(1),
});

/**
 * The shape of a region (an Indian state or union territory) and the compliance milestones it adds
 * to templates of the industries it names. Overlays carry no payment: the template's split stays whole.
 */
export const regionShapeSchema = z.strictObject({
  // ISO 3166-2, e.g. IN-MH.
  code: z.string().regex(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, 'must be an ISO 3166-2 code such as IN-MH'),
  name: titleSchema,
  overlays: z.array(overlaySchema).min(1),
});

/** {@link regionShapeSchema} plus its rules: unique keys, known dependencies, no cycles. */
export const regionSchema = regionShapeSchema.superRefine((region, ctx) => {
  checkRegionRules(region, (issue) => {
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], params: { code: issue.code } });
  });
});

/** A validated region with its overlays. */
export type Region = z.output<typeof regionShapeSchema>;
/** One block of compliance milestones of a region. */
export type RegionOverlay = Region['overlays'][number];
/** A compliance milestone a region adds. */
export type OverlayMilestone = RegionOverlay['milestones'][number];
