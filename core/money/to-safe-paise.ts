/** Converts a BigInt result back to a number, or undefined when it left the safe-integer range. */
export function toSafePaise(value: bigint): number | undefined {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
  return Number(value);
}
