import type { FieldIssue } from '../domain/index.ts';
import type { MilestoneDoc, MilestonePayment } from './collections.ts';
import { percentToBasisPoints } from './milestone-view.ts';

type PaymentHolder = Pick<MilestoneDoc, '_id' | 'payment' | 'statusCategory'>;

/**
 * Checks that a project's payment milestones, with `mine` in place of `id`'s current terms, stay
 * within the contract: percentages add up to at most 100, and amounts plus percentages of the
 * contract value to at most the contract value. Exact (integer arithmetic), so a split of exactly
 * 100% passes however it is made up. Cancelled milestones pay nothing and do not count.
 */
export function checkPaymentSplit(input: {
  id: string;
  mine: MilestonePayment | undefined;
  others: readonly PaymentHolder[];
  contractValue: number;
  path?: string;
}): FieldIssue[] {
  const { id, mine, others, contractValue, path = 'payment' } = input;
  if (!mine || (mine.amount === undefined && mine.percent === undefined)) return [];
  const payments = others.filter((o) => o._id !== id && o.statusCategory !== 'cancelled').map((o) => o.payment);
  const field = mine.percent !== undefined ? `${path}.percent` : `${path}.amount`;
  return splitIssues([...payments, mine], contractValue, field);
}

/**
 * Issues when payments, all of one project, are more than its contract: percentages over 100,
 * or amounts plus percentages of `contractValue` over `contractValue`. Exact integer arithmetic.
 */
export function splitIssues(payments: readonly (MilestonePayment | undefined)[], contractValue: number, field: string): FieldIssue[] {
  const contract = BigInt(contractValue);
  let basisPoints = 0;
  // In paise × 10000, so percentages stay exact.
  let committed = 0n;
  for (const payment of payments) {
    if (!payment) continue;
    if (payment.amount !== undefined) committed += BigInt(payment.amount) * 10_000n;
    if (payment.percent !== undefined) {
      const bp = percentToBasisPoints(payment.percent);
      basisPoints += bp;
      committed += BigInt(bp) * contract;
    }
  }
  if (basisPoints > 10_000) {
    return [{ path: field, message: `the project's payment percentages would add up to ${(basisPoints / 100).toFixed(2)}%, over 100%`, code: 'payment_split_over_100' }];
  }
  if (committed > 10_000n * contract) {
    const share = contract === 0n ? 'more than the contract value of 0' : `${(Number((committed * 100n) / contract) / 10_000).toFixed(2)}% of the contract value`;
    return [{ path: field, message: `the project's payments would add up to ${share}, over 100%`, code: 'payment_split_over_100' }];
  }
  return [];
}

/** Checks one payment's own terms: an amount or a percentage (not both), percentages in basis points. */
export function checkPaymentTerms(payment: MilestonePayment | undefined, path = 'payment'): FieldIssue[] {
  if (!payment) return [];
  const issues: FieldIssue[] = [];
  if (payment.amount !== undefined && payment.percent !== undefined) {
    issues.push({ path, message: 'give either amount (paise) or percent of the contract value, not both', code: 'amount_and_percent' });
  }
  if (payment.percent !== undefined && Math.abs(payment.percent * 100 - percentToBasisPoints(payment.percent)) > 1e-6) {
    issues.push({ path: `${path}.percent`, message: 'percentages take at most two decimals (12.5 or 33.33)', code: 'too_precise' });
  }
  return issues;
}
