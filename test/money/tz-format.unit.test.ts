import { describe, expect, it } from 'vitest';
import { tzFormat } from '../../core/money/index.ts';

const instant = new Date('2026-11-21T10:15:00Z'); // 15:45 in Kolkata

describe('tzFormat', () => {
  it('formats a date in Kolkata by default', () => {
    expect(tzFormat(instant)).toBe('21 Nov 2026');
  });

  it('formats in Hindi', () => {
    expect(tzFormat(instant, { locale: 'hi-IN' })).toBe('21 नव॰ 2026');
    expect(tzFormat(instant, { locale: 'hi', month: 'long' })).toBe('21 नवंबर 2026');
  });

  it('formats date and time', () => {
    expect(tzFormat(instant, { style: 'date-time' })).toBe('21 Nov 2026, 3:45 pm');
    expect(tzFormat(instant, { style: 'date-time', hour12: false })).toBe('21 Nov 2026, 15:45');
    expect(tzFormat(instant, { style: 'date-time', locale: 'hi-IN', hour12: false })).toBe('21 नव॰ 2026, 15:45');
    expect(tzFormat(new Date('2026-11-21T03:35:00Z'), { style: 'date-time', hour12: false })).toBe('21 Nov 2026, 09:05');
  });

  it('offers long and numeric months', () => {
    expect(tzFormat(instant, { month: 'long' })).toBe('21 November 2026');
    expect(tzFormat(new Date('2026-04-01T00:00:00Z'), { month: 'numeric' })).toBe('01/04/2026');
  });

  it('uses Western digits in Hindi unless asked for Devanagari', () => {
    expect(tzFormat(instant, { locale: 'hi-IN', digits: 'deva' })).toBe('२१ नव॰ २०२६');
    expect(tzFormat(instant, { locale: 'hi-IN', digits: 'deva', style: 'date-time', hour12: false })).toBe('२१ नव॰ २०२६, १५:४५');
  });

  it('shows the calendar day of the tenant zone, not of UTC', () => {
    const lateUtc = new Date('2026-11-21T20:00:00Z');
    expect(tzFormat(lateUtc)).toBe('22 Nov 2026');
    expect(tzFormat(lateUtc, { timeZone: 'UTC' })).toBe('21 Nov 2026');
    expect(tzFormat(lateUtc, { timeZone: 'America/Los_Angeles', style: 'date-time' })).toBe('21 Nov 2026, 12:00 pm');
  });

  it('prints only plain ASCII spaces', () => {
    const text = tzFormat(instant, { style: 'date-time', timeZone: 'Asia/Dubai' });
    expect(text).not.toMatch(/[\u00A0\u202F]/);
  });

  it('refuses an invalid date, zone or locale', () => {
    expect(() => tzFormat(new Date('nope'))).toThrow(RangeError);
    expect(() => tzFormat(instant, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => tzFormat(instant, { locale: 'de-DE' as never })).toThrow(RangeError);
  });
});
