import { assertPaise } from './assert-paise.ts';

const UNDER_TWENTY = [
  'Zero', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten',
  'Eleven', 'Twelve', 'Thirteen', 'Fourteen', 'Fifteen', 'Sixteen', 'Seventeen', 'Eighteen', 'Nineteen',
] as const;
const TENS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'] as const;

const CRORE = 10_000_000;
const LAKH = 100_000;
const THOUSAND = 1_000;

/**
 * Spells an amount in paise the way Indian invoices print it, in Indian numbering.
 *
 * Rules:
 * - `Rupees … Only`, with `Rupee One` in the singular;
 * - paise after ` and `: `One Paisa` in the singular, `Two Paise` and up in the plural;
 * - paise alone drop the rupees (`Fifty Paise Only`); zero is `Rupees Zero Only`;
 * - Title Case, hyphenated tens (`Eighty-Nine`), no "and" inside a number;
 * - crores beyond ninety-nine are themselves spelled in lakh and thousand
 *   (`One Lakh Crore` for 10^12 rupees), which covers every safe integer of paise;
 * - negative amounts start with `Minus`.
 *
 * Throws a RangeError when `paise` is not a safe integer.
 *
 * @example amountInWords(12345678901)
 * // 'Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine and One Paisa Only'
 * @example amountInWords(100) // 'Rupee One Only'
 */
export function amountInWords(paise: number): string {
  assertPaise(paise, 'paise');
  const magnitude = Math.abs(paise);
  const rupees = Math.floor(magnitude / 100);
  const cents = magnitude % 100;
  const parts: string[] = [];
  if (rupees > 0 || cents === 0) parts.push(`${rupees === 1 ? 'Rupee' : 'Rupees'} ${spellIndian(rupees)}`);
  if (cents > 0) parts.push(`${spellIndian(cents)} ${cents === 1 ? 'Paisa' : 'Paise'}`);
  const words = `${parts.join(' and ')} Only`;
  return paise < 0 ? `Minus ${words}` : words;
}

function spellIndian(n: number): string {
  if (n === 0) return UNDER_TWENTY[0];
  const words: string[] = [];
  const crores = Math.floor(n / CRORE);
  if (crores > 0) words.push(`${spellIndian(crores)} Crore`);
  const lakhs = Math.floor((n % CRORE) / LAKH);
  if (lakhs > 0) words.push(`${spellUnderHundred(lakhs)} Lakh`);
  const thousands = Math.floor((n % LAKH) / THOUSAND);
  if (thousands > 0) words.push(`${spellUnderHundred(thousands)} Thousand`);
  const hundreds = Math.floor((n % THOUSAND) / 100);
  if (hundreds > 0) words.push(`${spellUnderHundred(hundreds)} Hundred`);
  const rest = n % 100;
  if (rest > 0) words.push(spellUnderHundred(rest));
  return words.join(' ');
}

function spellUnderHundred(n: number): string {
  if (n < 20) return UNDER_TWENTY[n] ?? '';
  const unit = n % 10;
  const tens = TENS[Math.floor(n / 10)] ?? '';
  return unit === 0 ? tens : `${tens}-${UNDER_TWENTY[unit] ?? ''}`;
}
