import { findGstState } from './state-codes.ts';
import type { GstState } from './state-codes.ts';

const CODE_POINTS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A GSTIN taken apart. */
export interface Gstin {
  /** Upper case, without surrounding spaces. */
  gstin: string;
  stateCode: string;
  state: GstState;
  pan: string;
  /** Which registration of this PAN in this state: 1–9, then A–Z. */
  entityNumber: string;
  checkCharacter: string;
}

/** Why a GSTIN was refused. */
export type GstinError =
  | { code: 'gstin_format'; message: string }
  | { code: 'gstin_unknown_state'; message: string; stateCode: string }
  | { code: 'gstin_check_digit'; message: string; expected: string; actual: string }
  | { code: 'gstin_state_mismatch'; message: string; gstinStateCode: string; stateCode: string };

/** The outcome of {@link validateGstin}. */
export type GstinResult = { ok: true; value: Gstin } | { ok: false; error: GstinError };

const PARTS: ReadonlyArray<[RegExp, string]> = [
  [/^[0-9]{2}/, 'characters 1–2 must be the two-digit state code'],
  [/^.{2}[A-Z]{5}[0-9]{4}[A-Z]/, 'characters 3–12 must be a PAN (five letters, four digits, a letter)'],
  [/^.{12}[1-9A-Z]/, 'character 13 must be the entity number, 1–9 or A–Z'],
  [/^.{13}Z/, "character 14 must be 'Z'"],
  [/^.{14}[0-9A-Z]$/, 'character 15 must be a check character, 0–9 or A–Z'],
];

/**
 * The check character for the first 14 characters of a GSTIN: GSTN's mod-36 Luhn variant.
 * Each code point (0–9, A–Z as 0–35) is multiplied by 1, 2, 1, 2 … from the left; each product
 * contributes its quotient plus remainder by 36; the check is (36 − sum mod 36) mod 36.
 * Throws a TypeError for input that is not 14 code points: check the format first.
 *
 * @example gstinCheckCharacter('27AAPFU0939F1Z') // 'V'
 */
export function gstinCheckCharacter(first14: string): string {
  if (!/^[0-9A-Z]{14}$/.test(first14)) throw new TypeError('expected the first 14 characters of a GSTIN');
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const product = CODE_POINTS.indexOf(first14[i] as string) * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return CODE_POINTS[(36 - (sum % 36)) % 36] as string;
}

/**
 * Validates a regular taxpayer's GSTIN: its format, its state code and its check character,
 * in that order, and when `stateCode` is given, that the GSTIN belongs to that state.
 * Spaces around it and lower case are accepted. Special registrations with another layout
 * (UN bodies, non-resident OIDAR suppliers, TDS/TCS deductors) are refused as `gstin_format`.
 *
 * @example validateGstin('27AAPFU0939F1ZV') // { ok: true, value: { stateCode: '27', pan: 'AAPFU0939F', ... } }
 * @example validateGstin('27AAPFU0939F1ZW') // { ok: false, error: { code: 'gstin_check_digit', expected: 'V', ... } }
 */
export function validateGstin(input: string, options: { stateCode?: string } = {}): GstinResult {
  const gstin = input.trim().toUpperCase();
  if (gstin.length !== 15) {
    return { ok: false, error: { code: 'gstin_format', message: `a GSTIN has 15 characters, got ${gstin.length}` } };
  }
  for (const [pattern, message] of PARTS) {
    if (!pattern.test(gstin)) return { ok: false, error: { code: 'gstin_format', message } };
  }
  const stateCode = gstin.slice(0, 2);
  const state = findGstState(stateCode);
  if (!state) {
    const message = `'${stateCode}' is not a GST state code`;
    return { ok: false, error: { code: 'gstin_unknown_state', stateCode, message } };
  }
  const expected = gstinCheckCharacter(gstin.slice(0, 14));
  const actual = gstin.slice(14);
  if (expected !== actual) {
    return {
      ok: false,
      error: {
        code: 'gstin_check_digit',
        expected,
        actual,
        message: `the check character is '${actual}' but should be '${expected}'; the GSTIN is mistyped`,
      },
    };
  }
  if (options.stateCode !== undefined) {
    const match = checkGstinState(gstin, options.stateCode);
    if (!match.ok) return match;
  }
  return {
    ok: true,
    value: { gstin, stateCode, state, pan: gstin.slice(2, 12), entityNumber: gstin.slice(12, 13), checkCharacter: actual },
  };
}

/**
 * Checks that a GSTIN belongs to the given GST state code (a place of business in Karnataka
 * must carry a `29…` GSTIN). Passes when either is missing, so it can run on partial records.
 * Only compares; use {@link validateGstin} to check the GSTIN itself.
 *
 * @example checkGstinState('29AAGCB7383J1Z4', '27') // { ok: false, error: { code: 'gstin_state_mismatch', ... } }
 */
export function checkGstinState(
  gstin: string | undefined,
  stateCode: string | undefined,
): { ok: true } | { ok: false; error: Extract<GstinError, { code: 'gstin_state_mismatch' }> } {
  if (!gstin || !stateCode) return { ok: true };
  const gstinStateCode = gstin.trim().slice(0, 2);
  if (gstinStateCode === stateCode.trim()) return { ok: true };
  const named = (code: string) => {
    const state = findGstState(code);
    return state ? `${code} (${state.name})` : code;
  };
  return {
    ok: false,
    error: {
      code: 'gstin_state_mismatch',
      gstinStateCode,
      stateCode,
      message: `the GSTIN is registered in ${named(gstinStateCode)}, not ${named(stateCode.trim())}`,
    },
  };
}
