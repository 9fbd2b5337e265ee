import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addWorkingDays,
  calendarDaysBetween,
  countWorkingDays,
  isIsoDate,
  isWorkingDay,
} from '../../core/schedule/index.ts';

// January 2025 starts on a Wednesday; 2025-01-03 is a Friday.
describe('addWorkingDays', () => {
  it('skips Saturday and Sunday on a five-day week', () => {
    expect(addWorkingDays('2025-01-03', 1)).toBe('2025-01-06');
    expect(addWorkingDays('2025-01-03', 5)).toBe('2025-01-10');
    expect(addWorkingDays('2025-01-06', 10)).toBe('2025-01-20');
  });

  it('skips only Sunday on a six-day week', () => {
    expect(addWorkingDays('2025-01-03', 1, { week: 'six-day' })).toBe('2025-01-04');
    expect(addWorkingDays('2025-01-03', 2, { week: 'six-day' })).toBe('2025-01-06');
  });

  it('skips holidays, also when they meet a weekend', () => {
    // Independence Day 2025 is a Friday: Thursday + 1 lands on Monday.
    expect(addWorkingDays('2025-08-14', 1, { holidays: ['2025-08-15'] })).toBe('2025-08-18');
    // Gandhi Jayanti (Thu 2 Oct) and a Friday off make a four-day weekend.
    expect(addWorkingDays('2025-10-01', 1, { holidays: ['2025-10-02', '2025-10-03'] })).toBe('2025-10-06');
    expect(addWorkingDays('2025-10-01', 1, { week: 'six-day', holidays: ['2025-10-02', '2025-10-03'] })).toBe('2025-10-04');
  });

  it('goes backwards for negative counts and stays put for zero', () => {
    expect(addWorkingDays('2025-01-06', -1)).toBe('2025-01-03');
    expect(addWorkingDays('2025-08-18', -1, { holidays: ['2025-08-15'] })).toBe('2025-08-14');
    expect(addWorkingDays('2025-01-04', 0)).toBe('2025-01-04');
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(addWorkingDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addWorkingDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2024-02-28', 2)).toBe('2024-03-01');
  });

  it('reads a Date at its UTC calendar day whatever the host zone', () => {
    expect(addWorkingDays(new Date('2025-01-03T00:00:00Z'), 1)).toBe('2025-01-06');
    // 23:30 in Kolkata on 3 January is 18:00 UTC the same day.
    expect(addWorkingDays(new Date('2025-01-03T23:30:00+05:30'), 1)).toBe('2025-01-06');
  });

  it('refuses impossible dates and bad counts as bugs', () => {
    expect(() => addWorkingDays('2025-02-30', 1)).toThrow(TypeError);
    expect(() => addWorkingDays('03/01/2025', 1)).toThrow(TypeError);
    expect(() => addWorkingDays('2025-01-03', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-01-03', 1, { holidays: ['15 Aug'] })).toThrow(TypeError);
  });
});

describe('countWorkingDays', () => {
  it('counts both ends', () => {
    expect(countWorkingDays('2025-01-06', '2025-01-10')).toBe(5);
    expect(countWorkingDays('2025-01-03', '2025-01-06')).toBe(2);
    expect(countWorkingDays('2025-01-04', '2025-01-05')).toBe(0);
    expect(countWorkingDays('2025-01-10', '2025-01-06')).toBe(0);
  });

  it('counts a whole month with weekends and holidays', () => {
    expect(countWorkingDays('2025-01-01', '2025-01-31')).toBe(23);
    expect(countWorkingDays('2025-01-01', '2025-01-31', { week: 'six-day' })).toBe(27);
    // Republic Day 2025 falls on a Sunday, so it costs nothing; Pongal (Tuesday 14th) does.
    expect(countWorkingDays('2025-01-01', '2025-01-31', { week: 'six-day', holidays: ['2025-01-26'] })).toBe(27);
    expect(countWorkingDays('2025-01-01', '2025-01-31', { holidays: ['2025-01-14', '2025-01-26', '2024-01-14'] })).toBe(22);
  });

  it('agrees with addWorkingDays from a working day', () => {
    for (const days of [1, 4, 5, 6, 17, 250]) {
      const end = addWorkingDays('2025-03-03', days, { holidays: ['2025-03-14'] });
      expect(countWorkingDays('2025-03-03', end, { holidays: ['2025-03-14'] })).toBe(days + 1);
    }
  });
});

describe('date helpers', () => {
  it('knows working days', () => {
    expect(isWorkingDay('2025-01-04')).toBe(false);
    expect(isWorkingDay('2025-01-04', { week: 'six-day' })).toBe(true);
    expect(isWorkingDay('2025-01-05', { week: 'six-day' })).toBe(false);
    expect(isWorkingDay('2025-08-15', { holidays: ['2025-08-15'] })).toBe(false);
  });

  it('checks real calendar dates', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-1-5')).toBe(false);
    expect(isIsoDate('2025-01-05T00:00:00Z')).toBe(false);
  });

  it('counts calendar days', () => {
    expect(calendarDaysBetween('2025-02-27', '2025-03-01')).toBe(2);
    expect(calendarDaysBetween('2025-03-01', '2025-02-27')).toBe(-2);
  });
});
