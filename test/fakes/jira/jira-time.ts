/**
 * Jira renders instants in the viewing user's time zone (`2026-11-21T10:15:30.000+0530`) and reads
 * JQL dates in that same zone, so both directions need the zone's offset at a given instant.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
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
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at instant `at`, in minutes (Asia/Kolkata gives 330). */
export function zoneOffsetMinutes(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(at))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000);
}

/** The instant at which the wall clock in `timeZone` shows the given local time. */
export function zonedToInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Two passes settle the offset even when the guess lands on the other side of a DST change.
  let instant = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  instant = wall - zoneOffsetMinutes(instant, timeZone) * 60_000;
  return instant;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Jira's REST timestamp format, e.g. `2026-11-21T10:15:30.000+0000`. */
export function formatJiraDateTime(at: number, timeZone: string): string {
  const offset = zoneOffsetMinutes(at, timeZone);
  const local = new Date(at + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

const jqlAbsolute = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const jqlRelative = /^([-+]?)\s*((?:\d+\s*[wdhm]\s*)+)$/i;

/**
 * Reads a JQL date operand the way Jira does: `yyyy-MM-dd HH:mm`, `yyyy/MM/dd HH:mm`, the same
 * without a time, or a period such as `-5m`, `-1d`, `-1w 2d`. Absolute values are in the
 * searching user's zone and only have minute precision. Returns undefined when Jira would reject it.
 */
export function parseJqlDate(text: string, timeZone: string, now: number): number | undefined {
  const trimmed = text.trim();
  const absolute = jqlAbsolute.exec(trimmed);
  if (absolute) {
    const [, y, mo, d, h, mi] = absolute;
    const local = { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0) };
    if (local.month < 1 || local.month > 12 || local.day < 1 || local.day > 31 || local.hour > 23 || local.minute > 59) {
      return undefined;
    }
    return zonedToInstant(local, timeZone);
  }
  const relative = jqlRelative.exec(trimmed);
  if (relative) {
    const sign = relative[1] === '-' ? -1 : 1;
    const unitMs: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 };
    let total = 0;
    for (const match of relative[2]!.matchAll(/(\d+)\s*([wdhm])/gi)) {
      total += Number(match[1]) * unitMs[match[2]!.toLowerCase()]!;
    }
    return now + sign * total;
  }
  return undefined;
}

/** Due dates are plain calendar dates in Jira (`2026-11-21`). */
export function isJiraDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
