import { describe, expect, it } from 'vitest';
import { billingInvoicesCollection } from '../../core/billing/index.ts';
import { billingWorld, CLIENT_KA, CLIENT_MH, expectProblem, expectStatus } from '../invoices-api/invoice-fixture.ts';

interface Ageing {
  asOf: string;
  buckets: Array<{ bucket: string; count: number; amount: number }>;
  total: { count: number; amount: number };
  byClient: Array<{ clientName: string; total: number; amounts: Record<string, number> }>;
}

describe('analytics over the API', () => {
  it('buckets receivables 0-30, 31-60, 61-90 and 90+ days past due on a fixed dataset', async () => {
    const w = await billingWorld({ slug: 'ageing' });
    const ka = await w.project(CLIENT_KA);
    const mh = await w.project(CLIENT_MH);
    const invoices = w.services.store.forTenant(w.tenantId).collection(billingInvoicesCollection);
    // Due days (Kolkata) and open balances; asOf is 12:00 on 30 September 2026 in Kolkata.
    const plan: Array<[string, string, number]> = [
      [ka.id, '2026-10-10', 1_000], // current
      [ka.id, '2026-09-30', 2_000], // due today: current
      [mh.id, '2026-09-29', 3_000], // 1 day past due
      [mh.id, '2026-08-31', 4_000], // 30 days
      [ka.id, '2026-08-30', 5_000], // 31 days
      [ka.id, '2026-07-02', 6_000], // 90 days: 61-90
      [mh.id, '2026-07-01', 7_000], // 91 days: 90+
    ];
    for (const [projectId, dueOn, balance] of plan) {
      const m = await w.billable(projectId, { amount: 100_000, gstRate: 18 });
      const inv = await w.invoice(m.id);
      await w.send(inv.id);
      await invoices.updateOne({ _id: inv.id }, { $set: { dueOn, dueDate: new Date(`${dueOn}T00:00:00+05:30`), balance } });
    }
    // A paid and a draft invoice are not receivables.
    const draft = await w.invoice((await w.billable(ka.id)).id);
    expect(draft.status).toBe('draft');
    const ageing = await expectStatus<Ageing>(w.call('GET', '/v1/analytics/receivables-ageing?asOf=2026-09-30T06:30:00Z'), 200);
    expect(Object.fromEntries(ageing.buckets.map((b) => [b.bucket, [b.count, b.amount]]))).toEqual({
      current: [2, 3_000],
      '0-30': [2, 7_000],
      '31-60': [1, 5_000],
      '61-90': [1, 6_000],
      '90+': [1, 7_000],
    });
    expect(ageing.total).toEqual({ count: 7, amount: 28_000 });
    expect(ageing.byClient.find((c) => c.clientName === CLIENT_MH.name)).toMatchObject({ total: 14_000, amounts: { '0-30': 7_000, '90+': 7_000 } });
    const oneClient = await expectStatus<Ageing>(w.call('GET', `/v1/analytics/receivables-ageing?asOf=2026-09-30T06:30:00Z&client=${encodeURIComponent(CLIENT_KA.name)}`), 200);
    expect(oneClient.total).toEqual({ count: 4, amount: 14_000 });
  });

  it('answers every analytics endpoint and validates its query', async () => {
    const w = await billingWorld({ slug: 'analytics' });
    const p = await w.project(CLIENT_KA);
    const late = await w.billable(p.id, { amount: 500_000, gstRate: 18 }, { dueDate: '2026-01-10' });
    await w.billable(p.id, { amount: 700_000, gstRate: 18, dueInDays: 30 }, { dueDate: '2099-01-10' });
    // 1% of the ₹5 crore contract, plus GST: priced by percent, counted all the same.
    await w.billable(p.id, { percent: 1, gstRate: 18 }, { dueDate: '2099-02-10' });
    await w.verify(late.id);
    const inv = await w.invoice(late.id);
    await w.send(inv.id);
    await expectStatus(w.call('POST', '/v1/payments', { body: { invoiceId: inv.id, amount: inv.total, reference: 'UTR 1', method: 'neft' } }), 201);
    const completion = await expectStatus<{ total: number; completed: number; completionRate: number; byProject: unknown[] }>(w.call('GET', '/v1/analytics/completion-rate'), 200);
    expect(completion).toMatchObject({ total: 3, completed: 1, completionRate: 0.3333 });
    const owners = await expectStatus<{ items: unknown[] }>(w.call('GET', '/v1/analytics/owner-performance'), 200);
    expect(Array.isArray(owners.items)).toBe(true);
    const turnaround = await expectStatus<{ verified: number }>(w.call('GET', '/v1/analytics/verification-turnaround'), 200);
    expect(turnaround.verified).toBe(1);
    const days = await expectStatus<{ items: Array<{ clientName: string; invoices: number }> }>(w.call('GET', '/v1/analytics/days-to-pay'), 200);
    expect(days.items).toEqual([expect.objectContaining({ clientName: CLIENT_KA.name, invoices: 1 })]);
    const cash = await expectStatus<{ weeks: unknown[]; months: Array<{ amount: number }>; later: { amount: number } }>(w.call('GET', '/v1/analytics/cash-flow?weeks=4&months=3'), 200);
    expect(cash.weeks).toHaveLength(4);
    expect(cash.months).toHaveLength(3);
    // Kaveri Foods and the supplier are both in Karnataka: CGST + SGST at 9% each.
    expect(cash.later).toEqual({ amount: 700_000 + 2 * 63_000 + 50_000_000 + 2 * 4_500_000, count: 2 });
    await expectStatus(w.call('GET', '/v1/analytics/delay-patterns'), 200);
    await expectStatus(w.call('GET', '/v1/analytics/escalation-counts?since=2026-01-01'), 200);
    await expectProblem(w.call('GET', '/v1/analytics/completion-rate?since=yesterday'), 400);
    await expectProblem(w.call('GET', '/v1/analytics/completion-rate?since=2026-05-01&until=2026-01-01'), 400);
    await expectProblem(w.call('GET', '/v1/analytics/cash-flow?weeks=0'), 400);
  });
});
