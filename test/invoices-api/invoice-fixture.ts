import { expect } from 'vitest';
import { expectStatus, milestoneWorld, type Problem } from '../milestones/milestone-fixtures.ts';

export { expectStatus, type Problem };

/** A Karnataka supplier (valid GSTIN). */
export const SUPPLIER_KA = { legalName: 'Tanvi Build Tech Private Limited', gstin: '29AABCT1332L1ZA', stateCode: '29', address: '12 MG Road, Bengaluru 560001' };
/** A Karnataka client: same state as the supplier. */
export const CLIENT_KA = { name: 'Kaveri Foods Pvt Ltd', gstin: '29AAGCB7383J1Z4', stateCode: '29', address: 'Mysuru Road, Bengaluru' };
/** A Maharashtra client: another state. */
export const CLIENT_MH = { name: 'Ujjwal Traders', gstin: '27AAPFU0939F1ZV', stateCode: '27', address: 'Andheri East, Mumbai' };

export interface InvoiceBody {
  id: string;
  number: string;
  milestoneId: string;
  status: string;
  version: number;
  subtotal: number;
  taxes: { cgst: number; sgst: number; igst: number };
  roundOff: number;
  total: number;
  balance: number;
  amountPaid: number;
  overpaid: number;
  supply: string;
  amountInWords: string;
  lines: Array<{ hsnSac?: string; taxableValue: number; cgst: number; sgst: number; igst: number }>;
  [key: string]: unknown;
}

/** A tenant whose supplier details are set, with helpers to make billable milestones. */
export async function billingWorld(options: { slug?: string; settings?: Record<string, unknown> } = {}) {
  const w = await milestoneWorld(options.slug ?? 'billing');
  await expectStatus(w.call('PATCH', '/v1/tenant', { body: { ...SUPPLIER_KA, ...(options.settings ?? {}) } }), 200);
  const project = async (client: Record<string, unknown> = CLIENT_KA, body: Record<string, unknown> = {}) =>
    expectStatus<{ id: string }>(w.call('POST', '/v1/projects', { body: { name: 'Tower B', client, contractValue: 5_00_00_000_00, ...body } }), 201);
  const billable = async (projectId: string, payment: Record<string, unknown> = { amount: 10_000_000, gstRate: 18, dueInDays: 30, hsnSac: '995411' }, body: Record<string, unknown> = {}) =>
    w.milestone(projectId, { title: 'Foundation and plinth', payment, ...body });
  const invoice = async (milestoneId: string, extra: Record<string, unknown> = {}) =>
    expectStatus<InvoiceBody>(w.call('POST', '/v1/invoices', { body: { milestoneId, ...extra } }), 201);
  const send = async (id: string) => expectStatus<InvoiceBody>(w.call('POST', `/v1/invoices/${id}/send`, { body: {} }), 200);
  /** Takes a milestone through the default workflow to verified (with an approved verification). */
  const verify = async (id: string) => {
    await expectStatus(w.move(id, 'in_progress'), 200);
    await expectStatus(w.call('PATCH', `/v1/milestones/${id}`, { body: { percentComplete: 100 } }), 200);
    await expectStatus(w.move(id, 'submitted'), 200);
    const v = await expectStatus<{ id: string }>(w.call('POST', `/v1/milestones/${id}/verifications`, { body: { approvers: [{ role: 'admin' }] } }), 201);
    await expectStatus(w.call('POST', `/v1/milestones/${id}/verifications/${v.id}/decisions`, { body: { decision: 'approve' } }), 200);
    await expectStatus(w.move(id, 'verified'), 200);
  };
  return { ...w, project, billable, invoice, send, verify };
}

/** Asserts a problem+json answer with the given status and returns its body. */
export async function expectProblem(res: Response | Promise<Response>, status: number): Promise<Problem> {
  const r = await res;
  expect(r.headers.get('content-type')).toContain('application/problem+json');
  const text = await r.text();
  expect(r.status, text).toBe(status);
  const body = JSON.parse(text) as Problem;
  expect(text).not.toMatch(/\s+at\s.+\(.+:\d+:\d+\)/);
  return body;
}
