import type { BaseDoc, CollectionDef } from '../store/index.ts';
import type { Channel } from './channels.ts';

/**
 * A recorded opt-out. People are found by `personId`; an address that no person holds (a client
 * contact, a number that texted STOP) by `channel` and `address`. `all` stops every message,
 * `channels` only those.
 */
export interface OptOutDoc extends BaseDoc {
  personId?: string;
  /** For an address opt-out: the channel family (`email`, or `sms`/`whatsapp` for a phone). */
  channel?: Channel;
  /** Canonical form (lower-case email, E.164 phone). */
  address?: string;
  all: boolean;
  channels: Channel[];
  /** Who recorded it: an admin through the API, a provider (Twilio 21610 after STOP), a reply. */
  source: 'api' | 'provider' | 'reply';
  reason?: string;
  at: Date;
}

/** Opt-outs, one per person or address (`_id` is {@link optOutId}). */
export const optOutsCollection: CollectionDef<OptOutDoc> = {
  name: 'notification_opt_outs',
  scope: 'tenant',
  indexes: [{ fields: { tenantId: 1, address: 1 } }],
};

/** The id of the opt-out of a person, or of an address on a channel (phones share SMS and WhatsApp). */
export function optOutId(tenantId: string, of: { personId: string } | { channel: Channel; address: string }): string {
  if ('personId' in of) return `${tenantId}:person:${of.personId}`;
  return `${tenantId}:${of.channel === 'email' ? 'email' : 'phone'}:${of.address}`;
}
