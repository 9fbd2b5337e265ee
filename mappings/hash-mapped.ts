import { createHash } from 'node:crypto';
import { stableJson } from './stable-json.ts';

/**
 * SHA-256 (hex) of mapped output with keys in a stable order, so the same values always hash the
 * same however they were built. Compare it with the hash stored on the link to recognise the
 * echo of a write the hub made itself.
 */
export function hashMapped(output: unknown): string {
  return createHash('sha256').update(stableJson(output)).digest('hex');
}
