import { describe, expect, it } from 'vitest';
import { financialYear } from '../../core/money/index.ts';

describe('financialYear', () => {
  it('gives the April–March year in Kolkata by default', () => {
    expect(financialYear(new Date('2026-11-21T10:00:00Z'))).toEqual({ start: 2026, end: 2027, label: '2026-27', short: '26-27' });
  });

  it.each([
    ['2026-03-31T18:29:59.999Z', 2025], // 23:59:59.999 IST on 31 March
    ['2026-03-31T18:30:00.000Z', 2026], // 00:00 IST on 1 April
    ['2027-03-31T20:00:00Z', 2027], // already 1 April 01:30 in Kolkata
    ['2027-03-31T18:29:00Z', 2026],
    ['2027-01-01T00:00:00Z', 2026],
    ['2026-12-31T18:30:00Z', 2026], // 1 January IST still belongs to the year that began in April
    ['2026-04-01T00:00:00Z', 2026],
  ])('in Kolkata, %s is in FY starting %i', (iso, start) => {
    expect(financialYear(new Date(iso)).start).toBe(start);
  });

  it('follows the zone it is given', () => {
    const instant = new Date('2027-03-31T20:00:00Z');
    expect(financialYear(instant, 'Asia/Kolkata').label).toBe('2027-28');
    expect(financialYear(instant, 'UTC').label).toBe('2026-27');
    expect(financialYear(instant, 'America/New_York').label).toBe('2026-27');
    expect(financialYear(new Date('2026-03-31T12:00:00Z'), 'Pacific/Kiritimati').label).toBe('2026-27');
    expect(financialYear(new Date('2026-04-01T09:00:00Z'), 'Pacific/Pago_Pago').label).toBe('2025-26');
  });

  it('labels a year across a century with two digits', () => {
    expect(financialYear(new Date('2099-06-01T00:00:00Z'))).toEqual({ start: 2099, end: 2100, label: '2099-00', short: '99-00' });
    expect(financialYear(new Date('2009-06-01T00:00:00Z'))).toEqual({ start: 2009, end: 2010, label: '2009-10', short: '09-10' });
  });

  it('refuses an invalid date or zone', () => {
    expect(() => financialYear(new Date('nope'))).toThrow(RangeError);
    expect(() => financialYear(new Date(), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => financialYear(new Date('-000050-06-01T00:00:00Z'))).toThrow(RangeError);
  });
});
