import { describe, expect, it } from 'vitest';
import {
  applyPayment,
  containsReference,
  normaliseClientName,
  normaliseReference,
  openDispute,
  reconcile,
  resolveDispute,
} from '../../core/invoicing/index.ts';
import type { InvoiceDocument, InvoicingResult, PaymentToReconcile, ReconcileOutcome } from '../../core/invoicing/index.ts';
import { CLIENT_KA, CLIENT_MH, draft, sent } from './fixtures.ts';

const receivedAt = new Date('2026-07-01T09:00:00Z');
function value<T>(result: InvoicingResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}
function payment(overrides: Partial<PaymentToReconcile> = {}): PaymentToReconcile {
  return { amount: 11_800_000, reference: 'UTR000111', method: 'neft', receivedAt, ...overrides };
}

// Three sent invoices: ₹1,18,000 to Kaveri (two of them) and ₹59,000 to Ujjwal.
const kaveri1 = sent({ number: 'INV/26-27/000101' });
const kaveri2 = { ...sent({ number: 'INV/26-27/000102', milestone: { id: 'ms_2', title: 'Walls', payment: { amount: 20_000_000, gstRate: 18 } } }), providerOrderId: 'order_Nq8XyZ12' };
const ujjwal = sent({ number: 'INV/26-27/000103', client: CLIENT_MH, milestone: { id: 'ms_3', title: 'Roof', payment: { amount: 5_000_000, gstRate: 18 } } });
const open = [kaveri1, kaveri2, ujjwal];

function matched(result: InvoicingResult<ReconcileOutcome>) {
  const outcome = value(result);
  if (outcome.status !== 'matched') throw new Error(`expected a match, got ${outcome.status}`);
  return outcome;
}

describe('applyPayment', () => {
  it('records partial, full and over payments with balances', () => {
    const partial = value(applyPayment(kaveri1, payment({ amount: 5_000_000, reference: 'UTR-A' })));
    expect(partial).toMatchObject({ outcome: 'partial', applied: 5_000_000, excess: 0, balance: 6_800_000 });
    expect(partial.invoice).toMatchObject({ status: 'partially_paid', amountPaid: 5_000_000, balance: 6_800_000 });
    expect(partial.invoice.paidAt).toBeUndefined();

    const full = value(applyPayment(partial.invoice, payment({ amount: 6_800_000, reference: 'UTR-B' })));
    expect(full).toMatchObject({ outcome: 'full', applied: 6_800_000, excess: 0, balance: 0 });
    expect(full.invoice).toMatchObject({ status: 'paid', paidAt: receivedAt, overpaid: 0 });

    const over = value(applyPayment(full.invoice, payment({ amount: 1_000, reference: 'UTR-C' })));
    expect(over).toMatchObject({ outcome: 'overpaid', applied: 0, excess: 1_000, balance: 0 });
    expect(over.invoice.overpaid).toBe(1_000);
    expect(over.invoice.payments.map((p) => [p.reference, p.applied, p.excess])).toEqual([
      ['UTR-A', 5_000_000, 0],
      ['UTR-B', 6_800_000, 0],
      ['UTR-C', 0, 1_000],
    ]);
  });

  it('refuses unsent invoices, bad amounts and the same payment twice', () => {
    expect(applyPayment(draft(), payment()).ok || 'refused').toBe('refused');
    const code = (r: InvoicingResult<unknown>) => (r.ok ? 'ok' : r.error.code);
    expect(code(applyPayment(draft(), payment()))).toBe('invoice_not_sent');
    expect(code(applyPayment(kaveri1, payment({ amount: -1 })))).toBe('invalid_amount');
    expect(code(applyPayment(kaveri1, payment({ amount: 0 })))).toBe('invalid_amount');
    expect(code(applyPayment(kaveri1, payment({ method: '' })))).toBe('invalid_method');
    const once = value(applyPayment(kaveri1, payment({ amount: 100 }))).invoice;
    expect(code(applyPayment(once, payment({ amount: 100, reference: ' utr000111 ' })))).toBe('duplicate_payment');
    expect(code(applyPayment(once, payment({ amount: 200 })))).toBe('ok');
  });
});

describe('reconcile', () => {
  it('matches an exact payment by invoice number, whatever the spacing, case and separators', () => {
    const outcome = matched(reconcile({ payment: payment({ reference: 'neft inv 26-27-000101 kaveri' }), openInvoices: open }));
    expect(outcome).toMatchObject({ matchedBy: 'reference', invoiceNumber: 'INV/26-27/000101' });
    expect(outcome.application).toMatchObject({ outcome: 'full', balance: 0 });
    expect(outcome.application.invoice.status).toBe('paid');
    expect(matched(reconcile({ payment: payment({ reference: 'inv/26-27/000101' }), openInvoices: open })).invoiceNumber).toBe('INV/26-27/000101');
  });

  it('matches by the provider order id stored on the invoice', () => {
    const outcome = matched(reconcile({ payment: payment({ amount: 23_600_000, reference: 'ORDER_NQ8XYZ12', method: 'razorpay' }), openInvoices: open }));
    expect(outcome).toMatchObject({ matchedBy: 'reference', invoiceNumber: 'INV/26-27/000102' });
  });

  it('records a partial payment and an overpayment matched by reference', () => {
    const partial = matched(reconcile({ payment: payment({ amount: 2_000_000, reference: 'INV/26-27/000103 part' }), openInvoices: open }));
    expect(partial.application).toMatchObject({ outcome: 'partial', applied: 2_000_000, balance: 3_900_000 });
    const over = matched(reconcile({ payment: payment({ amount: 6_000_000, reference: 'INV/26-27/000103' }), openInvoices: open }));
    expect(over.application).toMatchObject({ outcome: 'overpaid', applied: 5_900_000, excess: 100_000, balance: 0 });
    expect(over.application.invoice.overpaid).toBe(100_000);
  });

  it('falls back to exact amount and client, by GSTIN or normalised name', () => {
    const byName = matched(reconcile({ payment: payment({ amount: 5_900_000, reference: 'UPI/8812', clientName: 'UJJWAL TRADERS.' }), openInvoices: open }));
    expect(byName).toMatchObject({ matchedBy: 'amount_and_client', invoiceNumber: 'INV/26-27/000103' });
    const byGstin = matched(reconcile({ payment: payment({ amount: 23_600_000, reference: 'UTR77', clientGstin: CLIENT_KA.gstin.toLowerCase() }), openInvoices: open }));
    expect(byGstin.invoiceNumber).toBe('INV/26-27/000102');
    expect(normaliseClientName('Kaveri Foods Private Limited')).toBe(normaliseClientName(CLIENT_KA.name));
  });

  it('sends unmatched and ambiguous payments to review', () => {
    const none = value(reconcile({ payment: payment({ amount: 1_234, reference: 'UTR99', clientName: 'Someone Else' }), openInvoices: open }));
    expect(none).toMatchObject({ status: 'unmatched', review: { status: 'unmatched', reason: 'no_match', candidates: [], receivedAt } });
    const anonymous = value(reconcile({ payment: payment({ reference: 'UTR98' }), openInvoices: open }));
    expect(anonymous).toMatchObject({ status: 'unmatched', review: { reason: 'no_match' } });
    // Near-miss references are not matches.
    const nearMiss = value(reconcile({ payment: payment({ reference: 'INV/26-27/0001011' }), openInvoices: open }));
    expect(nearMiss.status).toBe('unmatched');
    // Two open invoices of one client with the same amount: a person decides.
    const twin = { ...kaveri1, number: 'INV/26-27/000104' };
    const ambiguous = value(reconcile({ payment: payment({ reference: 'UTR55', clientName: 'Kaveri Foods' }), openInvoices: [...open, twin] }));
    expect(ambiguous).toMatchObject({ status: 'unmatched', review: { reason: 'ambiguous', candidates: ['INV/26-27/000101', 'INV/26-27/000104'] } });
  });

  it('ignores unsent invoices and reports a redelivered payment as a duplicate', () => {
    const unsent = draft({ number: 'INV/26-27/000200' });
    expect(value(reconcile({ payment: payment({ reference: 'INV/26-27/000200' }), openInvoices: [unsent] })).status).toBe('unmatched');
    const first = matched(reconcile({ payment: payment({ id: 'pay_1', reference: 'INV/26-27/000101' }), openInvoices: open }));
    const again = value(reconcile({ payment: payment({ id: 'pay_1', reference: 'INV/26-27/000101' }), openInvoices: [first.application.invoice, kaveri2, ujjwal] }));
    expect(again).toEqual({ status: 'duplicate', invoiceNumber: 'INV/26-27/000101' });
    const invalid = reconcile({ payment: payment({ amount: -5 }), openInvoices: open });
    expect(invalid.ok || invalid.error.code).toBe('invalid_amount');
  });

  it('normalises references', () => {
    expect(normaliseReference(' inv / 26-27 / 000123 ')).toBe('INV2627000123');
    expect(containsReference('UPI/INV-26-27-000123/ACME', 'INV/26-27/000123')).toBe(true);
    expect(containsReference('INV/26-27/0001234', 'INV/26-27/000123')).toBe(false);
    expect(containsReference('XINV/26-27/000123', 'INV/26-27/000123')).toBe(false);
  });
});

describe('disputes', () => {
  it('opens and resolves a dispute on a sent invoice', () => {
    const disputed = value(openDispute(kaveri1, { reason: 'Work not complete', at: receivedAt, amount: 1_000_000 }));
    expect(disputed.dispute).toEqual({ status: 'open', reason: 'Work not complete', openedAt: receivedAt, amount: 1_000_000 });
    const twice = openDispute(disputed, { reason: 'again', at: receivedAt });
    expect(twice.ok || twice.error.code).toBe('dispute_open');
    const resolved = value(resolveDispute(disputed, { resolution: 'Credit note CN/26-27/000001 issued', at: receivedAt }));
    expect(resolved.dispute).toMatchObject({ status: 'resolved', resolution: 'Credit note CN/26-27/000001 issued', resolvedAt: receivedAt });
    const none = resolveDispute(resolved, { resolution: 'x', at: receivedAt });
    expect(none.ok || none.error.code).toBe('no_open_dispute');
    const onDraft = openDispute(draft() as InvoiceDocument, { reason: 'x', at: receivedAt });
    expect(onDraft.ok || onDraft.error.code).toBe('invoice_not_sent');
  });
});
