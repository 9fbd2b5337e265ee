/**
 * Whether a value is a valid amount in paise: a safe integer (negative allowed).
 *
 * @example isPaise(1999) // true
 * @example isPaise(19.99) // false
 */
export function isPaise(value: unknown): value is number {
  return Number.isSafeInteger(value);
}
