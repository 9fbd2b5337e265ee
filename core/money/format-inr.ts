import { assertPaise } from './assert-paise.ts';
import { toDevanagariDigits } from './devanagari-digits.ts';
import { groupIndian } from './group-indian.ts';
import { languageOf } from './inr-locale.ts';
import type { DigitSystem, InrLocale } from './inr-locale.ts';
import { roundDiv } from './round-div.ts';

/** Options for {@link formatInr}. */
export interface FormatInrOptions {
  /** Print the `₹` sign. @default true */
  symbol?: boolean;
  /** Print `₹1,500` instead of `₹1,500.00` when the paise are zero. @default false */
  dropZeroPaise?: boolean;
  /**
   * Abbreviate amounts of a lakh and above (`₹12.35 L`, `₹1.23 Cr`; Hindi `लाख`, `करोड़`).
   * Smaller amounts print in full. Compact output is rounded, so it is for display only.
   * @default false
   */
  compact?: boolean;
  /** Most fraction digits in compact form; trailing zeros are dropped (`₹1.5 Cr`). @default 2 */
  compactDigits?: number;
  /** @default 'en-IN' */
  locale?: InrLocale;
  /** @default 'latn' */
  digits?: DigitSystem;
  /** `minus` prints `-₹5.00`; `parentheses` prints `(₹5.00)` as ledgers do. @default 'minus' */
  negative?: 'minus' | 'parentheses';
}

const PAISE_PER_LAKH = 10_000_000n;
const PAISE_PER_CRORE = 1_000_000_000n;

const UNITS = {
  en: { lakh: 'L', crore: 'Cr' },
  hi: { lakh: 'लाख', crore: 'करोड़' },
} as const;

/**
 * Formats integer paise as Indian rupees with Indian digit grouping.
 *
 * Throws a RangeError when `paise` is not a safe integer: amounts must be validated before they
 * reach display code.
 *
 * @example formatInr(12345678901) // '₹12,34,56,789.01'
 * @example formatInr(-50000, { dropZeroPaise: true }) // '-₹500'
 * @example formatInr(12345678901, { compact: true }) // '₹12.35 Cr'
 * @example formatInr(123456700, { compact: true, locale: 'hi-IN' }) // '₹12.35 लाख'
 */
export function formatInr(paise: number, options: FormatInrOptions = {}): string {
  assertPaise(paise, 'paise');
  const {
    symbol = true,
    dropZeroPaise = false,
    compact = false,
    compactDigits = 2,
    locale = 'en-IN',
    digits = 'latn',
    negative = 'minus',
  } = options;
  const language = languageOf(locale);
  if (!Number.isInteger(compactDigits) || compactDigits < 0 || compactDigits > 7) {
    throw new RangeError(`compactDigits must be an integer from 0 to 7, got ${String(compactDigits)}`);
  }
  if (digits !== 'latn' && digits !== 'deva') throw new RangeError(`unsupported digits ${String(digits)}`);

  const magnitude = BigInt(Math.abs(paise));
  let body = compact && magnitude >= PAISE_PER_LAKH
    ? compactBody(magnitude, compactDigits, language)
    : fullBody(magnitude, dropZeroPaise);
  if (digits === 'deva') body = toDevanagariDigits(body);
  const amount = symbol ? `₹${body}` : body;
  if (paise >= 0) return amount;
  return negative === 'parentheses' ? `(${amount})` : `-${amount}`;
}

function fullBody(magnitude: bigint, dropZeroPaise: boolean): string {
  const rupees = groupIndian((magnitude / 100n).toString());
  const paise = magnitude % 100n;
  if (paise === 0n && dropZeroPaise) return rupees;
  return `${rupees}.${paise.toString().padStart(2, '0')}`;
}

function compactBody(magnitude: bigint, fractionDigits: number, language: 'en' | 'hi'): string {
  const scale = 10n ** BigInt(fractionDigits);
  let unit: 'lakh' | 'crore' = magnitude >= PAISE_PER_CRORE ? 'crore' : 'lakh';
  let scaled = roundDiv(magnitude * scale, unit === 'crore' ? PAISE_PER_CRORE : PAISE_PER_LAKH, 'half-up');
  // 99,99,999.99 rupees rounds to "100 L"; nobody writes that, it is "1 Cr".
  if (unit === 'lakh' && scaled >= 100n * scale) {
    unit = 'crore';
    scaled = roundDiv(magnitude * scale, PAISE_PER_CRORE, 'half-up');
  }
  const whole = groupIndian((scaled / scale).toString());
  const fraction = fractionDigits === 0 ? '' : (scaled % scale).toString().padStart(fractionDigits, '0').replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''} ${UNITS[language][unit]}`;
}
