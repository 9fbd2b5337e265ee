import { z } from 'zod';
import { failWith, invalid, issuesFromZod, succeed, type DomainContext, type DomainResult } from '../../core/domain/index.ts';
import { CHANNELS, optOutId, optOutsCollection, type Channel } from '../../core/notifications/index.ts';
import { getPerson, updatePerson, type PersonDoc } from '../../core/people/index.ts';

/** How a person wants to be reached: channel order and quiet hours (on the person) and opt-out. */
export interface ContactPreferences {
  personId: string;
  channels: Channel[];
  quietHours: PersonDoc['quietHours'] | null;
  optOut: { all: boolean; channels: Channel[]; reason?: string; at?: Date; source?: string };
  locale?: string;
  version: number;
}

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written HH:MM, 24-hour');

/** A change to a person's contact preferences; omitted parts stay as they are. */
export const contactPreferencesPatchSchema = z
  .object({
    channels: z.array(z.enum(CHANNELS)).max(3).optional(),
    quietHours: z.object({ start: clock, end: clock, timeZone: z.string().max(64).optional() }).strict().nullable().optional(),
    optOut: z
      .object({ all: z.boolean().default(false), channels: z.array(z.enum(CHANNELS)).max(3).default([]), reason: z.string().max(500).optional() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

/** A person's contact preferences, or null when there is no such person. */
export async function getContactPreferences(ctx: Pick<DomainContext, 'db'>, personId: string): Promise<ContactPreferences | null> {
  const person = await getPerson(ctx.db, personId);
  if (person === null) return null;
  const optOut = await ctx.db.collection(optOutsCollection).findById(optOutId(ctx.db.tenantId, { personId }));
  return {
    personId,
    channels: person.channels,
    quietHours: person.quietHours ?? null,
    optOut: optOut
      ? { all: optOut.all, channels: optOut.channels, at: optOut.at, source: optOut.source, ...(optOut.reason !== undefined ? { reason: optOut.reason } : {}) }
      : { all: false, channels: [] },
    ...(person.locale !== undefined ? { locale: person.locale } : {}),
    version: person.revision,
  };
}

/**
 * Changes a person's channel order and quiet hours (through the people service, so they are
 * checked and audited as any person change) and records or clears their opt-out. `optOut: null`
 * or `{ all: false, channels: [] }` opts the person back in.
 */
export async function updateContactPreferences(ctx: DomainContext, personId: string, input: unknown): Promise<DomainResult<ContactPreferences>> {
  const parsed = contactPreferencesPatchSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const patch = parsed.data;
  if (patch.channels !== undefined || patch.quietHours !== undefined) {
    const changed = await updatePerson(ctx, personId, {
      ...(patch.channels !== undefined ? { channels: patch.channels } : {}),
      ...(patch.quietHours !== undefined ? { quietHours: patch.quietHours } : {}),
    });
    if (!changed.ok) return failWith(changed.error);
  } else if ((await getPerson(ctx.db, personId)) === null) {
    return failWith({ code: 'not_found', message: 'No such person' });
  }
  if (patch.optOut !== undefined) {
    const id = optOutId(ctx.db.tenantId, { personId });
    const optOuts = ctx.db.collection(optOutsCollection);
    if (patch.optOut === null || (!patch.optOut.all && patch.optOut.channels.length === 0)) {
      await optOuts.deleteOne({ _id: id });
    } else {
      await optOuts.updateOne(
        { _id: id },
        {
          $set: { personId, all: patch.optOut.all, channels: [...new Set(patch.optOut.channels)], source: 'api', at: ctx.now(), ...(patch.optOut.reason !== undefined ? { reason: patch.optOut.reason } : {}) },
          ...(patch.optOut.reason === undefined ? { $unset: { reason: true as const } } : {}),
        },
        { upsert: true },
      );
    }
  }
  const after = await getContactPreferences(ctx, personId);
  return after === null ? failWith({ code: 'not_found', message: 'No such person' }) : succeed(after);
}
