import { isPaise } from './is-paise.ts';

/** Throws when a caller hands over something that is not integer paise: that is a bug upstream. */
export function assertPaise(value: unknown, name = 'amount'): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of paise, got ${typeof value}`);
  if (!isPaise(value)) throw new RangeError(`${name} must be a safe integer number of paise, got ${String(value)}`);
}
