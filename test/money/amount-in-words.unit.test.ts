import { describe, expect, it } from 'vitest';
import { amountInWords } from '../../core/money/index.ts';

describe('amountInWords', () => {
  it.each([
    [12345678901, 'Rupees Twelve Crore Thirty-Four Lakh Fifty-Six Thousand Seven Hundred Eighty-Nine and One Paisa Only'],
    [0, 'Rupees Zero Only'],
    [1, 'One Paisa Only'],
    [2, 'Two Paise Only'],
    [50, 'Fifty Paise Only'],
    [99, 'Ninety-Nine Paise Only'],
    [100, 'Rupee One Only'],
    [101, 'Rupee One and One Paisa Only'],
    [199, 'Rupee One and Ninety-Nine Paise Only'],
    [200, 'Rupees Two Only'],
    [1100, 'Rupees Eleven Only'],
    [2000, 'Rupees Twenty Only'],
    [2100, 'Rupees Twenty-One Only'],
    [10000, 'Rupees One Hundred Only'],
    [10100, 'Rupees One Hundred One Only'],
    [11900, 'Rupees One Hundred Nineteen Only'],
    [100000, 'Rupees One Thousand Only'],
    [1000100, 'Rupees Ten Thousand One Only'],
    [9999999, 'Rupees Ninety-Nine Thousand Nine Hundred Ninety-Nine and Ninety-Nine Paise Only'],
    [10_000_000, 'Rupees One Lakh Only'],
    [10_000_050, 'Rupees One Lakh and Fifty Paise Only'],
    [150_000_000, 'Rupees Fifteen Lakh Only'],
    [1_000_000_000, 'Rupees One Crore Only'],
    [1_000_000_100, 'Rupees One Crore One Only'],
    [1_010_000_000, 'Rupees One Crore One Lakh Only'],
    [100_000_000_000, 'Rupees One Hundred Crore Only'],
    [1_000_000_000_000, 'Rupees One Thousand Crore Only'],
    [100_000_000_000_000, 'Rupees One Lakh Crore Only'],
    [1_000_000_000_000_000, 'Rupees Ten Lakh Crore Only'],
    [
      999_999_999_999_999,
      'Rupees Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine Crore Ninety-Nine Lakh Ninety-Nine Thousand Nine Hundred Ninety-Nine and Ninety-Nine Paise Only',
    ],
    [
      Number.MAX_SAFE_INTEGER,
      'Rupees Ninety Lakh Seven Thousand One Hundred Ninety-Nine Crore Twenty-Five Lakh Forty-Seven Thousand Four Hundred Nine and Ninety-One Paise Only',
    ],
    [-100, 'Minus Rupee One Only'],
    [-12345, 'Minus Rupees One Hundred Twenty-Three and Forty-Five Paise Only'],
    [-1, 'Minus One Paisa Only'],
    [-0, 'Rupees Zero Only'],
  ])('spells %i paise', (paise, expected) => {
    expect(amountInWords(paise)).toBe(expected);
  });

  it.each([0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses %s', (value) => {
    expect(() => amountInWords(value)).toThrow(RangeError);
  });
});
