import { createHash } from 'node:crypto';

/**
 * The Message-ID the hub gives a message: derived from its idempotency key, so a retried send
 * carries the same id (receivers that dedupe on Message-ID drop the copy) and a reply's
 * In-Reply-To names the message the hub stored. The key itself is not revealed.
 * @example emailMessageId('probe:ms-42:2025-03-31', 'acme.in') // '<mh.5d1c…@acme.in>'
 */
export function emailMessageId(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 32);
  return `<mh.${digest}@${domain.toLowerCase()}>`;
}

/** The msg-ids (`<...>`) in a Message-ID, In-Reply-To or References value, in order. */
export function messageIdsIn(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...value.matchAll(/<([^<>\s]+)>/g)].map((m) => `<${m[1]}>`);
}
