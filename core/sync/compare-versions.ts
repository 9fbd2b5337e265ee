/**
 * Orders two vendor versions when both have an order: whole numbers (QuickBooks SyncTokens)
 * numerically, ISO 8601 instants (Jira `updated`, Salesforce SystemModstamp) by time. Returns a
 * negative number when `a` is older, 0 when equal, positive when newer, and undefined when the
 * versions cannot be ordered (opaque ETags): then only equality means anything.
 * @example compareVersions('7', '12') // < 0
 */
export function compareVersions(a: string, b: string): number | undefined {
  if (a === b) return 0;
  if (/^\d{1,15}$/.test(a) && /^\d{1,15}$/.test(b)) return Number(a) - Number(b);
  const instant = /^\d{4}-\d{2}-\d{2}T/;
  if (instant.test(a) && instant.test(b)) {
    const x = Date.parse(a);
    const y = Date.parse(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  }
  return undefined;
}
