import { timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings; different lengths are simply unequal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(a, b);
}
