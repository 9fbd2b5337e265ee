import { describe, expect, it } from 'vitest';
import {
  checkGstinState,
  findGstState,
  findGstStateByAbbreviation,
  GST_STATES,
  gstinCheckCharacter,
  isGstStateCode,
  validateGstin,
} from '../../core/gst/index.ts';

// GSTINs that appear in public examples and registrations, each with a correct check character.
const PUBLISHED = [
  ['27AAPFU0939F1ZV', '27', 'Maharashtra'],
  ['29AAGCB7383J1Z4', '29', 'Karnataka'],
  ['07AAGFF2194N1Z1', '07', 'Delhi'],
  ['33AACCM9093R1ZP', '33', 'Tamil Nadu'],
  ['27AAACA3622K1ZV', '27', 'Maharashtra'],
] as const;

describe('validateGstin', () => {
  it.each(PUBLISHED)('accepts the published GSTIN %s', (gstin, stateCode, stateName) => {
    const result = validateGstin(gstin);
    expect(result).toMatchObject({ ok: true, value: { gstin, stateCode, pan: gstin.slice(2, 12), checkCharacter: gstin[14] } });
    if (result.ok) expect(result.value.state.name).toBe(stateName);
  });

  it('computes the check character from the first 14 characters', () => {
    for (const [gstin] of PUBLISHED) expect(gstinCheckCharacter(gstin.slice(0, 14))).toBe(gstin[14]);
  });

  it('normalises case and surrounding spaces', () => {
    expect(validateGstin('  27aapfu0939f1zv ')).toMatchObject({ ok: true, value: { gstin: '27AAPFU0939F1ZV' } });
  });

  it('refuses a wrong check character and says which one it expected', () => {
    expect(validateGstin('27AAPFU0939F1ZW')).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'gstin_check_digit', expected: 'V', actual: 'W' }),
    });
  });

  it.each([
    ['27AAPFU0938F1ZV', 'one PAN digit changed'],
    ['27AAPFV0939F1ZV', 'one PAN letter changed'],
    ['27AAPFU0939F2ZV', 'entity number changed'],
    ['29AAPFU0939F1ZV', 'state code changed to another real state'],
    ['27AAPFU9039F1ZV', 'two adjacent digits swapped'],
  ])('catches tampering: %s (%s)', (gstin) => {
    const result = validateGstin(gstin);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('gstin_check_digit');
  });

  it.each([
    ['27AAPFU0939F1Z', 'too short'],
    ['27AAPFU0939F1ZVX', 'too long'],
    ['2AAAPFU0939F1ZV', 'state code not two digits'],
    ['27AAPF00939F1ZV', 'PAN with a digit among its letters'],
    ['27AAPFU0939F0ZV', 'entity number 0'],
    ['27AAPFU0939F1YV', "14th character not 'Z'"],
    ['27AAPFU0939F1Z-', 'check character not alphanumeric'],
    ['', 'empty'],
  ])('refuses a malformed GSTIN: %s (%s)', (gstin) => {
    const result = validateGstin(gstin);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('gstin_format');
  });

  it('names the part that is malformed', () => {
    const result = validateGstin('27AAPFU0939F1YV');
    expect(result.ok || result.error.message).toMatch(/character 14/);
  });

  it('refuses an unknown state code before looking at the check character', () => {
    const first14 = '45AAPFU0939F1Z';
    const wellFormed = first14 + gstinCheckCharacter(first14);
    expect(validateGstin(wellFormed)).toEqual({ ok: false, error: expect.objectContaining({ code: 'gstin_unknown_state', stateCode: '45' }) });
  });

  it('checks the GSTIN against a given state code', () => {
    expect(validateGstin('29AAGCB7383J1Z4', { stateCode: '29' }).ok).toBe(true);
    expect(validateGstin('29AAGCB7383J1Z4', { stateCode: '27' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'gstin_state_mismatch', gstinStateCode: '29', stateCode: '27' }),
    });
  });
});

describe('checkGstinState', () => {
  it('passes when the codes agree or either is missing', () => {
    expect(checkGstinState('27AAPFU0939F1ZV', '27')).toEqual({ ok: true });
    expect(checkGstinState(undefined, '27')).toEqual({ ok: true });
    expect(checkGstinState('27AAPFU0939F1ZV', undefined)).toEqual({ ok: true });
  });

  it('names both states when they differ', () => {
    const result = checkGstinState('27AAPFU0939F1ZV', '29');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe('the GSTIN is registered in 27 (Maharashtra), not 29 (Karnataka)');
  });
});

describe('GST state codes', () => {
  it('runs from 01 Jammu and Kashmir to 38 Ladakh, then 97 and 99', () => {
    expect(GST_STATES[0]).toMatchObject({ code: '01', name: 'Jammu and Kashmir', abbreviation: 'JK' });
    expect(findGstState('38')).toMatchObject({ name: 'Ladakh', abbreviation: 'LA' });
    expect(findGstState('97')).toMatchObject({ name: 'Other Territory', abbreviation: 'OT' });
    expect(findGstState('99')).toMatchObject({ name: 'Centre Jurisdiction', abbreviation: 'CJ' });
    expect(GST_STATES.map((s) => s.code)).toEqual([
      ...Array.from({ length: 38 }, (_, i) => String(i + 1).padStart(2, '0')),
      '97',
      '99',
    ]);
  });

  it('has unique abbreviations and looks them up in any case', () => {
    expect(new Set(GST_STATES.map((s) => s.abbreviation)).size).toBe(GST_STATES.length);
    expect(findGstStateByAbbreviation('ka')?.code).toBe('29');
    expect(findGstStateByAbbreviation('AD')?.name).toBe('Andhra Pradesh');
  });

  it('marks codes no longer issued', () => {
    expect(findGstState('25')?.legacy).toBe(true);
    expect(findGstState('28')?.legacy).toBe(true);
    expect(findGstState('37')?.legacy).toBeUndefined();
  });

  it('knows which codes exist', () => {
    expect(isGstStateCode('36')).toBe(true);
    expect(isGstStateCode('00')).toBe(false);
    expect(isGstStateCode('39')).toBe(false);
    expect(isGstStateCode('7')).toBe(false);
  });

  it('cannot be changed at run time', () => {
    expect(() => {
      (GST_STATES[0] as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });
});
