import { UnrecoverableVendorError } from '../sdk/index.ts';

/** Jira's timestamp (`2026-11-21T15:45:30.000+0530`) as ISO 8601 UTC, or undefined when absent or unreadable. */
export function jiraInstant(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    } catch {
      throw new UnrecoverableVendorError(0, '', { message: `Jira reported the time zone "${timeZone}", which this system does not know` });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * An instant as a JQL date, `yyyy-MM-dd HH:mm` on the wall clock of `timeZone`: Jira reads JQL
 * dates in the searching user's zone, at minute precision (seconds are dropped, i.e. floored).
 * @example jqlDate(Date.parse('2026-11-21T10:15:30Z'), 'Asia/Kolkata') // '2026-11-21 15:45'
 */
export function jqlDate(at: number, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) parts[part.type] = part.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** The start of the minute holding `at`. */
export function floorMinute(at: number): number {
  return Math.floor(at / 60_000) * 60_000;
}
