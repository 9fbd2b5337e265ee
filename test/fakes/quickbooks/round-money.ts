/** QBO amounts carry two decimals; sums of floats are rounded back to cents. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
