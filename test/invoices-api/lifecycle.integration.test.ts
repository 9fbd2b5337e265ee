import { describe, expect, it } from 'vitest';
import { createInvoicingHook, sweepInvoices, type InvoiceDistribution, type InvoiceDistributor } from '../../queues/invoicing/index.ts';
import { billingInvoicesCollection, paymentRemindersCollection } from '../../core/billing/index.ts';
import { milestonesCollection } from '../../core/milestones/index.ts';
import type { DomainEvent } from '../../core/domain/index.ts';
import { pdfTextRuns } from '../invoicing/pdf-text.ts';
import { billingWorld, CLIENT_KA, CLIENT_MH, expectProblem, expectStatus, type InvoiceBody } from './invoice-fixture.ts';

describe('invoice numbers under concurrency', () => {
  it('gives 50 concurrent generations through the API 50 distinct, sequential numbers of one financial year', async () => {
    const w = await billingWorld({ slug: 'concurrent' });
    const p = await w.project(CLIENT_KA);
    const milestones = [];
    for (let i = 0; i < 50; i += 1) milestones.push(await w.billable(p.id, { amount: 100_000 + i, gstRate: 18 }));
    const answers = await Promise.all(milestones.map((m) => w.call('POST', '/v1/invoices', { body: { milestoneId: m.id } })));
    const invoices = await Promise.all(answers.map((r) => expectStatus<InvoiceBody>(r, 201)));
    const numbers = invoices.map((i) => i.number);
    expect(new Set(numbers).size).toBe(50);
    const fy = new Set(numbers.map((n) => n.split('/')[1]));
    expect(fy.size).toBe(1);
    const seqs = numbers.map((n) => Number(n.split('/')[2])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const list = await expectStatus<{ items: InvoiceBody[] }>(w.call('GET', '/v1/invoices?limit=500'), 200);
    expect(list.items).toHaveLength(50);
  });

  it('generates a batch with consecutive numbers and lists refused milestones separately', async () => {
    const w = await billingWorld({ slug: 'batch' });
    const p = await w.project(CLIENT_MH);
    const ok = [await w.billable(p.id), await w.billable(p.id)];
    const cancelled = await w.billable(p.id);
    await expectStatus(w.move(cancelled.id, 'cancelled'), 200);
    const res = await expectStatus<{ created: number; items: InvoiceBody[]; failures: Array<{ milestoneId: string; status: number; reason?: string }> }>(
      w.call('POST', '/v1/invoices/batch', { body: { milestoneIds: [ok[0]!.id, cancelled.id, ok[1]!.id, 'ms_missing'] } }),
      201,
    );
    expect(res.created).toBe(2);
    expect(res.items.map((i) => i.number)).toEqual(['INV/' + res.items[0]!.number.split('/')[1] + '/000001', 'INV/' + res.items[0]!.number.split('/')[1] + '/000002']);
    expect(res.failures).toEqual([
      expect.objectContaining({ milestoneId: cancelled.id, status: 409, reason: 'milestone_cancelled' }),
      expect.objectContaining({ milestoneId: 'ms_missing', status: 404 }),
    ]);
  });
});

describe('amendment, sending, credit notes', () => {
  it('amends a draft into a new version, freezes it once sent (409 pointing to credit notes), then credits it', async () => {
    const w = await billingWorld({ slug: 'amend' });
    const p = await w.project(CLIENT_KA);
    const m = await w.billable(p.id, { amount: 10_000_000, gstRate: 18 });
    const inv = await w.invoice(m.id);
    expect(inv.version).toBe(1);
    const amended = await expectStatus<InvoiceBody>(
      w.call('PATCH', `/v1/invoices/${inv.id}`, { body: { reason: 'Agreed discount', lines: [{ description: 'Foundation and plinth', hsnSac: '995411', taxableValue: 9_000_000, gstRate: 18 }] } }),
      200,
    );
    expect(amended).toMatchObject({ version: 2, number: inv.number, subtotal: 9_000_000, taxes: { cgst: 810_000, sgst: 810_000, igst: 0 }, total: 10_620_000 });
    expect((amended.history as unknown[]).length).toBe(1);
    await expectProblem(w.call('PATCH', `/v1/invoices/${inv.id}`, { body: { reason: 'stale', dueInDays: 10 }, headers: { 'If-Match': '"1"' } }), 409);
    await expectProblem(w.call('PATCH', `/v1/invoices/${inv.id}`, { body: { dueInDays: 10 } }), 400);

    const sent = await w.send(inv.id);
    expect(sent.status).toBe('sent');
    const locked = await expectProblem(w.call('PATCH', `/v1/invoices/${inv.id}`, { body: { reason: 'too late', dueInDays: 10 } }), 409);
    expect(locked).toMatchObject({ reason: 'invoice_locked', creditNotes: `/v1/invoices/${inv.id}/credit-notes` });

    const credited = await expectStatus<{ invoice: InvoiceBody; creditNote: { number: string; subtotal: number; total: number; originalInvoice: { number: string } } }>(
      w.call('POST', `/v1/invoices/${inv.id}/credit-notes`, { body: { reason: 'Short delivery', amount: 1_000_000 } }),
      201,
    );
    expect(credited.creditNote).toMatchObject({ subtotal: 1_000_000, total: 1_180_000, originalInvoice: { number: inv.number } });
    expect(credited.creditNote.number).toMatch(/^CN\/\d{2}-\d{2}\/000001$/);
    expect(credited.invoice).toMatchObject({ status: 'sent', balance: 10_620_000 - 1_180_000, amountCredited: 1_180_000 });
    const notes = await expectStatus<{ items: unknown[] }>(w.call('GET', `/v1/invoices/${inv.id}/credit-notes`), 200);
    expect(notes.items).toHaveLength(1);
    const over = await expectProblem(w.call('POST', `/v1/invoices/${inv.id}/credit-notes`, { body: { reason: 'too much', amount: 99_000_000 } }), 422);
    expect(over.errors?.[0]?.code).toBe('credit_exceeds_invoice');
    // A draft takes no credit note.
    const draft = await w.invoice((await w.billable(p.id)).id);
    const notSent = await expectProblem(w.call('POST', `/v1/invoices/${draft.id}/credit-notes`, { body: { reason: 'x' } }), 409);
    expect(notSent.reason).toBe('invoice_not_sent');
  });

  it('requires approval before sending when the tenant asks for it, and schedules sending for later', async () => {
    const w = await billingWorld({ slug: 'approve', settings: { requireApproval: true } });
    const p = await w.project(CLIENT_KA);
    const inv = await w.invoice((await w.billable(p.id)).id);
    const refused = await expectProblem(w.call('POST', `/v1/invoices/${inv.id}/send`, { body: {} }), 409);
    expect(refused.reason).toBe('approval_required');
    await expectStatus(w.call('POST', `/v1/invoices/${inv.id}/approve`, { body: {} }), 200);
    const later = new Date(Date.now() + 3_600_000);
    const scheduled = await expectStatus<InvoiceBody>(w.call('POST', `/v1/invoices/${inv.id}/send`, { body: { sendAt: later.toISOString() } }), 200);
    expect(scheduled).toMatchObject({ status: 'approved', scheduledSendAt: later.toISOString() });
    const early = await sweepInvoices({ store: w.services.store, now: new Date(), publicUrl: 'https://hub.test', tenantIds: [w.tenantId] });
    expect(early.sent).toEqual([]);
    const due = await sweepInvoices({ store: w.services.store, now: new Date(later.getTime() + 1000), publicUrl: 'https://hub.test', tenantIds: [w.tenantId] });
    expect(due.sent).toEqual([inv.id]);
    const after = await expectStatus<InvoiceBody>(w.call('GET', `/v1/invoices/${inv.id}`), 200);
    expect(after.status).toBe('sent');
    expect(after.scheduledSendAt).toBeUndefined();
  });
});

describe('rendering', () => {
  it('produces a PDF containing the invoice number and total', async () => {
    const w = await billingWorld({ slug: 'pdf' });
    const p = await w.project(CLIENT_MH);
    const inv = await w.invoice((await w.billable(p.id, { amount: 10_000_000, gstRate: 18 })).id);
    const res = await w.call('GET', `/v1/invoices/${inv.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfTextRuns(pdf).join('\n');
    expect(text).toContain(inv.number);
    // ₹1,18,000.00 in Indian grouping.
    expect(inv.total).toBe(11_800_000);
    expect(text).toContain('1,18,000.00');
  });
});

describe('automatic generation on the workflow trigger', () => {
  it('invoices a milestone once when it is verified (the redelivered event makes no second invoice) and distributes it when sent', async () => {
    const w = await billingWorld({ slug: 'auto' });
    const contacts = [{ name: 'Accounts', email: 'accounts@kaveri.example.in' }, { name: 'Owner', whatsapp: '+919876543210' }];
    const p = await w.project({ ...CLIENT_KA, contacts });
    const m = await w.billable(p.id);
    await w.verify(m.id);
    const stored = await w.services.store.forTenant(w.tenantId).collection(milestonesCollection).findById(m.id);
    const trigger = stored!.outbox.find((e) => e.type === 'invoice.requested');
    expect(trigger).toBeDefined();
    const distributed: InvoiceDistribution[] = [];
    const distributor: InvoiceDistributor = { distribute: async (r) => (distributed.push(r), { status: 'queued', notificationId: `ntf_${distributed.length}` }) };
    const hook = createInvoicingHook({ store: w.services.store, now: () => new Date(), publicUrl: 'https://hub.test', distributor });
    await hook(trigger!);
    await hook(trigger!);
    const list = await expectStatus<{ items: InvoiceBody[] }>(w.call('GET', `/v1/invoices?milestoneId=${m.id}`), 200);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ status: 'draft', subtotal: 10_000_000 });
    const moved = await expectStatus<{ status: string }>(w.call('GET', `/v1/milestones/${m.id}`), 200);
    expect(moved.status).toBe('invoiced');

    await w.send(list.items[0]!.id);
    const invoices = w.services.store.forTenant(w.tenantId).collection(billingInvoicesCollection);
    const sentEvent = (await invoices.findById(list.items[0]!.id))!.outbox!.find((e) => e.type === 'invoice.sent') as DomainEvent;
    await hook(sentEvent);
    await hook(sentEvent);
    expect(distributed.map((d) => d.recipient.email ?? d.recipient.whatsapp)).toEqual(['accounts@kaveri.example.in', '+919876543210']);
    expect(distributed[0]!.pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(distributed[1]!.link).toBe(`https://hub.test/v1/invoices/${list.items[0]!.id}/pdf`);
    const deliveries = (await invoices.findById(list.items[0]!.id))!.deliveries!;
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([['email', 'queued'], ['whatsapp', 'queued']]);

    // Reminders: once after the due day, not again on the next sweep.
    const dueDay = new Date(`${list.items[0]!.dueOn}T12:00:00+05:30`);
    const overdue = new Date(dueDay.getTime() + 8 * 86_400_000);
    const first = await sweepInvoices({ store: w.services.store, now: overdue, distributor, publicUrl: 'https://hub.test', tenantIds: [w.tenantId] });
    expect(first.reminders).toEqual([{ invoiceId: list.items[0]!.id, trigger: 'payment_overdue', offsetDays: 7 }]);
    const again = await sweepInvoices({ store: w.services.store, now: overdue, distributor, publicUrl: 'https://hub.test', tenantIds: [w.tenantId] });
    expect(again.reminders).toEqual([]);
    expect(await w.services.store.forTenant(w.tenantId).collection(paymentRemindersCollection).count()).toBe(1);
    expect(distributed.filter((d) => d.kind === 'reminder')).toHaveLength(2);
  });
});
