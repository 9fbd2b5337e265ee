export type { Paise } from './paise.ts';
export { isPaise } from './is-paise.ts';
export type { MoneyResult } from './money-result.ts';
export type { Rounding } from './rounding.ts';
export type { DigitSystem, InrLocale } from './inr-locale.ts';
export { DEFAULT_TIME_ZONE } from './default-time-zone.ts';

export { formatInr } from './format-inr.ts';
export type { FormatInrOptions } from './format-inr.ts';
export { parseInr } from './parse-inr.ts';
export type { ParseInrErrorCode } from './parse-inr.ts';
export { amountInWords } from './amount-in-words.ts';

export { gstSplit } from './gst-split.ts';
export type { GstLine, GstLineInput, GstSplit, GstSplitErrorCode, GstSplitInput, GstTaxes } from './gst-split.ts';
export { GST_STATE_CODES } from './gst-state-codes.ts';
export type { GstStateCode, GstTerritoryKind } from './gst-state-codes.ts';

export { splitAmount } from './split-amount.ts';
export type { Split, SplitAmountErrorCode, SplitAmountOptions, SplitBasis } from './split-amount.ts';
export { percentOf } from './percent-of.ts';
export type { PercentOfOptions } from './percent-of.ts';

export { financialYear } from './financial-year.ts';
export type { FinancialYear } from './financial-year.ts';
export { tzFormat } from './tz-format.ts';
export type { TzFormatOptions } from './tz-format.ts';
export { isValidTimeZone, wallTimeIn } from './wall-time.ts';
export type { WallTime } from './wall-time.ts';
export { dateInZone } from './date-in-zone.ts';
