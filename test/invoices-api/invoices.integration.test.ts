import { describe, expect, it } from 'vitest';
import { billingWorld, CLIENT_KA, CLIENT_MH, expectProblem, expectStatus, type InvoiceBody } from './invoice-fixture.ts';

describe('supplier details through PATCH /v1/tenant', () => {
  it('stores valid supplier details and shows them on the tenant', async () => {
    const w = await billingWorld();
    const t = await expectStatus<{ supplier: Record<string, string>; supplierComplete: boolean; invoicing: Record<string, unknown> }>(w.call('GET', '/v1/tenant'), 200);
    expect(t.supplier).toMatchObject({ gstin: '29AABCT1332L1ZA', stateCode: '29' });
    expect(t.supplierComplete).toBe(true);
    const me = await expectStatus<{ tenant: { supplier: Record<string, string> } }>(w.call('GET', '/v1/me'), 200);
    expect(me.tenant.supplier.legalName).toBe('Tanvi Build Tech Private Limited');
  });

  it('refuses a GSTIN with a wrong check character, a GSTIN of another state and a bad numbering scheme with 4xx problem+json', async () => {
    const w = await billingWorld({ slug: 'badgstin' });
    const checksum = await expectProblem(w.call('PATCH', '/v1/tenant', { body: { gstin: '29AABCT1332L1ZB' } }), 422);
    expect(checksum.errors?.[0]).toMatchObject({ path: 'body.gstin', code: 'invalid_gstin' });
    const state = await expectProblem(w.call('PATCH', '/v1/tenant', { body: { gstin: '27AAPFU0939F1ZV' } }), 422);
    expect(state.errors?.[0]?.code).toBe('gstin_state_mismatch');
    const numbering = await expectProblem(w.call('PATCH', '/v1/tenant', { body: { numbering: { prefix: 'TANVIBUILD', fyStyle: 'long' } } }), 422);
    expect(numbering.errors?.[0]?.path).toBe('body.numbering');
    await expectProblem(w.call('PATCH', '/v1/tenant', { body: { stateCode: 'KA' } }), 400);
    await expectProblem(w.call('PATCH', '/v1/tenant', { body: { unknownField: 1 } }), 400);
    // Nothing was changed by the refused requests.
    const t = await expectStatus<{ supplier: Record<string, string> }>(w.call('GET', '/v1/tenant'), 200);
    expect(t.supplier.gstin).toBe('29AABCT1332L1ZA');
  });
});

describe('POST /v1/invoices: the GST split', () => {
  it('splits intra-state supply into CGST + SGST, exact to the paisa', async () => {
    const w = await billingWorld({ slug: 'intra' });
    const p = await w.project(CLIENT_KA);
    const m = await w.billable(p.id, { amount: 1_234_567, gstRate: 18, dueInDays: 15, hsnSac: '995411' });
    const inv = await w.invoice(m.id);
    expect(inv).toMatchObject({ milestoneId: m.id, status: 'draft', supply: 'intra-state', subtotal: 1_234_567, taxes: { cgst: 111_111, sgst: 111_111, igst: 0 }, roundOff: 0, total: 1_456_789 });
    expect(inv.number).toMatch(/^INV\/\d{2}-\d{2}\/000001$/);
    expect(inv.lines[0]).toMatchObject({ hsnSac: '995411', taxableValue: 1_234_567 });
    expect(inv.supplier).toMatchObject({ gstin: '29AABCT1332L1ZA' });
    expect(inv.amountInWords).toBe('Rupees Fourteen Thousand Five Hundred Sixty-Seven and Eighty-Nine Paise Only');
    const list = await expectStatus<{ items: InvoiceBody[] }>(w.call('GET', `/v1/invoices?milestoneId=${m.id}`), 200);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: inv.id, number: inv.number, milestoneId: m.id, subtotal: 1_234_567, taxes: { cgst: 111_111, sgst: 111_111, igst: 0 }, total: 1_456_789, status: 'draft' });
    for (const v of [list.items[0]!.subtotal, list.items[0]!.total, list.items[0]!.taxes.cgst]) expect(Number.isInteger(v)).toBe(true);
  });

  it('charges IGST on inter-state supply and shows rounding to the rupee as a separate line when the tenant chooses it', async () => {
    const w = await billingWorld({ slug: 'inter', settings: { roundOffToRupee: true } });
    const p = await w.project(CLIENT_MH);
    const m = await w.billable(p.id, { amount: 1_234_567, gstRate: 18 });
    const inv = await w.invoice(m.id);
    expect(inv).toMatchObject({ supply: 'inter-state', subtotal: 1_234_567, taxes: { cgst: 0, sgst: 0, igst: 222_222 } });
    // ₹14,567.89 rounds to ₹14,568.00: +11 paise on its own line.
    expect(inv.roundOff).toBe(11);
    expect(inv.total).toBe(1_456_800);
    const html = await w.call('GET', `/v1/invoices/${inv.id}/html`);
    expect(html.headers.get('content-type')).toContain('text/html');
    const text = await html.text();
    expect(text).toContain(inv.number);
    expect(text).toMatch(/Round/i);
    // The default HSN/SAC and GST rate apply where the terms name none.
    await expectStatus(w.call('PATCH', '/v1/tenant', { body: { defaultHsnSac: '998314', defaultGstRate: 12 } }), 200);
    const m2 = await w.billable(p.id, { amount: 100_000 });
    const inv2 = await w.invoice(m2.id);
    expect(inv2.lines[0]).toMatchObject({ hsnSac: '998314', igst: 12_000 });
    expect(inv2.number).not.toBe(inv.number);
  });

  it('bills a percent complete, then the rest, and previews without numbering or saving', async () => {
    const w = await billingWorld({ slug: 'partial' });
    const p = await w.project(CLIENT_KA);
    const m = await w.billable(p.id, { amount: 10_000_000, gstRate: 18 });
    const preview = await expectStatus<InvoiceBody>(w.call('POST', '/v1/invoices/preview', { body: { milestoneId: m.id, percent: 40 } }), 200);
    expect(preview).toMatchObject({ number: 'PREVIEW', subtotal: 4_000_000, preview: true });
    expect((await expectStatus<{ items: unknown[] }>(w.call('GET', `/v1/invoices?milestoneId=${m.id}`), 200)).items).toHaveLength(0);
    const first = await w.invoice(m.id, { percent: 40 });
    expect(first.subtotal).toBe(4_000_000);
    const rest = await w.invoice(m.id);
    expect(rest.subtotal).toBe(6_000_000);
    const nothing = await expectProblem(w.call('POST', '/v1/invoices', { body: { milestoneId: m.id } }), 422);
    expect(nothing.errors?.[0]?.code).toBe('nothing_to_invoice');
    expect(first.number < rest.number).toBe(true);
  });
});

describe('bad input gets a clear 4xx', () => {
  it('refuses a cancelled milestone, an unknown one, one without terms, and invoicing before supplier details', async () => {
    const w = await billingWorld({ slug: 'bad' });
    const p = await w.project(CLIENT_KA);
    const m = await w.billable(p.id);
    await expectStatus(w.move(m.id, 'cancelled'), 200);
    const cancelled = await expectProblem(w.call('POST', '/v1/invoices', { body: { milestoneId: m.id } }), 409);
    expect(cancelled.reason).toBe('milestone_cancelled');
    await expectProblem(w.call('POST', '/v1/invoices', { body: { milestoneId: 'ms_nope' } }), 404);
    const bare = await w.milestone(p.id, { title: 'No terms' });
    const terms = await expectProblem(w.call('POST', '/v1/invoices', { body: { milestoneId: bare.id } }), 422);
    expect(terms.errors?.[0]?.code).toBe('payment_terms_missing');
    await expectProblem(w.call('POST', '/v1/invoices', { body: { milestoneId: m.id, percent: -5 } }), 400);
    await expectProblem(w.call('POST', '/v1/invoices', { body: {} }), 400);
    await expectProblem(w.call('GET', '/v1/invoices/inv_missing'), 404);
    await expectProblem(w.call('GET', '/v1/invoices/inv_missing/pdf'), 404);

    const other = await (await import('../milestones/milestone-fixtures.ts')).milestoneWorld('nosupplier2');
    const op = await other.project();
    const om = await other.milestone(op.id, { payment: { amount: 100_000, gstRate: 18 } });
    const missing = await expectProblem(other.call('POST', '/v1/invoices', { body: { milestoneId: om.id } }), 422);
    expect(missing.errors?.[0]?.code).toBe('supplier_incomplete');
  });

  it('keeps tenants apart: another tenant cannot read or amend an invoice', async () => {
    const w = await billingWorld({ slug: 'mine' });
    const p = await w.project();
    const inv = await w.invoice((await w.billable(p.id)).id);
    const other = await w.tenant('theirs');
    await expectProblem(w.callAs(other.key, 'GET', `/v1/invoices/${inv.id}`), 404);
    await expectProblem(w.callAs(other.key, 'PATCH', `/v1/invoices/${inv.id}`, { body: { reason: 'x', dueInDays: 5 } }), 404);
    expect((await expectStatus<{ items: unknown[] }>(w.callAs(other.key, 'GET', '/v1/invoices'), 200)).items).toHaveLength(0);
  });
});
