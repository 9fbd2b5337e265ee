import { describe, expect, it } from 'vitest';
import {
  applyPayment,
  escapeHtml,
  invoiceAppearanceSchema,
  pdfSafeText,
  renderInvoiceHtml,
  renderInvoiceJson,
  renderInvoicePdf,
} from '../../core/invoicing/index.ts';
import { CLIENT_MH, draft, sent } from './fixtures.ts';
import { pdfTextRuns } from './pdf-text.ts';

// A 1×1 transparent PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describe('renderInvoiceJson', () => {
  it('is canonical: sorted keys, ISO dates, integer paise, no store bookkeeping', () => {
    const invoice = { ...sent(), _id: 'inv_1', tenantId: 'tn_1', version: 3, createdAt: new Date(), updatedAt: new Date() };
    const json = renderInvoiceJson(invoice);
    expect(json).toMatchObject({
      schema: 'milestone-hub/invoice@1',
      id: 'inv_1',
      number: 'INV/26-27/000001',
      subtotal: 10_000_000,
      taxes: { cgst: 900_000, sgst: 900_000, igst: 0 },
      total: 11_800_000,
      issueDate: '2026-06-15T20:00:00.000Z',
      dueDate: '2026-07-15T18:30:00.000Z',
      sentAt: '2026-06-16T05:00:00.000Z',
      status: 'sent',
    });
    for (const key of ['tenantId', 'version', 'createdAt', 'updatedAt', '_id']) expect(json).not.toHaveProperty(key);
    const keys = Object.keys(json).slice(2);
    expect(keys).toEqual([...keys].sort());
    expect(JSON.stringify(renderInvoiceJson({ ...invoice }))).toBe(JSON.stringify(json));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('renderInvoiceHtml', () => {
  it('prints a tax invoice with GSTINs, place of supply, HSN/SAC, taxes, round-off and amount in words', () => {
    const html = renderInvoiceHtml(draft({ milestone: { id: 'm', title: 'Odd amount', payment: { amount: 1_234_561, gstRate: 18, hsnSac: '995411' } }, options: { roundOffToRupee: true } }));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<title>Tax Invoice INV/26-27/000001</title>');
    expect(html).toContain('29AABCT1332L1ZA');
    expect(html).toContain('29AAGCB7383J1Z4');
    expect(html).toContain('Karnataka (29)');
    expect(html).toContain('<th>HSN/SAC</th>');
    expect(html).toContain('995411');
    expect(html).toContain('<th class="num">CGST</th>');
    expect(html).toContain('<th class="num">SGST</th>');
    expect(html).not.toContain('IGST');
    expect(html).toContain('<tr><th>Round off</th><td class="num">₹0.19</td></tr>');
    expect(html).toContain('<tr class="total"><th>Total</th><td class="num">₹14,568.00</td></tr>');
    expect(html).toContain('Rupees Fourteen Thousand Five Hundred Sixty-Eight Only');
    expect(html).toContain('Bank details');
    expect(html).toContain('Authorised Signatory');
    expect(html).toContain('Draft - not a valid tax invoice until issued');
    const inter = renderInvoiceHtml(sent({ client: CLIENT_MH }));
    expect(inter).toContain('<th class="num">IGST</th>');
    expect(inter).not.toContain('CGST');
    expect(inter).not.toContain('Draft');
  });

  it('escapes client names and every other value, and drops unsafe branding', () => {
    const evil = '<script>alert("x")</script> & Sons\'';
    const html = renderInvoiceHtml(draft({ client: { name: evil, stateCode: '29', address: '<img src=x onerror=alert(1)>' } }), {
      branding: { primaryColor: 'red;} body{display:none', logoDataUrl: 'javascript:alert(1)', footer: '<b>Thanks</b>' },
      template: { title: 'Tax <Invoice>', bankDetails: { bankName: 'HDFC "Bank"', ifsc: 'HDFC0001234' }, terms: ['Pay in <30> days'] },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('display:none');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons&#39;');
    expect(html).toContain('&lt;b&gt;Thanks&lt;/b&gt;');
    expect(html).toContain('Tax &lt;Invoice&gt;');
    expect(html).toContain('HDFC &quot;Bank&quot;');
    expect(html).toContain('Pay in &lt;30&gt; days');
    expect(html).toContain('#1f3a5f');
    expect(escapeHtml(`a<b>"c"&'d'`)).toBe('a&lt;b&gt;&quot;c&quot;&amp;&#39;d&#39;');
  });

  it('uses valid branding and shows payments', () => {
    const invoice = sent();
    const paid = applyPayment(invoice, { amount: 1_800_000, reference: 'UTR1', method: 'upi', receivedAt: new Date('2026-07-01T00:00:00Z') });
    if (!paid.ok) throw new Error(paid.error.message);
    const html = renderInvoiceHtml(paid.value.invoice, { branding: { primaryColor: '#0A8', logoDataUrl: PNG, footer: 'GST registered' } });
    expect(html).toContain('#00aa88');
    expect(html).toContain(`<img src="${PNG}"`);
    expect(html).toContain('<tr><th>Balance due</th><td class="num">₹1,00,000.00</td></tr>');
  });

  it('validates tenant appearance data', () => {
    expect(invoiceAppearanceSchema.safeParse({ branding: { primaryColor: '#123456' }, template: { bankDetails: { ifsc: 'hdfc0001234' } } }).success).toBe(true);
    expect(invoiceAppearanceSchema.safeParse({ branding: { primaryColor: 'red' } }).success).toBe(false);
    expect(invoiceAppearanceSchema.safeParse({ branding: { logoDataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' } }).success).toBe(false);
    expect(invoiceAppearanceSchema.safeParse({ template: { bankDetails: { ifsc: 'HDFC123' } } }).success).toBe(false);
  });
});

describe('renderInvoicePdf', () => {
  it('produces a PDF that contains the invoice number and the total', async () => {
    const invoice = sent({ client: { ...CLIENT_MH, name: 'Ujjwal ₹ Traders राम' } });
    const pdf = await renderInvoicePdf(invoice, { branding: { logoDataUrl: PNG, primaryColor: '#aa3300', footer: 'Thank you' }, compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    const runs = pdfTextRuns(pdf);
    expect(runs).toContain('INV/26-27/000001');
    expect(runs).toContain('Rs. 1,18,000.00');
    expect(runs).toContain('Rupees One Lakh Eighteen Thousand Only');
    expect(runs).toContain('GSTIN: 27AAPFU0939F1ZV');
    expect(runs).toContain('Ujjwal Rs. Traders ???');
    expect(runs.join('\n')).toContain('IGST');
  });

  it('compresses by default, and the compressed text is the same', async () => {
    const invoice = draft({ options: { roundOffToRupee: true } });
    const compressed = await renderInvoicePdf(invoice);
    const plain = await renderInvoicePdf(invoice, { compress: false });
    expect(compressed.length).toBeLessThan(plain.length);
    expect(pdfTextRuns(compressed)).toEqual(pdfTextRuns(plain));
    expect(pdfTextRuns(compressed)).toContain('INV/26-27/000001');
    expect(pdfTextRuns(compressed)).toContain('DRAFT - not a valid tax invoice until issued');
    // Rendering is deterministic for the same invoice.
    expect((await renderInvoicePdf(invoice)).equals(compressed)).toBe(true);
  });

  it('keeps many lines readable across pages', async () => {
    const base = draft();
    const lines = Array.from({ length: 60 }, (_, i) => ({ ...base.lines[0]!, lineNo: i + 1, description: `Line ${i + 1} ${'long text '.repeat(i % 5)}` }));
    const pdf = await renderInvoicePdf({ ...base, lines }, { compress: false });
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThan(1);
    expect(pdfTextRuns(pdf).some((run) => run.startsWith('Line 60 long text'))).toBe(true);
  });

  it('prints only what Helvetica can draw', () => {
    expect(pdfSafeText('₹500 – Café “Noir” ā ब')).toBe('Rs. 500 – Café “Noir” a ?');
  });
});
