import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../money/index.ts';
import { CHANNELS } from './channels.ts';
import type { Channel, Urgency } from './channels.ts';
import { quietHoursEnd, quietHoursSchema } from './quiet-hours.ts';
import type { QuietHours } from './quiet-hours.ts';

/** What delivery planning needs to know about a person. */
export interface ContactPerson {
  id?: string;
  /** Address per channel: email address, phone for SMS, phone for WhatsApp. */
  contacts: Partial<Record<Channel, string>>;
  /** Channels in the person's order of preference. */
  preferredChannels?: readonly Channel[];
  /** `all` stops every message; `channels` stops those channels only. */
  optOut?: { all?: boolean; channels?: readonly Channel[] };
  /** The person's own quiet hours; undefined uses the tenant's, null means none. */
  quietHours?: QuietHours | null;
}

/** A tenant's delivery policy. */
export const deliveryPolicySchema = z.strictObject({
  /** Tenant-wide quiet hours, used for people without their own. */
  quietHours: quietHoursSchema.nullable().default({ start: '21:00', end: '08:00' }),
  /** Let `critical` messages through quiet hours. Opt-outs are never bypassed. */
  criticalBypassesQuietHours: z.boolean().default(false),
  /** Order for channels a person has an address for but did not list as preferred. */
  channelOrder: z.array(z.enum(CHANNELS)).default(['whatsapp', 'email', 'sms']),
  /** Fall back to channels the person did not list as preferred. */
  fallbackBeyondPreferred: z.boolean().default(true),
});

/** Parsed {@link deliveryPolicySchema}. */
export type DeliveryPolicy = z.output<typeof deliveryPolicySchema>;

/** The defaults of {@link deliveryPolicySchema}: 21:00–08:00 quiet hours, WhatsApp first. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = deliveryPolicySchema.parse({});

/** Where and when to send. */
export interface DeliveryPlan {
  /** Channels to try, best first. */
  channels: Channel[];
  /** The same, with the address to use on each. */
  targets: Array<{ channel: Channel; address: string }>;
  /** `now`, or the end of quiet hours. */
  sendAt: Date;
  deferred: boolean;
  /** True when a critical message went through quiet hours. */
  bypassedQuietHours: boolean;
}

/** Why nothing can be sent. */
export type DeliveryPlanError =
  | { code: 'opted_out'; message: string }
  | { code: 'no_channel'; message: string };

/** The outcome of {@link planDelivery}. */
export type PlanDeliveryResult = { ok: true; value: DeliveryPlan } | { ok: false; error: DeliveryPlanError };

/**
 * Orders a person's channels and decides when to send. Channels come in the person's order of
 * preference, then (unless the policy says not to) the others they have an address for in the
 * tenant's order; a channel must be active for the tenant, have an address and not be opted
 * out of. Quiet hours are the person's own or the tenant's, in the tenant's zone; a message
 * that falls inside them waits for their end, unless it is critical and the policy lets
 * critical messages through.
 */
export function planDelivery(args: {
  person: ContactPerson;
  now: Date;
  tenantZone?: string;
  activeChannels: readonly Channel[];
  urgency?: Urgency;
  policy?: DeliveryPolicy;
}): PlanDeliveryResult {
  const { person, now, activeChannels, urgency = 'normal', policy = DEFAULT_DELIVERY_POLICY } = args;
  const tenantZone = args.tenantZone ?? DEFAULT_TIME_ZONE;
  if (person.optOut?.all) return { ok: false, error: { code: 'opted_out', message: 'the person has opted out of all messages' } };

  const optedOut = new Set(person.optOut?.channels ?? []);
  const active = new Set(activeChannels);
  const preferred = person.preferredChannels ?? [];
  const order = policy.fallbackBeyondPreferred ? [...preferred, ...policy.channelOrder, ...CHANNELS] : [...preferred];
  const targets: Array<{ channel: Channel; address: string }> = [];
  const seen = new Set<Channel>();
  for (const channel of order) {
    if (seen.has(channel)) continue;
    seen.add(channel);
    const address = person.contacts[channel]?.trim();
    if (!address || optedOut.has(channel) || !active.has(channel)) continue;
    targets.push({ channel, address });
  }
  if (targets.length === 0) {
    // Say "opted out" only when an opt-out is what stands in the way.
    const blockedByOptOut = [...seen].some((c) => optedOut.has(c) && active.has(c) && Boolean(person.contacts[c]?.trim()));
    return blockedByOptOut
      ? { ok: false, error: { code: 'opted_out', message: 'the person has opted out of every channel that could reach them' } }
      : { ok: false, error: { code: 'no_channel', message: 'no active channel reaches this person' } };
  }

  const quiet = person.quietHours === undefined ? policy.quietHours : person.quietHours;
  const quietEnd = quiet ? quietHoursEnd(now, quiet, tenantZone) : null;
  const bypass = quietEnd !== null && urgency === 'critical' && policy.criticalBypassesQuietHours;
  const sendAt = quietEnd === null || bypass ? now : quietEnd;
  return {
    ok: true,
    value: { channels: targets.map((t) => t.channel), targets, sendAt, deferred: sendAt !== now, bypassedQuietHours: bypass },
  };
}
