import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { billingInvoicesCollection } from '../../core/billing/index.ts';
import { createRazorpayPaymentHandler } from '../../queues/invoicing/index.ts';
import { hookFixture, randomSecret, waitFor } from '../webhooks/hook-fixture.ts';
import { billingWorld, CLIENT_KA, CLIENT_MH, expectProblem, expectStatus, SUPPLIER_KA, type InvoiceBody } from '../invoices-api/invoice-fixture.ts';

interface PaymentAnswer {
  id: string;
  status: 'applied' | 'review' | 'duplicate';
  matchedBy?: string;
  outcome?: string;
  applied?: number;
  excess?: number;
  invoice?: InvoiceBody;
  reviewId?: string;
}

/** A tenant with sent invoices to pay. */
async function payable(slug: string) {
  const w = await billingWorld({ slug });
  const p = await w.project(CLIENT_KA);
  const sentInvoice = async (amount = 10_000_000) => {
    const m = await w.billable(p.id, { amount, gstRate: 18 });
    const inv = await w.invoice(m.id);
    await w.send(inv.id);
    return { milestoneId: m.id, invoice: inv };
  };
  const pay = (body: Record<string, unknown>) => expectStatus<PaymentAnswer>(w.call('POST', '/v1/payments', { body }), 201);
  return { ...w, sentInvoice, pay };
}

describe('recording and reconciling payments', () => {
  it('applies a partial payment matched by reference, then the exact rest, and takes the same payment twice as a duplicate', async () => {
    const w = await payable('pay-exact');
    const { invoice } = await w.sentInvoice();
    const partial = await w.pay({ amount: 5_000_000, reference: `UTR 1234 ${invoice.number}`, method: 'neft' });
    expect(partial).toMatchObject({ status: 'applied', matchedBy: 'reference', outcome: 'partial', applied: 5_000_000, excess: 0 });
    expect(partial.invoice).toMatchObject({ status: 'partially_paid', balance: 6_800_000 });
    const rest = await w.pay({ invoiceId: invoice.id, amount: 6_800_000, reference: 'UTR 5678', method: 'rtgs' });
    expect(rest).toMatchObject({ status: 'applied', outcome: 'full', applied: 6_800_000 });
    expect(rest.invoice).toMatchObject({ status: 'paid', balance: 0, amountPaid: 11_800_000 });
    const again = await w.pay({ invoiceId: invoice.id, amount: 6_800_000, reference: 'UTR 5678', method: 'rtgs' });
    expect(again.status).toBe('duplicate');
    const inv = await expectStatus<InvoiceBody>(w.call('GET', `/v1/invoices/${invoice.id}`), 200);
    expect(inv.amountPaid).toBe(11_800_000);
  });

  it('raises invoice events on the invoice aggregate and payment events on the payment aggregate, each naming the milestone', async () => {
    const w = await payable('pay-aggregates');
    const { invoice, milestoneId } = await w.sentInvoice();
    const paid = await w.pay({ invoiceId: invoice.id, amount: 11_800_000, reference: 'UTR 77', method: 'neft' });
    const stored = await w.services.store.forTenant(w.tenantId).collection(billingInvoicesCollection).findById(invoice.id);
    const events = (stored?.outbox ?? []).map((e) => ({ type: e.type, aggregate: e.aggregate, milestoneId: e.data.milestoneId, invoiceId: e.data.invoiceId }));
    const about = { milestoneId, invoiceId: invoice.id };
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'invoice.created', aggregate: { type: 'invoice', id: invoice.id }, ...about },
        { type: 'invoice.sent', aggregate: { type: 'invoice', id: invoice.id }, ...about },
        { type: 'invoice.paid', aggregate: { type: 'invoice', id: invoice.id }, ...about },
        { type: 'payment.applied', aggregate: { type: 'payment', id: paid.id }, ...about },
      ]),
    );
    expect(events.some((e) => e.aggregate.type === 'milestone')).toBe(false);
  });

  it('moves a verified and invoiced milestone to paid when its invoice is settled', async () => {
    const w = await payable('pay-milestone');
    const p = await w.project(CLIENT_KA);
    const m = await w.billable(p.id, { amount: 1_000_000, gstRate: 18 });
    await w.verify(m.id);
    const inv = await w.invoice(m.id);
    expect((await expectStatus<{ status: string }>(w.call('GET', `/v1/milestones/${m.id}`), 200)).status).toBe('invoiced');
    await w.send(inv.id);
    await w.pay({ invoiceId: inv.id, amount: 1_180_000, reference: 'IMPS 99', method: 'imps' });
    expect((await expectStatus<{ status: string }>(w.call('GET', `/v1/milestones/${m.id}`), 200)).status).toBe('paid');
  });

  it('records an overpayment, matches by amount and client, and sends an unmatched payment to review for assignment', async () => {
    const w = await payable('pay-over');
    const a = await w.sentInvoice(1_000_000);
    const over = await w.pay({ invoiceId: a.invoice.id, amount: 1_200_000, reference: 'CHQ 42', method: 'cheque' });
    expect(over).toMatchObject({ outcome: 'overpaid', applied: 1_180_000, excess: 20_000 });
    expect(over.invoice).toMatchObject({ status: 'paid', overpaid: 20_000, balance: 0 });

    const b = await w.sentInvoice(2_000_000);
    const byClient = await w.pay({ amount: 2_360_000, reference: 'UPI 77881', method: 'upi', clientName: 'KAVERI FOODS PRIVATE LIMITED' });
    expect(byClient).toMatchObject({ status: 'applied', matchedBy: 'amount_and_client', outcome: 'full' });
    expect(byClient.invoice?.id).toBe(b.invoice.id);

    const c = await w.sentInvoice(3_000_000);
    const unmatched = await w.pay({ amount: 123_456, reference: 'UPI 55', method: 'upi' });
    expect(unmatched).toMatchObject({ status: 'review' });
    const reviews = await expectStatus<{ items: Array<{ id: string; reason: string; payment: { amount: number } }> }>(w.call('GET', '/v1/payment-reviews'), 200);
    expect(reviews.items).toEqual([expect.objectContaining({ id: unmatched.reviewId, reason: 'no_match', payment: expect.objectContaining({ amount: 123_456 }) })]);
    const resolved = await expectStatus<{ review: { status: string }; invoice: InvoiceBody; payment: PaymentAnswer }>(
      w.call('POST', `/v1/payment-reviews/${unmatched.reviewId}/resolve`, { body: { invoiceId: c.invoice.id } }),
      200,
    );
    expect(resolved.review.status).toBe('resolved');
    expect(resolved.invoice).toMatchObject({ status: 'partially_paid', balance: 3_540_000 - 123_456 });
    expect(resolved.payment).toMatchObject({ status: 'applied', matchedBy: 'review' });
    await expectProblem(w.call('POST', `/v1/payment-reviews/${unmatched.reviewId}/resolve`, { body: { invoiceId: c.invoice.id } }), 409);
    expect((await expectStatus<{ items: unknown[] }>(w.call('GET', '/v1/payment-reviews'), 200)).items).toHaveLength(0);
  });

  it('records disputes and refuses bad payments with 4xx problem+json', async () => {
    const w = await payable('pay-bad');
    const { invoice } = await w.sentInvoice();
    await expectProblem(w.call('POST', '/v1/payments', { body: { invoiceId: invoice.id, amount: -100, reference: 'X', method: 'upi' } }), 400);
    await expectProblem(w.call('POST', '/v1/payments', { body: { invoiceId: invoice.id, amount: 10.5, reference: 'X', method: 'upi' } }), 400);
    await expectProblem(w.call('POST', '/v1/payments', { body: { amount: 100, method: 'upi' } }), 400);
    await expectProblem(w.call('POST', '/v1/payments', { body: { invoiceId: 'inv_nope', amount: 100, reference: 'X', method: 'upi' } }), 404);
    const draft = await w.invoice((await w.billable((await w.project(CLIENT_MH)).id)).id);
    const notSent = await expectProblem(w.call('POST', '/v1/payments', { body: { invoiceId: draft.id, amount: 100, reference: 'X', method: 'upi' } }), 409);
    expect(notSent.reason).toBe('invoice_not_sent');
    const disputed = await expectStatus<{ dispute: { status: string; reason: string; amount: number } }>(
      w.call('POST', `/v1/invoices/${invoice.id}/disputes`, { body: { reason: 'Plinth height short by 5 cm', amount: 500_000 } }),
      200,
    );
    expect(disputed.dispute).toMatchObject({ status: 'open', amount: 500_000 });
    await expectProblem(w.call('POST', `/v1/invoices/${invoice.id}/disputes`, { body: { reason: 'again' } }), 409);
    const resolved = await expectStatus<{ dispute: { status: string; resolution: string } }>(
      w.call('POST', `/v1/invoices/${invoice.id}/disputes/resolve`, { body: { resolution: 'Rework agreed' } }),
      200,
    );
    expect(resolved.dispute).toMatchObject({ status: 'resolved', resolution: 'Rework agreed' });
  });
});

describe('Razorpay reconciliation through /v1/hooks', () => {
  const fx = hookFixture('payments-razorpay');
  afterAll(async () => {
    await fx.close();
  });

  /** A tenant with a sent invoice for one milestone, a Razorpay connection and a worker running its payment handler. */
  async function razorpayTenant(slug: string, tower: string) {
    const t = await fx.tenant(slug);
    const call = (method: string, path: string, body?: unknown) => fx.call(method, path, { key: t.key, ...(body !== undefined ? { body } : {}) });
    await expectStatus(call('PATCH', '/v1/tenant', SUPPLIER_KA), 200);
    const p = await expectStatus<{ id: string }>(call('POST', '/v1/projects', { name: tower, client: CLIENT_KA, contractValue: 1_00_00_000_00 }), 201);
    const m = await expectStatus<{ id: string }>(call('POST', '/v1/milestones', { projectId: p.id, kind: 'milestone', title: 'Slab', payment: { amount: 10_000_000, gstRate: 18 } }), 201);
    const inv = await expectStatus<InvoiceBody>(call('POST', '/v1/invoices', { milestoneId: m.id }), 201);
    await expectStatus(call('POST', `/v1/invoices/${inv.id}/send`, {}), 200);
    const secret = randomSecret('rzp_whsec_');
    const connectionId = await fx.connection(t.id, { connector: 'razorpay', config: {}, secrets: [{ value: secret }] });
    fx.worker({ handlers: [createRazorpayPaymentHandler()] });
    return { t, call, p, m, inv, secret, connectionId };
  }

  it('verifies the signature, matches captured payments by invoice number, records each once and sends unknown ones to review', async () => {
    const { t, call, m, inv, secret, connectionId } = await razorpayTenant('razor', 'Tower C');
    const captured = (eventId: string, paymentId: string, amount: number, notes: Record<string, string>) => {
      const body = JSON.stringify({
        entity: 'event',
        account_id: 'acc_BFQ7uQEaa7j2z7',
        event: 'payment.captured',
        contains: ['payment'],
        payload: { payment: { entity: { id: paymentId, entity: 'payment', amount, currency: 'INR', status: 'captured', order_id: 'order_DBJOWzybf0sJbb', method: 'upi', notes, created_at: 1_782_000_000 } } },
        created_at: 1_782_000_001,
      });
      const signature = createHmac('sha256', secret).update(body).digest('hex');
      return { body, headers: { 'x-razorpay-signature': signature, 'x-razorpay-event-id': eventId } };
    };

    const forged = captured('evt_forged', 'pay_forged', 11_800_000, { invoice_number: inv.number });
    const bad = await fx.post(connectionId, forged.body, { ...forged.headers, 'x-razorpay-signature': '0'.repeat(64) });
    expect(bad.status).toBeGreaterThanOrEqual(400);
    expect(bad.status).toBeLessThan(500);

    const good = captured('evt_1', 'pay_29QQoUBi66xm2f', 11_800_000, { invoice_number: inv.number });
    expect((await fx.post(connectionId, good.body, good.headers)).status).toBe(202);
    const paid = await waitFor(async () => {
      const r = await expectStatus<InvoiceBody>(call('GET', `/v1/invoices/${inv.id}`), 200);
      return r.status === 'paid' && r;
    });
    expect(paid).toMatchObject({ amountPaid: 11_800_000, balance: 0 });

    // The same payment again (a retry under a new event id) changes nothing.
    const retry = captured('evt_2', 'pay_29QQoUBi66xm2f', 11_800_000, { invoice_number: inv.number });
    expect((await fx.post(connectionId, retry.body, retry.headers)).status).toBe(202);
    const unknown = captured('evt_3', 'pay_unknown0001', 77_700, {});
    expect((await fx.post(connectionId, unknown.body, unknown.headers)).status).toBe(202);
    const reviews = await waitFor(async () => {
      const r = await expectStatus<{ items: Array<{ payment: { amount: number; source?: string } }> }>(call('GET', '/v1/payment-reviews'), 200);
      return r.items.length > 0 && r;
    });
    expect(reviews.items).toEqual([expect.objectContaining({ payment: expect.objectContaining({ amount: 77_700, source: 'razorpay' }) })]);
    const payments = await expectStatus<{ items: PaymentAnswer[] }>(call('GET', `/v1/payments?invoiceId=${inv.id}`), 200);
    expect(payments.items).toHaveLength(1);
    const after = await expectStatus<InvoiceBody>(call('GET', `/v1/invoices/${inv.id}`), 200);
    expect(after.amountPaid).toBe(11_800_000);
  });

  it('records a payment Razorpay reports as failed as an ignored outcome with its reason, once, reconciling nothing', async () => {
    const { t, call, m, inv, secret, connectionId } = await razorpayTenant('razor-failed', 'Tower D');
    const signed = (eventId: string, event: string, entity: Record<string, unknown>) => {
      const body = JSON.stringify({ entity: 'event', event, contains: ['payment'], payload: { payment: { entity: { entity: 'payment', currency: 'INR', method: 'card', created_at: 1_782_000_000, ...entity } } }, created_at: 1_782_000_001 });
      return { body, headers: { 'x-razorpay-signature': createHmac('sha256', secret).update(body).digest('hex'), 'x-razorpay-event-id': eventId } };
    };
    const failedEvent = signed('evt_f1', 'payment.failed', {
      id: 'pay_failed00001',
      amount: 11_800_000,
      status: 'failed',
      notes: { invoice_number: inv.number },
      error_code: 'BAD_REQUEST_ERROR',
      error_description: 'Payment processing failed because of incorrect OTP',
    });
    // A capture event whose payment says failed is no payment either.
    const contradictory = signed('evt_f2', 'payment.captured', { id: 'pay_failed00002', amount: 11_800_000, status: 'failed', notes: { invoice_number: inv.number } });
    const answers = [await fx.post(connectionId, failedEvent.body, failedEvent.headers), await fx.post(connectionId, contradictory.body, contradictory.headers)];
    expect(answers.map((r) => r.status)).toEqual([202, 202]);
    const settled = await waitFor(async () => {
      const all = await fx.envelopes(t.id).find({});
      return all.length === 2 && all.every((e) => e.status !== 'received') && all;
    });
    const byPayment = (id: string) => settled.find((e) => e.outcome?.reason?.includes(id));
    expect(byPayment('pay_failed00001')).toMatchObject({ status: 'ignored', attempts: 1 });
    expect(byPayment('pay_failed00001')?.outcome?.reason).toContain('Payment processing failed because of incorrect OTP');
    expect(byPayment('pay_failed00002')).toMatchObject({ status: 'ignored', attempts: 1 });
    const invoice = await expectStatus<InvoiceBody>(call('GET', `/v1/invoices/${inv.id}`), 200);
    expect(invoice).toMatchObject({ status: 'sent', amountPaid: 0, balance: 11_800_000 });
    expect((await expectStatus<{ items: unknown[] }>(call('GET', '/v1/payments'), 200)).items).toEqual([]);
    expect((await expectStatus<{ items: unknown[] }>(call('GET', '/v1/payment-reviews'), 200)).items).toEqual([]);
  });
});
