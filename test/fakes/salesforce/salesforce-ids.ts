import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** Salesforce's case-insensitive suffix: one character per five-character block, flagging capitals. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET.charAt(flags);
  }
  return suffix;
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 18-character form of a 15- or 18-character id, or undefined when the text is not an id. */
export function normalizeId(text: string): string | undefined {
  if (!ID_SHAPE.test(text)) return undefined;
  const id15 = text.slice(0, 15);
  const id18 = id15 + checksumSuffix(id15);
  if (text.length === 18 && text.toUpperCase() !== id18.toUpperCase()) return undefined;
  return id18;
}

function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * Mints ids shaped like a real org's: key prefix, pod, reserved zeros, then a counter. Counters
 * start at an offset so ids contain capitals and the checksum suffix is not a constant `AAA`.
 */
export class IdMinter {
  #counters = new Map<string, number>();

  next(keyPrefix: string): string {
    const count = (this.#counters.get(keyPrefix) ?? 0x2f3a1) + 37;
    this.#counters.set(keyPrefix, count);
    const id15 = `${keyPrefix}5g000${base62(count, 7)}`;
    return id15 + checksumSuffix(id15);
  }

  /** Query locators and outbound notification ids share the id shape. */
  random(keyPrefix: string): string {
    const bytes = randomBytes(9);
    let tail = '';
    for (const byte of bytes) tail += BASE62.charAt(byte % 62);
    const id15 = `${keyPrefix}5g0${tail.slice(0, 9)}`;
    return id15 + checksumSuffix(id15);
  }
}
