import { addDaysToIsoDate, parseIsoDate } from '../notifications/index.ts';
import type { CompiledLexicon } from './reply-lexicon.ts';

const patterns = new WeakMap<CompiledLexicon, { dayMonth: RegExp; monthDay: RegExp; numeric: RegExp; dotted: RegExp }>();

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function datePatterns(lex: CompiledLexicon): { dayMonth: RegExp; monthDay: RegExp; numeric: RegExp; dotted: RegExp } {
  let found = patterns.get(lex);
  if (!found) {
    const months = [...lex.months.keys()].map(escape).join('|');
    found = {
      dayMonth: new RegExp(`(?<![\\p{L}\\p{N}])(\\d{1,2})(?:st|nd|rd|th)?\\s*(?:of\\s+)?(${months})(?![\\p{L}\\p{M}])\\.?(?:[\\s,]+(\\d{4}))?`, 'gu'),
      monthDay: new RegExp(`(?<![\\p{L}\\p{N}])(${months})(?![\\p{L}\\p{M}])\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?(?![\\p{N}])(?:,?\\s+(\\d{4}))?`, 'gu'),
      numeric: /(?<![\d/.\-])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/%])/gu,
      dotted: /(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.])/gu,
    };
    patterns.set(lex, found);
  }
  return found;
}

/**
 * The first calendar date written in a folded reply, as `YYYY-MM-DD`: "15 Dec", "15th
 * December 2026", "Dec 15", "15/12" and "15-12-26" (day first, as in India), "15.12.2026",
 * "15 दिसंबर". A date without a year is taken in the current year, or the next one when that
 * would be more than 60 days ago. A date followed by a duration unit ("2-3 days") is not one.
 */
export function findDate(normalized: string, today: string | undefined, lex: CompiledLexicon): string | undefined {
  const { dayMonth, monthDay, numeric, dotted } = datePatterns(lex);
  const candidates: Array<{ index: number; day: number; month: number; year?: number }> = [];
  const followedByUnit = (end: number): boolean => {
    const next = /^\s*([\p{L}\p{M}]+)/u.exec(normalized.slice(end));
    return next !== null && lex.unitDays.has(next[1] as string);
  };
  for (const m of normalized.matchAll(dayMonth)) {
    candidates.push({ index: m.index, day: Number(m[1]), month: lex.months.get(m[2] as string) ?? 0, ...(m[3] ? { year: Number(m[3]) } : {}) });
  }
  for (const m of normalized.matchAll(monthDay)) {
    if (followedByUnit(m.index + m[0].length)) continue;
    candidates.push({ index: m.index, day: Number(m[2]), month: lex.months.get(m[1] as string) ?? 0, ...(m[3] ? { year: Number(m[3]) } : {}) });
  }
  for (const m of normalized.matchAll(numeric)) {
    if (followedByUnit(m.index + m[0].length)) continue;
    candidates.push({ index: m.index, day: Number(m[1]), month: Number(m[2]), ...(m[3] ? { year: Number(m[3]) } : {}) });
  }
  for (const m of normalized.matchAll(dotted)) {
    candidates.push({ index: m.index, day: Number(m[1]), month: Number(m[2]), year: Number(m[3]) });
  }
  candidates.sort((a, b) => a.index - b.index);
  for (const c of candidates) {
    const resolved = resolveDate(c.day, c.month, c.year, today);
    if (resolved) return resolved;
  }
  return undefined;
}

function resolveDate(day: number, month: number, year: number | undefined, today: string | undefined): string | undefined {
  const iso = (y: number): string => `${String(y).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (year !== undefined) {
    const full = year < 100 ? 2000 + year : year;
    const date = iso(full);
    return parseIsoDate(date) ? date : undefined;
  }
  if (today === undefined) return undefined;
  const thisYear = Number(today.slice(0, 4));
  const date = iso(thisYear);
  if (!parseIsoDate(date)) {
    // 29 Feb outside a leap year: try the next year before giving up.
    const next = iso(thisYear + 1);
    return parseIsoDate(next) ? next : undefined;
  }
  return date < addDaysToIsoDate(today, -60) ? iso(thisYear + 1) : date;
}
