import { describe, expect, it } from 'vitest';
import { buildInvoice, buildInvoices, invoicedSoFar } from '../../core/invoicing/index.ts';
import { CLIENT_KA, CLIENT_MH, draft, input, ISSUE, SUPPLIER, TZ } from './fixtures.ts';

describe('buildInvoice: GST split', () => {
  it('splits intra-state supply into equal CGST and SGST', () => {
    const inv = draft();
    expect(inv.supply).toBe('intra-state');
    expect(inv.subtotal).toBe(10_000_000);
    expect(inv.taxes).toEqual({ cgst: 900_000, sgst: 900_000, igst: 0 });
    expect(inv.taxTotal).toBe(1_800_000);
    expect(inv.total).toBe(11_800_000);
    expect(inv.roundOff).toBe(0);
    expect(inv.amountInWords).toBe('Rupees One Lakh Eighteen Thousand Only');
    expect(inv.lines).toEqual([
      {
        lineNo: 1,
        description: 'Foundation and plinth',
        hsnSac: '995411',
        taxableValue: 10_000_000,
        gstRate: 18,
        cgst: 900_000,
        sgst: 900_000,
        igst: 0,
        tax: 1_800_000,
        total: 11_800_000,
      },
    ]);
  });

  it('charges IGST on inter-state supply', () => {
    const inv = draft({ client: CLIENT_MH });
    expect(inv.supply).toBe('inter-state');
    expect(inv.taxes).toEqual({ cgst: 0, sgst: 0, igst: 1_800_000 });
    expect(inv.placeOfSupply).toEqual({ code: '27', name: 'Maharashtra' });
    expect(inv.total).toBe(11_800_000);
  });

  it('is exact to the paisa, with halves of an odd tax rounding per half', () => {
    const ms = { id: 'ms_2', title: 'Odd amount', payment: { amount: 1_234_561, gstRate: 18 } };
    const intra = draft({ milestone: ms });
    // 9% of 12,345.61 is 1,111.1049 → 1,111.10 twice; 18% is 2,222.2098 → 2,222.21 once.
    expect(intra.taxes).toEqual({ cgst: 111_110, sgst: 111_110, igst: 0 });
    expect(intra.total).toBe(1_456_781);
    const inter = draft({ milestone: ms, client: CLIENT_MH });
    expect(inter.taxes.igst).toBe(222_221);
    expect(inter.total).toBe(1_456_782);
  });

  it('adds a separate round-off line when the tenant rounds to the rupee', () => {
    const ms = { id: 'ms_2', title: 'Odd amount', payment: { amount: 1_234_561, gstRate: 18 } };
    const intra = draft({ milestone: ms, options: { roundOffToRupee: true } });
    expect(intra.roundOff).toBe(19);
    expect(intra.total).toBe(1_456_800);
    expect(intra.subtotal + intra.taxTotal + intra.roundOff).toBe(intra.total);
    expect(intra.amountInWords).toBe('Rupees Fourteen Thousand Five Hundred Sixty-Eight Only');
    const inter = draft({ milestone: ms, client: CLIENT_MH, options: { roundOffToRupee: true } });
    expect(inter.roundOff).toBe(18);
    expect(inter.total).toBe(1_456_800);
    const down = draft({ milestone: { ...ms, payment: { amount: 100_010, gstRate: 0 } }, options: { roundOffToRupee: true } });
    expect(down.roundOff).toBe(-10);
    expect(down.total).toBe(100_000);
  });

  it('labels the state tax UTGST in a Union Territory without a legislature', () => {
    const chandigarh = { legalName: 'Sukhna Services', gstin: '04AAACC1206D1ZO', stateCode: '04', address: 'Sector 17, Chandigarh' };
    const inv = draft({ supplier: chandigarh, client: { name: 'Local Client', stateCode: '04' } });
    expect(inv.supply).toBe('intra-state');
    expect(inv.sgstLabel).toBe('UTGST');
    expect(inv.client.gstin).toBeUndefined();
  });

  it('uses an explicit place of supply and treats SEZ supply as inter-state', () => {
    expect(draft({ client: CLIENT_MH, options: { placeOfSupply: '29' } }).supply).toBe('intra-state');
    expect(draft({ options: { sez: true } }).taxes.igst).toBe(1_800_000);
  });
});

describe('buildInvoice: terms, partial invoicing, dates', () => {
  it('takes a percent of the contract value', () => {
    const inv = draft({ milestone: { id: 'm', title: 'Design sign-off', payment: { percent: 20, gstRate: 18 } }, contractValue: 500_000_000 });
    expect(inv.subtotal).toBe(100_000_000);
    expect(inv.share).toMatchObject({ milestoneAmount: 100_000_000, basis: 'full', billed: 100_000_000 });
  });

  it('bills the not-yet-invoiced share by percent complete', () => {
    const milestone = { id: 'm', title: 'Structure', payment: { amount: 100_000_000, gstRate: 18 } };
    const first = draft({ milestone, percentComplete: 25 });
    expect(first.subtotal).toBe(25_000_000);
    const second = draft({ milestone, percentComplete: 60, alreadyInvoiced: invoicedSoFar([first]) });
    expect(second.subtotal).toBe(35_000_000);
    expect(second.share).toEqual({ milestoneAmount: 100_000_000, basis: 'percent_complete', percent: 60, previouslyInvoiced: 25_000_000, billed: 35_000_000 });
    expect(second.lines[0]?.description).toBe('Structure - 60% complete, less amounts invoiced earlier');
    const rest = draft({ milestone, alreadyInvoiced: 60_000_000 });
    expect(rest.subtotal).toBe(40_000_000);
    const again = buildInvoice(input({ milestone, percentComplete: 60, alreadyInvoiced: 60_000_000 }));
    expect(again.ok || again.error.code).toBe('nothing_to_invoice');
  });

  it('bills a partial percent now, and never beyond the milestone', () => {
    const milestone = { id: 'm', title: 'Structure', payment: { amount: 100_000_000, gstRate: 18 } };
    expect(draft({ milestone, partialPercent: 12.5 }).subtotal).toBe(12_500_000);
    const over = buildInvoice(input({ milestone, partialPercent: 50, alreadyInvoiced: 60_000_000 }));
    expect(over.ok || over.error.code).toBe('exceeds_milestone_amount');
  });

  it('dates the invoice on the tenant calendar and derives the due date from the terms', () => {
    const inv = draft();
    expect(inv.issuedOn).toBe('2026-06-16');
    expect(inv.dueOn).toBe('2026-07-16');
    expect(inv.dueDate.toISOString()).toBe('2026-07-15T18:30:00.000Z');
    expect(inv.financialYear).toBe('2026-27');
    expect(inv.status).toBe('draft');
    expect(inv.revision).toBe(1);
    expect(inv.supplier).toEqual({ name: SUPPLIER.legalName, gstin: SUPPLIER.gstin, stateCode: '29', stateName: 'Karnataka', address: SUPPLIER.address });
    expect(inv.balance).toBe(inv.total);
    const defaultTerms = draft({ milestone: { id: 'm', title: 'T', payment: { amount: 100, gstRate: 5 } }, options: { defaultDueInDays: 15 } });
    expect(defaultTerms.dueOn).toBe('2026-07-01');
  });

  it('accepts GSTINs in lower case with spaces and prints them normalised', () => {
    const inv = draft({ supplier: { ...SUPPLIER, gstin: ' 29aabct1332l1za ' } });
    expect(inv.supplier.gstin).toBe('29AABCT1332L1ZA');
  });
});

describe('buildInvoice: bad input', () => {
  const codes = (result: ReturnType<typeof buildInvoice>) => (result.ok ? [] : result.error.issues.map((i) => `${i.path}:${i.code}`));

  it('refuses an invalid supplier GSTIN, and one from another state', () => {
    expect(codes(buildInvoice(input({ supplier: { ...SUPPLIER, gstin: '29AABCT1332L1ZB' } })))).toEqual(['supplier.gstin:invalid_gstin']);
    expect(codes(buildInvoice(input({ supplier: { ...SUPPLIER, gstin: 'NOT-A-GSTIN' } })))).toEqual(['supplier.gstin:invalid_gstin']);
    expect(codes(buildInvoice(input({ supplier: { ...SUPPLIER, stateCode: '27' } })))).toEqual(['supplier.gstin:gstin_state_mismatch']);
    const bad = buildInvoice(input({ client: { ...CLIENT_MH, gstin: '27AAPFU0939F1ZW' } }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('invalid_gstin');
      expect(bad.error.message).toMatch(/client's GSTIN is not valid/);
    }
  });

  it('refuses negative, zero and fractional amounts', () => {
    const withAmount = (amount: number) => input({ milestone: { id: 'm', title: 'T', payment: { amount, gstRate: 18 } } });
    expect(codes(buildInvoice(withAmount(-100)))).toEqual(['milestone.payment.amount:invalid_amount']);
    expect(codes(buildInvoice(withAmount(0)))).toEqual(['milestone.payment.amount:invalid_amount']);
    expect(codes(buildInvoice(withAmount(10.5)))).toEqual(['milestone.payment.amount:invalid_amount']);
    expect(codes(buildInvoice(input({ alreadyInvoiced: -1 })))).toEqual(['alreadyInvoiced:invalid_amount']);
  });

  it('names every missing supplier detail', () => {
    const result = buildInvoice(input({ supplier: { legalName: ' ', gstin: '', stateCode: '', address: '' } }));
    expect(codes(result)).toEqual([
      'supplier.legalName:supplier_incomplete',
      'supplier.address:supplier_incomplete',
      'supplier.stateCode:state_code_missing',
      'supplier.gstin:supplier_incomplete',
    ]);
    expect(codes(buildInvoice(input({ supplier: undefined as never })))).toEqual(['supplier:supplier_incomplete']);
  });

  it('refuses a missing or unknown client state code', () => {
    expect(codes(buildInvoice(input({ client: { name: 'No State', stateCode: '' } })))).toEqual(['client.stateCode:state_code_missing']);
    expect(codes(buildInvoice(input({ client: { name: 'Bad State', stateCode: '42' } })))).toEqual(['client.stateCode:invalid_state_code']);
  });

  it('refuses bad terms, rates, codes, numbers, dates and zones', () => {
    const ms = (payment: Record<string, unknown>) => ({ id: 'm', title: 'T', payment: payment as never });
    expect(codes(buildInvoice(input({ milestone: ms({ gstRate: 18 }) })))).toEqual(['milestone.payment:payment_terms_missing']);
    expect(codes(buildInvoice(input({ milestone: ms({ amount: 100, percent: 10, gstRate: 18 }) })))).toEqual(['milestone.payment:payment_terms_ambiguous']);
    expect(codes(buildInvoice(input({ milestone: ms({ percent: 10, gstRate: 18 }) })))).toEqual(['contractValue:contract_value_required']);
    expect(codes(buildInvoice(input({ milestone: ms({ percent: 10.001, gstRate: 18 }), contractValue: 100 })))).toEqual([
      'milestone.payment.percent:invalid_percent',
    ]);
    expect(codes(buildInvoice(input({ milestone: ms({ amount: 100, gstRate: -5 }) })))).toEqual(['milestone.payment.gstRate:invalid_gst_rate']);
    expect(codes(buildInvoice(input({ milestone: ms({ amount: 100, gstRate: 18, hsnSac: '99541' }) })))).toEqual([
      'milestone.payment.hsnSac:invalid_hsn_sac',
    ]);
    expect(codes(buildInvoice(input({ percentComplete: 120 })))).toEqual(['percentComplete:invalid_percent']);
    expect(codes(buildInvoice(input({ number: 'INV#2026_27*1' })))).toEqual(['number:invalid_number']);
    expect(codes(buildInvoice(input({ number: 'INV/2026-27/000123' })))).toEqual(['number:number_too_long']);
    expect(codes(buildInvoice(input({ issueDate: new Date('nope') })))).toEqual(['issueDate:invalid_date']);
    expect(codes(buildInvoice(input({ timeZone: 'Mars/Olympus' })))).toEqual(['timeZone:invalid_time_zone']);
  });
});

describe('buildInvoices', () => {
  it('builds a batch, reporting bad items without stopping', () => {
    const items = Array.from({ length: 5 }, (_, i) => ({
      client: i % 2 === 0 ? CLIENT_KA : CLIENT_MH,
      milestone: { id: `ms_${i}`, title: `Milestone ${i}`, payment: { amount: i === 3 ? -1 : 100_000 * (i + 1), gstRate: 18 } },
      number: `INV/26-27/${String(i + 1).padStart(6, '0')}`,
    }));
    const result = buildInvoices({ supplier: SUPPLIER, issueDate: ISSUE, timeZone: TZ, items });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.invoices.map((i) => i.milestoneId)).toEqual(['ms_0', 'ms_1', 'ms_2', 'ms_4']);
    expect(result.value.invoices.map((i) => i.supply)).toEqual(['intra-state', 'inter-state', 'intra-state', 'intra-state']);
    expect(result.value.failures).toHaveLength(1);
    expect(result.value.failures[0]).toMatchObject({ index: 3, milestoneId: 'ms_3', error: { code: 'invalid_amount' } });
  });

  it('refuses the whole batch when the supplier is invalid', () => {
    const result = buildInvoices({ supplier: { ...SUPPLIER, gstin: 'x' }, issueDate: ISSUE, timeZone: TZ, items: [] });
    expect(result.ok || result.error.code).toBe('invalid_gstin');
  });
});

describe('buildInvoice: place of supply', () => {
  it('refuses an unknown place of supply, shared or per item', () => {
    const shared = buildInvoice(input({ options: { placeOfSupply: '00' } }));
    expect(shared.ok || shared.error.issues.map((i) => `${i.path}:${i.code}`)).toEqual(['options.placeOfSupply:invalid_state_code']);
    const batch = buildInvoices({
      supplier: SUPPLIER,
      issueDate: ISSUE,
      timeZone: TZ,
      items: [{ client: CLIENT_KA, milestone: { id: 'm', title: 'T', payment: { amount: 100, gstRate: 18 } }, number: 'INV/26-27/000009', options: { placeOfSupply: '99' } }],
    });
    expect(batch.ok && batch.value.failures[0]?.error.issues[0]?.path).toBe('options.placeOfSupply');
  });

  it('invoices an export (place of supply 96) with IGST', () => {
    const inv = draft({ client: { name: 'Overseas Buyer GmbH', stateCode: '96', address: 'Berlin' } });
    expect(inv.supply).toBe('inter-state');
    expect(inv.placeOfSupply).toEqual({ code: '96', name: 'Other Country' });
    expect(inv.taxes.igst).toBe(1_800_000);
  });
});
