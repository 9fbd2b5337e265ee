/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP date), or undefined when
 * absent or unreadable. Negative waits become 0; absurd ones are capped at a day.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  const cap = 24 * 60 * 60 * 1000;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.min(Math.round(Number(text) * 1000), cap);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now.getTime()), cap);
}
