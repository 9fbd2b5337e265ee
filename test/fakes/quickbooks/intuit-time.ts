/**
 * QuickBooks Online renders entity times in the company's zone with a numeric offset and no
 * fractions (`2026-11-21T02:15:30-08:00`); the `time` stamp on each response carries
 * milliseconds. US companies sit in Pacific time, so the offset moves with daylight saving.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallClock(at: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

export function formatIntuitTime(at: number, timeZone: string, { millis = false } = {}): string {
  const p = wallClock(at, timeZone);
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  const offset = Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const fraction = millis ? `.${pad(((at % 1000) + 1000) % 1000, 3)}` : '';
  return (
    `${p.year}-${pad(p.month!)}-${pad(p.day!)}T${pad(p.hour!)}:${pad(p.minute!)}:${pad(p.second!)}${fraction}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** The company's calendar date at an instant, as TxnDate defaults use. */
export function companyDate(at: number, timeZone: string): string {
  const p = wallClock(at, timeZone);
  return `${p.year}-${pad(p.month!)}-${pad(p.day!)}`;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses the ISO forms Intuit accepts; a date alone means midnight in the company's zone. */
export function parseIntuitTime(text: string, timeZone: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  if (text.length === 10) {
    const guess = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(guess)) return undefined;
    const offsetMs = Date.parse(formatIntuitTime(guess, timeZone).slice(0, 19) + 'Z') - guess;
    return guess - offsetMs;
  }
  const normalized = /[+-]\d{4}$/.test(text) ? `${text.slice(0, -2)}:${text.slice(-2)}` : text;
  const hasZone = /(?:Z|[+-]\d{2}:\d{2})$/.test(normalized);
  const at = Date.parse(hasZone ? normalized : `${normalized}Z`);
  if (Number.isNaN(at)) return undefined;
  if (hasZone) return at;
  const offsetMs = Date.parse(formatIntuitTime(at, timeZone).slice(0, 19) + 'Z') - at;
  return at - offsetMs;
}

export function truncateToSecond(at: number): number {
  return Math.floor(at / 1000) * 1000;
}
