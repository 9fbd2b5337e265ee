import { companyDate } from './intuit-time.ts';
import { businessValidation, invalidReference, requiredMissing } from './quickbooks-error.ts';
import { roundMoney } from './round-money.ts';
import type { RuleContext } from './rule-context.ts';
import { isRecord, refValue } from './rule-context.ts';

/** Invoice id and amount each payment line applies. */
export function appliedLines(payment: Record<string, unknown>): Array<{ invoiceId: string; amount: number }> {
  const lines = Array.isArray(payment.Line) ? payment.Line : [];
  const out: Array<{ invoiceId: string; amount: number }> = [];
  for (const line of lines) {
    if (!isRecord(line) || !Array.isArray(line.LinkedTxn)) continue;
    const link = line.LinkedTxn.find((l): l is Record<string, unknown> => isRecord(l) && l.TxnType === 'Invoice');
    if (link) out.push({ invoiceId: String(link.TxnId), amount: Number(line.Amount ?? 0) });
  }
  return out;
}

/**
 * Completes a payment and checks what it applies: each linked invoice must exist, belong to the
 * payer, and have enough open balance; what is not applied stays as UnappliedAmt.
 * `openBalance` is the invoice balance ignoring this payment's own earlier application.
 */
export function normalizePayment(
  data: Record<string, unknown>,
  ctx: RuleContext & { openBalance: (invoiceId: string) => number },
): Record<string, unknown> {
  const { company, now } = ctx;
  const out = { ...data };
  const customerId = refValue(out.CustomerRef);
  if (!customerId) throw requiredMissing('CustomerRef');
  const customer = company.find('Customer', customerId);
  if (!customer || customer.deletedAt !== undefined) throw invalidReference('Names', customerId);
  out.CustomerRef = { value: customerId, name: String(customer.data.DisplayName) };

  const total = typeof out.TotalAmt === 'number' ? out.TotalAmt : Number(out.TotalAmt);
  if (out.TotalAmt === undefined || !Number.isFinite(total) || total < 0) throw requiredMissing('TotalAmt');
  const totalAmt = roundMoney(total);
  out.TotalAmt = totalAmt;

  const lines = Array.isArray(out.Line) ? out.Line.filter(isRecord).map((l) => ({ ...l })) : [];
  for (const line of lines) {
    const amount = Number(line.Amount);
    if (!Number.isFinite(amount) || amount < 0) throw requiredMissing('Line.Amount');
    line.Amount = roundMoney(amount);
  }
  out.Line = lines;
  let applied = 0;
  const perInvoice = new Map<string, number>();
  for (const { invoiceId, amount } of appliedLines(out)) {
    const invoice = company.find('Invoice', invoiceId);
    if (!invoice || invoice.deletedAt !== undefined) throw invalidReference('Invoice', invoiceId);
    if (refValue(invoice.data.CustomerRef) !== customerId) {
      throw businessValidation(`Invoice ${invoiceId} belongs to a different customer than this payment.`);
    }
    perInvoice.set(invoiceId, (perInvoice.get(invoiceId) ?? 0) + amount);
    applied += amount;
  }
  for (const [invoiceId, amount] of perInvoice) {
    const open = ctx.openBalance(invoiceId);
    if (amount - open > 0.004) {
      throw businessValidation(`The payment amount applied to invoice ${invoiceId} (${amount}) exceeds its open balance (${open}).`);
    }
  }
  if (applied - totalAmt > 0.004) {
    throw businessValidation('The amount applied to transactions exceeds the payment total.');
  }
  out.UnappliedAmt = roundMoney(totalAmt - applied);
  out.TxnDate ??= companyDate(now, company.timeZone);
  out.CurrencyRef ??= { ...company.currency };
  out.ProcessPayment ??= false;
  return out;
}
