import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A time-ordered, unguessable id: 48 bits of milliseconds then 80 random bits, in lower-case
 * Crockford base32, behind an optional prefix (`ms_01j...`). Sorting ids sorts by creation time.
 */
export function newId(prefix?: string): string {
  let ms = Date.now();
  let time = '';
  for (let i = 0; i < 10; i += 1) {
    time = ALPHABET[ms % 32]! + time;
    ms = Math.floor(ms / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i += 1) rand += ALPHABET[bytes[i]! % 32]!;
  return prefix ? `${prefix}_${time}${rand}` : `${time}${rand}`;
}
