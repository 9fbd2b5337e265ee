import { buildInvoice, markInvoiceSent } from '../../core/invoicing/index.ts';
import type { BuildInvoiceInput, InvoiceDocument } from '../../core/invoicing/index.ts';

export const TZ = 'Asia/Kolkata';

/** A Karnataka supplier. */
export const SUPPLIER = {
  legalName: 'Tanvi Build Tech Private Limited',
  gstin: '29AABCT1332L1ZA',
  stateCode: '29',
  address: '12 MG Road, Bengaluru 560001',
};

/** Same state as the supplier: CGST + SGST. */
export const CLIENT_KA = { name: 'Kaveri Foods Pvt Ltd', gstin: '29AAGCB7383J1Z4', stateCode: '29', address: 'Mysuru Road, Bengaluru' };
/** Another state: IGST. */
export const CLIENT_MH = { name: 'Ujjwal Traders', gstin: '27AAPFU0939F1ZV', stateCode: '27', address: 'Andheri East, Mumbai' };

/** 16 June 2026, 01:30 in Kolkata (still 15 June in UTC). */
export const ISSUE = new Date('2026-06-15T20:00:00Z');

export function input(overrides: Partial<BuildInvoiceInput> = {}): BuildInvoiceInput {
  return {
    supplier: SUPPLIER,
    client: CLIENT_KA,
    milestone: { id: 'ms_1', title: 'Foundation and plinth', projectId: 'prj_1', payment: { amount: 10_000_000, gstRate: 18, dueInDays: 30, hsnSac: '995411' } },
    issueDate: ISSUE,
    timeZone: TZ,
    number: 'INV/26-27/000001',
    ...overrides,
  };
}

/** A built invoice; fails the test when building is refused. */
export function draft(overrides: Partial<BuildInvoiceInput> = {}): InvoiceDocument {
  const built = buildInvoice(input(overrides));
  if (!built.ok) throw new Error(`fixture invoice refused: ${built.error.message}`);
  return built.value;
}

/** A built and sent invoice. */
export function sent(overrides: Partial<BuildInvoiceInput> = {}, at = new Date('2026-06-16T05:00:00Z')): InvoiceDocument {
  const result = markInvoiceSent(draft(overrides), { at });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
