import { z } from 'zod';
import { VERIFICATION_METHODS } from '../milestones/index.ts';
import { ROLES } from '../tenancy/index.ts';
import { conditionSchema } from '../workflow/index.ts';

/** One approver: an API key role, or a person. */
export const approverSchema = z.union([
  z.object({ role: z.enum(ROLES) }).strict(),
  z.object({ personId: z.string().min(1).max(64) }).strict(),
]);

/** Sequential steps, or any `required` of the approvers. */
export const approvalChainSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('sequential'), steps: z.array(approverSchema).min(1).max(10) }).strict(),
  z.object({ mode: z.literal('quorum'), required: z.number().int().min(1).max(20), approvers: z.array(approverSchema).min(1).max(20) }).strict(),
]);

/** A verification request. `approvers` alone is a sequential chain. */
export const verificationRequestSchema = z
  .object({
    method: z.enum(VERIFICATION_METHODS).optional(),
    chain: approvalChainSchema.optional(),
    approvers: z.array(approverSchema).min(1).max(10).optional(),
    automated: z
      .object({
        condition: conditionSchema.optional(),
        signal: z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/, 'a signal name like jira.issue.done').optional(),
        connectionId: z.string().min(1).max(64).optional(),
      })
      .strict()
      .optional(),
    note: z.string().trim().max(2000).optional(),
    evidence: z.array(z.unknown()).max(20).optional(),
  })
  .strict()
  .refine((r) => !(r.chain && r.approvers), { message: 'give chain or approvers, not both', path: ['approvers'] });

/** An approver's decision. */
export const decisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    comment: z.string().trim().max(2000).optional(),
    evidence: z.array(z.unknown()).max(20).optional(),
  })
  .strict();

/** What a connector reports for an automated check. */
export const signalSchema = z
  .object({
    signal: z.string().regex(/^[a-z][a-z0-9_.-]{0,99}$/),
    passed: z.boolean().default(true),
    detail: z.string().max(2000).optional(),
  })
  .strict();

export type VerificationRequest = z.input<typeof verificationRequestSchema>;
export type DecisionInput = z.input<typeof decisionSchema>;
export type SignalInput = z.input<typeof signalSchema>;
