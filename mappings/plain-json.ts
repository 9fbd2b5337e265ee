/**
 * Copies a JSONata result into plain JSON: its objects have no prototype and its arrays carry a
 * `sequence` flag, neither of which callers (or databases) should see. Functions are dropped.
 */
export function plainJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  if (Array.isArray(value)) return value.map((item) => plainJson(item) ?? null);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = plainJson((value as Record<string, unknown>)[key]);
    if (item !== undefined) out[key] = item;
  }
  return out;
}
