import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { financialYear } from '../../core/money/index.ts';
import {
  DEFAULT_INVOICE_NUMBERING,
  formatDocumentNumber,
  generateInvoices,
  invoiceCountersCollection,
  invoicesCollection,
  nextCreditNoteNumber,
  nextInvoiceNumber,
  reserveInvoiceNumbers,
  resolveNumberingScheme,
} from '../../core/invoicing/index.ts';
import { createNedbStore, createStore, DuplicateKeyError } from '../../core/store/index.ts';
import type { Store } from '../../core/store/index.ts';
import { CLIENT_KA, CLIENT_MH, SUPPLIER, TZ } from './fixtures.ts';

let store: Store;
beforeAll(() => {
  store = createStore(createNedbStore({ dir: '', inMemory: true }));
});
afterAll(async () => {
  await store.close();
});

describe('numbering scheme', () => {
  it('formats INV/26-27/000123 by default, within GST’s 16 characters', () => {
    const n = formatDocumentNumber(DEFAULT_INVOICE_NUMBERING, '2026-27', 123);
    expect(n).toEqual({ ok: true, value: 'INV/26-27/000123' });
    expect(formatDocumentNumber({ prefix: 'MH', fyStyle: 'long', padding: 4, separator: '-' }, '2026-27', 7)).toEqual({ ok: true, value: 'MH-2026-27-0007' });
  });

  it('refuses schemes whose numbers could exceed 16 characters or use other characters', () => {
    const long = resolveNumberingScheme({ fyStyle: 'long' });
    expect(long.ok).toBe(false);
    if (!long.ok) {
      expect(long.error.code).toBe('invalid_numbering_scheme');
      expect(long.error.message).toMatch(/18 characters/);
    }
    expect(resolveNumberingScheme({ prefix: 'IN V' }).ok).toBe(false);
    expect(resolveNumberingScheme({ prefix: 'INV_' }).ok).toBe(false);
    expect(resolveNumberingScheme({ padding: 0 }).ok).toBe(false);
    expect(resolveNumberingScheme({ prefix: 'A', fyStyle: 'long', padding: 6 })).toEqual({
      ok: true,
      value: { prefix: 'A', fyStyle: 'long', padding: 6, separator: '/' },
    });
  });

  it('refuses a sequence that outgrows the padding past 16 characters', () => {
    expect(formatDocumentNumber(DEFAULT_INVOICE_NUMBERING, '2026-27', 1_000_000).ok).toBe(false);
    expect(formatDocumentNumber(DEFAULT_INVOICE_NUMBERING, '2026-28', 1).ok).toBe(false);
  });
});

describe('nextInvoiceNumber on the embedded store', () => {
  it('stays unique across 50 concurrent generations', async () => {
    const db = store.forTenant('tn_concurrent');
    const results = await Promise.all(Array.from({ length: 50 }, () => nextInvoiceNumber(db, { fy: '2026-27' })));
    const numbers = results.map((r) => (r.ok ? r.value.number : r.error.message));
    expect(new Set(numbers).size).toBe(50);
    expect([...numbers].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `INV/26-27/${String(i + 1).padStart(6, '0')}`));
    expect(await db.collection(invoiceCountersCollection).count({})).toBe(1);
    const other = await nextInvoiceNumber(store.forTenant('tn_other'), { fy: '2026-27' });
    expect(other.ok && other.value.number).toBe('INV/26-27/000001');
  });

  it('stores 50 concurrently generated invoices under a unique number index', async () => {
    const db = store.forTenant('tn_generate');
    const at = new Date('2026-09-01T06:00:00Z');
    const generated = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        generateInvoices(db, {
          supplier: SUPPLIER,
          issueDate: at,
          timeZone: TZ,
          items: [{ client: i % 2 ? CLIENT_KA : CLIENT_MH, milestone: { id: `ms_${i}`, title: `M${i}`, payment: { amount: 100_000, gstRate: 18 } } }],
        }),
      ),
    );
    expect(generated.every((g) => g.ok && g.value.invoices.length === 1)).toBe(true);
    const stored = await db.collection(invoicesCollection).find({}, { sort: { number: 1 } });
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((s) => s.number)).size).toBe(50);
    expect(stored[49]?.number).toBe('INV/26-27/000050');
    // The unique index is the last line of defence against a reused number.
    const { _id, version, createdAt, updatedAt, tenantId, ...copy } = stored[0]!;
    void [_id, version, createdAt, updatedAt, tenantId];
    await expect(db.collection(invoicesCollection).insert(copy)).rejects.toBeInstanceOf(DuplicateKeyError);
  });

  it('rolls over to a new series at midnight on 1 April in Asia/Kolkata', async () => {
    const db = store.forTenant('tn_rollover');
    const lastSecond = new Date('2027-03-31T18:29:59Z'); // 23:59:59 on 31 March in Kolkata
    const firstSecond = new Date('2027-03-31T18:30:00Z'); // 00:00:00 on 1 April in Kolkata
    expect(financialYear(lastSecond, TZ).label).toBe('2026-27');
    expect(financialYear(firstSecond, TZ).label).toBe('2027-28');
    const item = { client: CLIENT_KA, milestone: { id: 'ms', title: 'M', payment: { amount: 100_000, gstRate: 18 } } };
    const a = await generateInvoices(db, { supplier: SUPPLIER, issueDate: lastSecond, timeZone: TZ, items: [item, item] });
    const b = await generateInvoices(db, { supplier: SUPPLIER, issueDate: firstSecond, timeZone: TZ, items: [item] });
    expect(a.ok && a.value.invoices.map((i) => [i.number, i.financialYear, i.issuedOn])).toEqual([
      ['INV/26-27/000001', '2026-27', '2027-03-31'],
      ['INV/26-27/000002', '2026-27', '2027-03-31'],
    ]);
    expect(b.ok && b.value.invoices.map((i) => [i.number, i.financialYear, i.issuedOn])).toEqual([['INV/27-28/000001', '2027-28', '2027-04-01']]);
    // In UTC both instants are 31 March; the tenant's zone decides.
    expect(financialYear(firstSecond, 'UTC').label).toBe('2026-27');
  });

  it('reserves consecutive blocks and keeps credit notes in their own series', async () => {
    const db = store.forTenant('tn_blocks');
    const block = await reserveInvoiceNumbers(db, { fy: '2026-27', count: 3 });
    expect(block.ok && block.value.map((n) => n.number)).toEqual(['INV/26-27/000001', 'INV/26-27/000002', 'INV/26-27/000003']);
    const next = await nextInvoiceNumber(db, { fy: financialYear(new Date('2026-12-01T00:00:00Z')) });
    expect(next.ok && next.value).toEqual({ number: 'INV/26-27/000004', seq: 4, financialYear: '2026-27', series: 'invoice' });
    const cn = await nextCreditNoteNumber(db, { fy: '2026-27' });
    expect(cn.ok && cn.value.number).toBe('CN/26-27/000001');
    const custom = await nextInvoiceNumber(db, { fy: '2026-27', prefix: 'BLR', padding: 5, separator: '-' });
    expect(custom.ok && custom.value.number).toBe('BLR-26-27-00005');
  });

  it('refuses bad years, counts and schemes without moving the counter', async () => {
    const db = store.forTenant('tn_refusals');
    expect((await nextInvoiceNumber(db, { fy: '2026-2027' })).ok).toBe(false);
    expect((await nextInvoiceNumber(db, { fy: '2026-27', fyStyle: 'long' })).ok).toBe(false);
    expect((await reserveInvoiceNumbers(db, { fy: '2026-27', count: 0 })).ok).toBe(false);
    expect((await nextInvoiceNumber(db, { fy: '2026-27', series: 'Bad Series' })).ok).toBe(false);
    expect(await db.collection(invoiceCountersCollection).count({})).toBe(0);
  });

  it('takes no numbers for refused batch items', async () => {
    const db = store.forTenant('tn_batch_refusals');
    const result = await generateInvoices(db, {
      supplier: SUPPLIER,
      issueDate: new Date('2026-07-01T06:00:00Z'),
      timeZone: TZ,
      items: [
        { client: CLIENT_KA, milestone: { id: 'bad', title: 'Bad', payment: { amount: -5, gstRate: 18 } } },
        { client: CLIENT_KA, milestone: { id: 'good', title: 'Good', payment: { amount: 500, gstRate: 18 } } },
      ],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.invoices.map((i) => [i.milestoneId, i.number])).toEqual([['good', 'INV/26-27/000001']]);
    expect(result.value.failures.map((f) => f.milestoneId)).toEqual(['bad']);
  });
});
