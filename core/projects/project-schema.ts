import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);

/** A client contact as written by callers. */
export const clientContactSchema = z
  .object({
    name: text(200),
    email: z.string().max(254).optional(),
    phone: z.string().max(30).optional(),
    whatsapp: z.string().max(30).optional(),
    role: z.string().trim().max(100).optional(),
  })
  .strict();

/** The client as written by callers; GSTIN and state are checked by the domain. */
export const projectClientSchema = z
  .object({
    name: text(200),
    gstin: z.string().max(20).optional(),
    stateCode: z.string().trim().min(1).max(2),
    address: z.string().trim().max(1000).optional(),
    contacts: z.array(clientContactSchema).max(50).optional(),
  })
  .strict();

/** A new project. */
export const projectInputSchema = z
  .object({
    name: text(200),
    code: z.string().trim().max(50).optional(),
    description: z.string().max(5000).optional(),
    client: projectClientSchema,
    contractValue: z.number().int().min(0).describe('Integer paise (₹1 = 100 paise)'),
    currency: z.literal('INR').optional(),
    timeZone: z.string().max(64).optional(),
    startDate: z.string().max(40).optional(),
    tags: z.array(text(50)).max(50).optional(),
    customFields: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A change to a project; every field optional, `client` replaced whole. */
export const projectPatchSchema = projectInputSchema
  .omit({ currency: true })
  .partial()
  .extend({ status: z.enum(['active', 'archived']).optional(), version: z.number().int().positive().optional() })
  .strict();

export type ProjectInput = z.infer<typeof projectInputSchema>;
export type ProjectPatch = z.infer<typeof projectPatchSchema>;
