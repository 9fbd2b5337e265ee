/** A Salesforce dateTime (`2025-04-01T06:30:00.000+0000`) in epoch ms, or undefined when unreadable. */
export function salesforceTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const normalized = /[+-]\d{4}$/.test(value) ? `${value.slice(0, -2)}:${value.slice(-2)}` : value;
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}
