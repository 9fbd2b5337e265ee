import { z } from 'zod';
import { dependencyTypes } from './template-vocabulary.ts';

/** A key: kebab-case, so that `:` stays free to mark repetitions (`slab:3`) and regions (`in-mh:...`). */
export const keySchema = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters and digits joined by single hyphens');

/** A title shown to people. */
export const titleSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A number of working days; ten years is far beyond any real milestone. */
export const workingDaysSchema = z.int().min(0).max(3650);

/** A dependency on another milestone or sub-milestone of the same template (or overlay). */
export const dependencySchema = z.strictObject({
  key: keySchema,
  type: z.enum(dependencyTypes).default('finish-to-start'),
  lagDays: workingDaysSchema.default(0),
});

/** How each repetition of a repeatable phase or milestone waits for the one before it. */
export const repeatDependencySchema = z.strictObject({
  type: z.enum(dependencyTypes).default('finish-to-start'),
  lagDays: workingDaysSchema.default(0),
});

/** A GST rate in percent, e.g. 18 or 0.25; two decimals cover every rate notified so far. */
export const gstRateSchema = z
  .number()
  .min(0)
  .max(40)
  .refine((rate) => Math.abs(rate * 100 - Math.round(rate * 100)) < 1e-9, 'must have at most two decimals');

/** An HSN code (goods) or SAC code (services): 4, 6 or 8 digits, written as a string to keep leading zeros. */
export const hsnSacSchema = z.string().regex(/^(?:\d{4}|\d{6}|\d{8})$/, 'must be a 4, 6 or 8 digit HSN or SAC code, as a string');

/** A share of the contract value in basis points: 1 bp = 0.01%, 10000 bp = 100%. */
export const basisPointsSchema = z.int().min(1).max(10_000);
