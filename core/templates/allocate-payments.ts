/** One payment milestone, in plan order: its source's share and the source it splits with. */
export interface PaymentShare {
  /** Share of the whole source milestone, in basis points. */
  readonly basisPoints: number;
  /** Repetitions of one source milestone share one `sourceKey`. */
  readonly sourceKey: string;
}

/**
 * Amounts in paise, one per share, that sum to exactly `contractValue`.
 *
 * Each source gets floor(contractValue × bp / 10000), computed exactly in BigInt; its repetitions
 * get equal parts, the remainder going to its last repetition in plan order; whatever the floors
 * leave goes to the last payment milestone in plan order.
 *
 * @example allocatePayments(1, [{ basisPoints: 5000, sourceKey: 'a' }, { basisPoints: 5000, sourceKey: 'b' }]) // [0, 1]
 */
export function allocatePayments(contractValue: number, shares: readonly PaymentShare[]): number[] {
  const sources = new Map<string, { amount: number; count: number; last: number }>();
  shares.forEach((share, i) => {
    const source = sources.get(share.sourceKey);
    if (source === undefined) {
      const amount = Number((BigInt(contractValue) * BigInt(share.basisPoints)) / 10_000n);
      sources.set(share.sourceKey, { amount, count: 1, last: i });
    } else {
      source.count += 1;
      source.last = i;
    }
  });
  let allocated = 0;
  const amounts = shares.map((share, i) => {
    const source = sources.get(share.sourceKey) ?? { amount: 0, count: 1, last: i };
    const part = Math.floor(source.amount / source.count);
    const amount = i === source.last ? source.amount - part * (source.count - 1) : part;
    allocated += amount;
    return amount;
  });
  if (amounts.length > 0) amounts[amounts.length - 1] = (amounts[amounts.length - 1] ?? 0) + contractValue - allocated;
  return amounts;
}
