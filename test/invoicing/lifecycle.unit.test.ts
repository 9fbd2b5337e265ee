import { describe, expect, it } from 'vitest';
import {
  amendInvoice,
  applyCreditNote,
  applyPayment,
  approveInvoice,
  buildCreditNote,
  cancelInvoice,
  invoicedSoFar,
  markInvoiceSent,
} from '../../core/invoicing/index.ts';
import type { InvoiceDocument, InvoicingResult } from '../../core/invoicing/index.ts';
import { CLIENT_MH, draft, sent } from './fixtures.ts';

const at = new Date('2026-06-20T10:00:00Z');
function value<T>(result: InvoicingResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

describe('amendments', () => {
  it('recomputes a draft, bumps the revision and keeps history', () => {
    const original = draft();
    const amended = value(
      amendInvoice(original, {
        reason: 'client moved billing to Mumbai',
        at,
        by: 'usr_finance',
        client: CLIENT_MH,
        lines: [
          { description: 'Foundation and plinth', hsnSac: '995411', taxableValue: 9_000_000, gstRate: 18 },
          { description: 'Site survey', hsnSac: '998341', taxableValue: 500_000, gstRate: 18 },
        ],
        dueInDays: 45,
      }),
    );
    expect(amended.revision).toBe(2);
    expect(amended.number).toBe(original.number);
    expect(amended.supply).toBe('inter-state');
    expect(amended.placeOfSupply.code).toBe('27');
    expect(amended.subtotal).toBe(9_500_000);
    expect(amended.taxes).toEqual({ cgst: 0, sgst: 0, igst: 1_710_000 });
    expect(amended.total).toBe(11_210_000);
    expect(amended.balance).toBe(11_210_000);
    expect(amended.dueOn).toBe('2026-07-31');
    expect(amended.history).toHaveLength(1);
    expect(amended.history[0]).toMatchObject({ revision: 1, replacedAt: at, replacedBy: 'usr_finance', reason: 'client moved billing to Mumbai' });
    expect(amended.history[0]?.snapshot.totals.total).toBe(11_800_000);
    expect(amended.history[0]?.snapshot.client.stateCode).toBe('29');
    expect(original.revision).toBe(1);

    const third = value(amendInvoice(amended, { reason: 'typo', at, notes: 'PO 4411' }));
    expect(third.revision).toBe(3);
    expect(third.history.map((h) => h.revision)).toEqual([1, 2]);
    expect(third.notes).toBe('PO 4411');
  });

  it('withdraws an approval when an approved invoice is amended', () => {
    const approved = value(approveInvoice(draft(), { at, by: 'usr_manager' }));
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'usr_manager' });
    const amended = value(amendInvoice(approved, { reason: 'rate correction', at, lines: [{ description: 'Work', taxableValue: 100, gstRate: 12 }] }));
    expect(amended.status).toBe('draft');
    expect(amended.approvedAt).toBeUndefined();
    expect(amended.history[0]?.snapshot.status).toBe('approved');
  });

  it('refuses amendments once sent, without a reason, or with bad lines', () => {
    const locked = amendInvoice(sent(), { reason: 'too late', at });
    expect(locked.ok || locked.error.code).toBe('invoice_locked');
    expect(locked.ok || locked.error.message).toMatch(/credit note/);
    const noReason = amendInvoice(draft(), { reason: ' ', at });
    expect(noReason.ok || noReason.error.code).toBe('reason_required');
    const badLines = amendInvoice(draft(), { reason: 'x', at, lines: [{ description: 'Work', taxableValue: -100, gstRate: 18 }] });
    expect(badLines.ok || badLines.error.issues.map((i) => i.path)).toEqual(['lines.0.taxableValue']);
    const noLines = amendInvoice(draft(), { reason: 'x', at, lines: [] });
    expect(noLines.ok || noLines.error.code).toBe('invalid_lines');
  });
});

describe('approval and sending', () => {
  it('sends a draft directly unless the tenant requires approval', () => {
    expect(value(markInvoiceSent(draft(), { at })).status).toBe('sent');
    const refused = markInvoiceSent(draft(), { at, requireApproval: true });
    expect(refused.ok || refused.error.code).toBe('approval_required');
    const approved = value(approveInvoice(draft(), { at }));
    const out = value(markInvoiceSent(approved, { at, requireApproval: true }));
    expect(out).toMatchObject({ status: 'sent', sentAt: at });
    const twice = markInvoiceSent(out, { at });
    expect(twice.ok || twice.error.code).toBe('invalid_transition');
    const approveSent = approveInvoice(out, { at });
    expect(approveSent.ok || approveSent.error.code).toBe('invalid_transition');
  });

  it('cancels only unsent invoices', () => {
    const cancelled = value(cancelInvoice(draft(), { at, reason: 'duplicate' }));
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'duplicate', balance: 0 });
    expect(invoicedSoFar([cancelled, draft()])).toBe(10_000_000);
    const refused = cancelInvoice(sent(), { at, reason: 'x' });
    expect(refused.ok || refused.error.code).toBe('invoice_locked');
  });
});

describe('credit notes', () => {
  const cnAt = new Date('2026-07-10T06:00:00Z');

  it('credits part of a sent invoice, referencing its number and date', () => {
    const invoice = sent();
    const note = value(buildCreditNote(invoice, { reason: 'Short delivery of rebar', number: 'CN/26-27/000001', issueDate: cnAt, amount: 1_000_000 }));
    expect(note).toMatchObject({
      documentType: 'credit_note',
      number: 'CN/26-27/000001',
      financialYear: '2026-27',
      status: 'issued',
      issuedOn: '2026-07-10',
      originalInvoice: { number: 'INV/26-27/000001', issuedOn: '2026-06-16', financialYear: '2026-27', milestoneId: 'ms_1' },
      reason: 'Short delivery of rebar',
      supply: 'intra-state',
      subtotal: 1_000_000,
      taxes: { cgst: 90_000, sgst: 90_000, igst: 0 },
      total: 1_180_000,
      amountInWords: 'Rupees Eleven Thousand Eight Hundred Only',
    });
    expect(note.lines).toEqual([expect.objectContaining({ invoiceLineNo: 1, hsnSac: '995411', taxableValue: 1_000_000, gstRate: 18 })]);

    const credited = value(applyCreditNote(invoice, note));
    expect(credited).toMatchObject({ status: 'sent', amountCredited: 1_180_000, balance: 10_620_000, overpaid: 0 });
    expect(credited.creditNotes).toEqual([
      { number: 'CN/26-27/000001', issueDate: cnAt, issuedOn: '2026-07-10', reason: 'Short delivery of rebar', subtotal: 1_000_000, total: 1_180_000, lines: [{ lineNo: 1, taxableValue: 1_000_000 }] },
    ]);
    expect(invoicedSoFar([credited])).toBe(9_000_000);
    const twice = applyCreditNote(credited, note);
    expect(twice.ok || twice.error.code).toBe('duplicate_credit_note');

    // What is left can be credited in full, and no more.
    const rest = value(buildCreditNote(credited, { reason: 'Contract ended', number: 'CN/26-27/000002', issueDate: cnAt }));
    expect(rest.subtotal).toBe(9_000_000);
    const closed = value(applyCreditNote(credited, rest));
    expect(closed).toMatchObject({ status: 'credited', balance: 0, amountCredited: 11_800_000 });
    const more = buildCreditNote(closed, { reason: 'again', number: 'CN/26-27/000003', issueDate: cnAt, amount: 1 });
    expect(more.ok || more.error.code).toBe('credit_exceeds_invoice');
  });

  it('spreads an amount over lines in proportion and records overpayment after a paid invoice is credited', () => {
    const base = draft();
    const twoLines = value(
      amendInvoice(base, {
        reason: 'split',
        at,
        lines: [
          { description: 'A', taxableValue: 2_000_000, gstRate: 18 },
          { description: 'B', taxableValue: 1_000_001, gstRate: 5 },
        ],
      }),
    );
    const invoice = value(markInvoiceSent(twoLines, { at }));
    const paid = value(applyPayment(invoice, { amount: invoice.total, reference: 'UTR1', method: 'neft', receivedAt: at })).invoice;
    expect(paid.status).toBe('paid');
    const note = value(buildCreditNote(paid, { reason: 'discount', number: 'CN/26-27/000009', issueDate: cnAt, amount: 300_001 }));
    // 300,001 × 2,000,000 / 3,000,001 = 200,000.6 and × 1,000,001 / 3,000,001 = 100,000.4: the spare paisa goes to line 1.
    expect(note.lines.map((l) => [l.invoiceLineNo, l.taxableValue])).toEqual([
      [1, 200_001],
      [2, 100_000],
    ]);
    const after = value(applyCreditNote(paid, note));
    expect(after.status).toBe('paid');
    expect(after.balance).toBe(0);
    expect(after.overpaid).toBe(note.total);
  });

  it('credits chosen lines and refuses unknown or excessive ones', () => {
    const invoice = sent();
    const byLine = value(buildCreditNote(invoice, { reason: 'r', number: 'CN/26-27/000004', issueDate: cnAt, lines: [{ lineNo: 1, taxableValue: 50 }] }));
    expect(byLine.subtotal).toBe(50);
    expect(byLine.taxes).toEqual({ cgst: 5, sgst: 5, igst: 0 }); // 4.5 paise each rounds half-up
    const unknown = buildCreditNote(invoice, { reason: 'r', number: 'CN/26-27/000005', issueDate: cnAt, lines: [{ lineNo: 2, taxableValue: 50 }] });
    expect(unknown.ok || unknown.error.code).toBe('invalid_lines');
    const excessive = buildCreditNote(invoice, { reason: 'r', number: 'CN/26-27/000005', issueDate: cnAt, lines: [{ lineNo: 1, taxableValue: 10_000_001 }] });
    expect(excessive.ok || excessive.error.code).toBe('credit_exceeds_invoice');
  });

  it('is refused for unsent invoices, without a reason, before the invoice or after the GST deadline', () => {
    const refusal = (invoice: InvoiceDocument, input: Partial<Parameters<typeof buildCreditNote>[1]>) => {
      const r = buildCreditNote(invoice, { reason: 'r', number: 'CN/26-27/000001', issueDate: cnAt, ...input });
      return r.ok ? 'ok' : r.error.code;
    };
    expect(refusal(draft(), {})).toBe('invoice_not_sent');
    expect(refusal(sent(), { reason: '' })).toBe('reason_required');
    expect(refusal(sent(), { number: 'CN 1' })).toBe('invalid_number');
    expect(refusal(sent(), { amount: -5 })).toBe('invalid_amount');
    expect(refusal(sent(), { issueDate: new Date('2026-06-01T00:00:00Z') })).toBe('invalid_date');
    // FY 2026-27 ends 31 March 2027: credit notes may follow until 30 November 2027.
    expect(refusal(sent(), { issueDate: new Date('2027-11-30T12:00:00Z'), number: 'CN/27-28/000001' })).toBe('ok');
    expect(refusal(sent(), { issueDate: new Date('2027-11-30T18:30:00Z'), number: 'CN/27-28/000001' })).toBe('credit_note_too_late');
  });
});
