import { SfDate } from 'jsforce';

/** A quoted SOQL string literal: backslashes, quotes and line breaks escaped, as SOQL requires. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** An unquoted SOQL dateTime literal (`2025-04-01T06:30:00Z`) for an instant in epoch ms. */
export function soqlDateTime(ms: number): string {
  return SfDate.toDateTimeLiteral(new Date(ms)).toString();
}
