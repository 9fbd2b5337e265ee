import type { ConnectorContext, RemoteRecord } from '../sdk/index.ts';
import { getQuickBooks } from './push-quickbooks.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';

/** What one payment applies to one invoice, in the company's currency units (not paise). */
export interface InvoiceApplication {
  invoiceId: string;
  amount: number;
}

/** A payment with the invoices it pays, each as QuickBooks holds it now (null when deleted). */
export interface PaymentApplication {
  payment: RemoteRecord;
  invoices: Array<InvoiceApplication & { invoice: RemoteRecord | null }>;
}

/**
 * The invoices a QuickBooks Payment pays: each `Line` applies its `Amount` to the transaction in
 * its `LinkedTxn` entry with `TxnType` "Invoice". Lines applying to the same invoice are summed,
 * in first-seen order; lines that apply to nothing (the unapplied amount) or to other kinds of
 * transaction are left out.
 * @example linkedInvoicesOf(payment.data) // [{ invoiceId: '145', amount: 30000 }]
 */
export function linkedInvoicesOf(payment: Readonly<Record<string, unknown>>): InvoiceApplication[] {
  const totals = new Map<string, number>();
  for (const line of Array.isArray(payment.Line) ? payment.Line : []) {
    if (line === null || typeof line !== 'object') continue;
    const { Amount, LinkedTxn } = line as { Amount?: unknown; LinkedTxn?: unknown };
    const link = (Array.isArray(LinkedTxn) ? LinkedTxn : []).find((l): l is { TxnId: unknown } => l !== null && typeof l === 'object' && (l as { TxnType?: unknown }).TxnType === 'Invoice');
    const invoiceId = typeof link?.TxnId === 'string' || typeof link?.TxnId === 'number' ? String(link.TxnId) : undefined;
    if (invoiceId === undefined) continue;
    const amount = typeof Amount === 'number' && Number.isFinite(Amount) ? Amount : 0;
    // Cents are summed as integers so 0.1 + 0.2 stays 0.3.
    totals.set(invoiceId, Math.round(((totals.get(invoiceId) ?? 0) + amount) * 100) / 100);
  }
  return [...totals].map(([invoiceId, amount]) => ({ invoiceId, amount }));
}

/**
 * Reads a payment and every invoice it pays, so the hub can reconcile its invoices: each
 * invoice's `Balance` is what remains due after this and other payments. `ctx` is a context made
 * for the quickbooks connector. Null when QuickBooks has no such payment.
 */
export async function readPaymentApplication(ctx: ConnectorContext, paymentId: string): Promise<PaymentApplication | null> {
  const typed = ctx as ConnectorContext<QuickBooksConfig, QuickBooksCredentials>;
  const payment = await getQuickBooks(typed, { object: 'Payment', id: paymentId });
  if (payment === null) return null;
  const invoices = await Promise.all(
    linkedInvoicesOf(payment.data).map(async (applied) => ({ ...applied, invoice: await getQuickBooks(typed, { object: 'Invoice', id: applied.invoiceId }) })),
  );
  return { payment, invoices };
}
