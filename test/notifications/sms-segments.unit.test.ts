import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7 } from '../../core/notifications/index.ts';

describe('countSmsSegments', () => {
  it.each([
    ['', 'GSM-7', 0, 0, 160],
    ['a'.repeat(160), 'GSM-7', 160, 1, 160],
    ['a'.repeat(161), 'GSM-7', 161, 2, 153],
    ['a'.repeat(306), 'GSM-7', 306, 2, 153],
    ['a'.repeat(307), 'GSM-7', 307, 3, 153],
    ['{'.repeat(80), 'GSM-7', 160, 1, 160],
    ['€'.repeat(81), 'GSM-7', 162, 2, 153],
    ['à Ñ ü @ £ $ ¥', 'GSM-7', 13, 1, 160],
    ['क'.repeat(70), 'UCS-2', 70, 1, 70],
    ['क'.repeat(71), 'UCS-2', 71, 2, 67],
    ['क'.repeat(134), 'UCS-2', 134, 2, 67],
    ['क'.repeat(135), 'UCS-2', 135, 3, 67],
    ['Pay ₹500', 'UCS-2', 8, 1, 70],
    ['ok 👍', 'UCS-2', 5, 1, 70],
    ['नमस्ते, आपका काम कैसा चल रहा है?', 'UCS-2', 32, 1, 70],
  ])('%j is %s, %i units, %i parts of %i', (text, encoding, units, segments, perSegment) => {
    expect(countSmsSegments(text)).toEqual({ encoding, units, segments, perSegment });
  });

  it('never splits a two-septet escape across parts', () => {
    // 152 letters and a brace: 154 septets, but the brace cannot straddle parts 1 and 2.
    expect(countSmsSegments(`${'a'.repeat(152)}{${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('never splits an emoji (a surrogate pair) across UCS-2 parts', () => {
    expect(countSmsSegments(`${'क'.repeat(66)}👍${'क'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('tells GSM-7 text apart', () => {
    expect(isGsm7('Reply 1 on track, 2 delayed, 3 done')).toBe(true);
    expect(isGsm7('Reply “1”')).toBe(false);
    expect(isGsm7('₹')).toBe(false);
  });

  it('always bills enough parts for the units', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600, unit: 'grapheme' }), (text) => {
        const info = countSmsSegments(text);
        expect(info.segments * info.perSegment).toBeGreaterThanOrEqual(info.units);
        if (info.segments > 1) expect((info.segments - 1) * info.perSegment).toBeLessThan(info.units + info.segments * 2);
      }),
    );
  });
});
