import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `count` new ids in ascending order, in the store's id format (`prefix_` + 48 bits of
 * milliseconds + 80 random bits, lower-case Crockford base32; see core/store `newId`). Ids sort
 * by creation time only to the millisecond, so a batch made in one millisecond is sorted before
 * use: lists ordered by id then keep the batch's order (a template's rows, an import's records).
 * One call to the random source serves the whole batch, which matters for thousands of ids.
 */
export function orderedIds(prefix: string, count: number): string[] {
  let ms = Date.now();
  let time = '';
  for (let i = 0; i < 10; i += 1) {
    time = ALPHABET[ms % 32]! + time;
    ms = Math.floor(ms / 32);
  }
  const bytes = randomBytes(16 * count);
  const ids = new Array<string>(count);
  for (let i = 0; i < count; i += 1) {
    let rand = '';
    for (let j = 0; j < 16; j += 1) rand += ALPHABET[bytes[i * 16 + j]! % 32]!;
    ids[i] = `${prefix}_${time}${rand}`;
  }
  return ids.sort();
}
