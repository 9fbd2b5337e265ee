/**
 * Splits a `k=v,k=v` signature header (Stripe, Zoho Payments) into its pairs, keeping repeats
 * because a sender may attach one signature per active secret.
 */
export function parseKeyValueHeader(header: string): Array<[key: string, value: string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    pairs.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return pairs;
}
