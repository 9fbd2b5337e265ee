import { fromDevanagariDigits } from './devanagari-digits.ts';
import { fail, ok } from './money-result.ts';
import type { MoneyResult } from './money-result.ts';
import { toSafePaise } from './to-safe-paise.ts';

/** Why {@link parseInr} refused a text. */
export type ParseInrErrorCode = 'empty' | 'unparseable' | 'too-precise' | 'out-of-range';

const CRORE = '\u0915\u0930\u094B\u0921\u093C';
const LAKH = '\u0932\u093E\u0916';
const RU = '\u0930\u0941';
const RU_LONG = '\u0930\u0942';

const PATTERN = new RegExp(
  '^(?<open>\\()?\\s*(?<lead>[-\u2212])?\\s*' +
    `(?<currency>\u20B9|rs\\.?|inr|${RU}\\.?|${RU_LONG}\\.?)?\\s*` +
    '(?<inner>[-\u2212])?\\s*' +
    '(?<integer>\\d[\\d,]*)(?:\\.(?<fraction>\\d+))?\\s*' +
    `(?<unit>crores?|cr\\.?|${CRORE}|lakhs?|lacs?|l|${LAKH})?\\s*` +
    '(?:/-)?\\s*(?<close>\\))?$',
  'iu',
);

const PAISE_PER_UNIT = { rupee: 100n, lakh: 10_000_000n, crore: 1_000_000_000n } as const;

/**
 * Reads an amount of rupees typed by a person or printed by {@link formatInr} into integer paise.
 *
 * Accepts `₹`, `Rs.`, `INR` or `रु`; Indian (`1,23,456`) or international (`123,456`) grouping;
 * Western or Devanagari digits; a lakh or crore unit (`12 lakh`, `1.5 Cr`, `2 करोड़`); a trailing
 * `/-`; and negatives as `-₹5` or `(₹5)`. It never rounds: more precision than a paisa is refused.
 *
 * @example parseInr('₹1,23,456.78') // { ok: true, value: 12345678 }
 * @example parseInr('1.5 Cr') // { ok: true, value: 1500000000 }
 * @example parseInr('₹0.001') // { ok: false, error: { code: 'too-precise', ... } }
 */
export function parseInr(text: string): MoneyResult<number, ParseInrErrorCode> {
  const normalized = fromDevanagariDigits(text.normalize('NFC')).replace(/[\u00A0\u2009\u202F]/g, ' ').trim();
  if (normalized === '') return fail('empty', 'no amount given');
  const groups = PATTERN.exec(normalized)?.groups;
  if (!groups) return fail('unparseable', `not an amount in rupees: ${text}`);
  const { open, lead, inner, integer = '', fraction = '', unit, close } = groups;
  if (Boolean(open) !== Boolean(close)) return fail('unparseable', `unbalanced parentheses: ${text}`);
  const signs = [open, lead, inner].filter(Boolean).length;
  if (signs > 1) return fail('unparseable', `more than one negative sign: ${text}`);
  if (!hasValidGrouping(integer)) return fail('unparseable', `digit grouping is not Indian or international: ${text}`);

  const mantissa = BigInt(integer.replaceAll(',', '') + fraction);
  const scale = 10n ** BigInt(fraction.length);
  const product = mantissa * PAISE_PER_UNIT[unitOf(unit)];
  if (product % scale !== 0n) return fail('too-precise', `more precise than one paisa: ${text}`);
  const magnitude = toSafePaise(product / scale);
  if (magnitude === undefined) return fail('out-of-range', `beyond the largest supported amount: ${text}`);
  return ok(signs === 1 && magnitude !== 0 ? -magnitude : magnitude);
}

function unitOf(unit: string | undefined): keyof typeof PAISE_PER_UNIT {
  if (unit === undefined) return 'rupee';
  const lower = unit.toLowerCase();
  if (lower.startsWith('c') || unit === CRORE) return 'crore';
  return 'lakh';
}

// "1,2,3" is a typo, not 123: commas must sit where one of the two conventions puts them.
function hasValidGrouping(integer: string): boolean {
  if (!integer.includes(',')) return true;
  const groups = integer.split(',');
  const first = groups[0] ?? '';
  const last = groups.at(-1) ?? '';
  const middle = groups.slice(1, -1);
  if (last.length !== 3 || first.length === 0) return false;
  const indian = first.length <= 2 && middle.every((g) => g.length === 2);
  const international = first.length <= 3 && middle.every((g) => g.length === 3);
  return indian || international;
}
