import { z } from 'zod';
import { DEPENDENCY_TYPES } from '../schedule/index.ts';
import { ROLES } from '../tenancy/index.ts';
import { MILESTONE_KINDS, OWNER_KINDS, OWNER_ROLES, PRIORITIES, RISKS } from './collections.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const date = z.string().min(1).max(40);

/** An owner as written by callers. */
export const ownerSchema = z
  .object({ kind: z.enum(OWNER_KINDS), ref: text(100), role: z.enum(OWNER_ROLES).default('primary') })
  .strict();

/** A dependency as written by callers. */
export const milestoneDependencySchema = z
  .object({
    on: text(64),
    type: z.enum(DEPENDENCY_TYPES).default('finish-to-start'),
    condition: z.string().max(500).optional(),
    lagDays: z.number().int().min(0).max(3650).optional(),
  })
  .strict();

/** Payment terms as written by callers. */
export const milestonePaymentSchema = z
  .object({
    amount: z.number().int().min(0).optional().describe('Integer paise'),
    percent: z.number().min(0).max(100).optional().describe('Share of the contract value, up to two decimals'),
    gstRate: z.number().min(0).max(100).optional(),
    dueInDays: z.number().int().min(0).max(3650).optional(),
    hsnSac: z.string().regex(/^\d{4,8}$/, 'an HSN or SAC code of 4 to 8 digits').optional(),
  })
  .strict();

const fields = {
  parentId: text(64),
  kind: z.enum(MILESTONE_KINDS),
  title: text(300),
  description: z.string().max(10_000),
  type: text(50),
  category: text(100),
  tags: z.array(text(50)).max(50),
  priority: z.enum(PRIORITIES),
  risk: z.enum(RISKS),
  complexity: text(50),
  region: text(20),
  plannedStart: date,
  dueDate: date,
  gracePeriodDays: z.number().int().min(0).max(3650),
  percentComplete: z.number().min(0).max(100),
  payment: milestonePaymentSchema,
  owners: z.array(ownerSchema).max(20),
  dependencies: z.array(milestoneDependencySchema).max(200),
  verificationMethod: z.enum(['manual', 'automated', 'hybrid']),
  visibility: z.array(z.enum(ROLES)).max(ROLES.length),
  customFields: z.record(z.string(), z.unknown()),
};

/** A new milestone. `status` may name any state of the workflow (imports carry it). */
export const milestoneInputSchema = z
  .object({
    projectId: text(64),
    parentId: fields.parentId.optional(),
    kind: fields.kind.default('milestone'),
    title: fields.title,
    description: fields.description.optional(),
    type: fields.type.optional(),
    category: fields.category.optional(),
    tags: fields.tags.optional(),
    priority: fields.priority.optional(),
    risk: fields.risk.optional(),
    complexity: fields.complexity.optional(),
    region: fields.region.optional(),
    plannedStart: fields.plannedStart.optional(),
    dueDate: fields.dueDate.optional(),
    gracePeriodDays: fields.gracePeriodDays.optional(),
    percentComplete: fields.percentComplete.optional(),
    payment: fields.payment.optional(),
    owners: fields.owners.optional(),
    dependencies: fields.dependencies.optional(),
    verificationMethod: fields.verificationMethod.optional(),
    visibility: fields.visibility.optional(),
    customFields: fields.customFields.optional(),
    status: z.string().min(1).max(64).optional(),
  })
  .strict();

/**
 * A change to a milestone: any field of a new one but the project, `null` to clear an optional
 * one, and `version` for optimistic concurrency. `customFields` merge key by key.
 */
export const milestonePatchSchema = z
  .object({
    parentId: fields.parentId.nullable().optional(),
    kind: fields.kind.optional(),
    title: fields.title.optional(),
    description: fields.description.nullable().optional(),
    type: fields.type.nullable().optional(),
    category: fields.category.nullable().optional(),
    tags: fields.tags.optional(),
    priority: fields.priority.nullable().optional(),
    risk: fields.risk.nullable().optional(),
    complexity: fields.complexity.nullable().optional(),
    region: fields.region.nullable().optional(),
    plannedStart: fields.plannedStart.nullable().optional(),
    dueDate: fields.dueDate.nullable().optional(),
    gracePeriodDays: fields.gracePeriodDays.nullable().optional(),
    percentComplete: fields.percentComplete.optional(),
    payment: fields.payment.nullable().optional(),
    owners: fields.owners.optional(),
    dependencies: fields.dependencies.optional(),
    verificationMethod: fields.verificationMethod.nullable().optional(),
    visibility: fields.visibility.nullable().optional(),
    customFields: fields.customFields.optional(),
    status: z.string().min(1).max(64).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();

export type MilestoneInput = z.input<typeof milestoneInputSchema>;
export type MilestonePatch = z.input<typeof milestonePatchSchema>;
export type ParsedMilestoneInput = z.output<typeof milestoneInputSchema>;
export type ParsedMilestonePatch = z.output<typeof milestonePatchSchema>;
