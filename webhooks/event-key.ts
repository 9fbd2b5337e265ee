import { createHash } from 'node:crypto';

/** The dedupe key of one delivery: the provider's event id, or a SHA-256 of the body when it sends none. */
export function eventKey(providerEventId: string | undefined, rawBody: Uint8Array): { key: string; source: 'provider' | 'body' } {
  if (providerEventId) return { key: providerEventId, source: 'provider' };
  return { key: `sha256:${createHash('sha256').update(rawBody).digest('hex')}`, source: 'body' };
}
