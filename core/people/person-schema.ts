import { z } from 'zod';
import { PERSON_CHANNELS } from './collections.ts';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written HH:MM, 24-hour');

/** A new person. */
export const personInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.string().max(254).optional(),
    phone: z.string().max(30).optional(),
    whatsapp: z.string().max(30).optional(),
    channels: z.array(z.enum(PERSON_CHANNELS)).max(3).optional(),
    managerId: z.string().min(1).max(64).optional(),
    team: z.string().trim().min(1).max(100).optional(),
    department: z.string().trim().min(1).max(100).optional(),
    quietHours: z.object({ start: clock, end: clock, timeZone: z.string().max(64).optional() }).strict().optional(),
    locale: z.string().min(2).max(35).optional(),
    apiKeyIds: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict();

/** A change to a person; `null` clears an optional field. */
export const personPatchSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.string().max(254).nullable().optional(),
    phone: z.string().max(30).nullable().optional(),
    whatsapp: z.string().max(30).nullable().optional(),
    channels: z.array(z.enum(PERSON_CHANNELS)).max(3).optional(),
    managerId: z.string().min(1).max(64).nullable().optional(),
    team: z.string().trim().min(1).max(100).nullable().optional(),
    department: z.string().trim().min(1).max(100).nullable().optional(),
    quietHours: z.object({ start: clock, end: clock, timeZone: z.string().max(64).optional() }).strict().nullable().optional(),
    locale: z.string().min(2).max(35).nullable().optional(),
    apiKeyIds: z.array(z.string().min(1).max(64)).max(20).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();

export type PersonInput = z.infer<typeof personInputSchema>;
export type PersonPatch = z.infer<typeof personPatchSchema>;
