import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Random bytes are drawn from the system source a few kilobytes at a time: one call per id costs
// more than the rest of making it. Each byte is used once.
const POOL = Buffer.allocUnsafe(16 * 512);
let offset = POOL.length;

// The time part changes once a millisecond; ids made in the same millisecond share its text.
let lastMs = -1;
let lastTime = '';

/**
 * A time-ordered, unguessable id: 48 bits of milliseconds then 80 random bits, in lower-case
 * Crockford base32, behind an optional prefix (`ms_01j...`). Sorting ids sorts by creation time.
 */
export function newId(prefix?: string): string {
  const now = Date.now();
  if (now !== lastMs) {
    let ms = now;
    let time = '';
    for (let i = 0; i < 10; i += 1) {
      time = ALPHABET[ms % 32]! + time;
      ms = Math.floor(ms / 32);
    }
    lastMs = now;
    lastTime = time;
  }
  if (offset + 16 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  let rand = '';
  for (let i = 0; i < 16; i += 1) rand += ALPHABET[POOL[offset + i]! % 32]!;
  offset += 16;
  return prefix ? `${prefix}_${lastTime}${rand}` : `${lastTime}${rand}`;
}
