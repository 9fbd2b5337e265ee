import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cashFlowProjection, completionRate, delayPatterns, ownerPerformance } from '../../core/analytics/index.ts';
import { startOfLocalDay } from '../../core/invoicing/index.ts';
import { createNedbStore, createStore, type BaseDoc, type CollectionDef, type Store, type TenantStore } from '../../core/store/index.ts';

// Milestones keep their due date as a calendar day (`YYYY-MM-DD`). With `dueDayOffset` the
// metrics read it as the start of that day at the tenant's offset, and must then agree exactly
// with the same milestones holding that instant as a date, including at the end of a due day.

type Doc = BaseDoc & Record<string, unknown>;
const asDays: CollectionDef<Doc> = { name: 'cd_days', scope: 'tenant' };
const asDates: CollectionDef<Doc> = { name: 'cd_dates', scope: 'tenant' };
const TZ = 'Asia/Kolkata';
const OFFSET = '+05:30';
const invoices: CollectionDef<Doc> = { name: 'cd_invoices', scope: 'tenant' };

let store: Store;
let db: TenantStore;

beforeAll(async () => {
  store = createStore(createNedbStore({ dir: '', inMemory: true }));
  db = store.forTenant('tn_days');
  const statuses = ['planned', 'in_progress', 'verified', 'paid', 'cancelled', 'on_hold'];
  const category: Record<string, string> = { planned: 'not_started', in_progress: 'active', verified: 'done', paid: 'done', cancelled: 'cancelled', on_hold: 'active' };
  const rows = Array.from({ length: 240 }, (_, i) => {
    const status = statuses[i % statuses.length]!;
    const day = `2026-09-${String(1 + (i % 30)).padStart(2, '0')}`;
    return {
      projectId: `p${i % 4}`,
      status,
      ...(i % 11 === 0 ? {} : { statusCategory: category[status] }),
      ...(i % 13 === 0 ? {} : { dueDate: day }),
      // Completed around the end of the due day in Kolkata: 18:29:59Z is its last second.
      ...(category[status] === 'done' ? { completedAt: new Date(Date.parse(`${day}T18:29:59Z`) + ((i % 5) - 2) * 3_600_000) } : {}),
      owners: [{ ref: `o${i % 7}`, role: i % 2 ? 'accountable' : 'responsible' }, ...(i % 3 ? [] : [{ ref: `o${i % 7}`, role: 'backup' }])],
      ...(i % 4 === 0 ? { delay: { category: i % 8 ? 'client' : 'site', text: 'Waiting' } } : {}),
      payment: { amount: 10_000 * (1 + (i % 9)), dueInDays: i % 3 ? 7 : 0 },
      clientName: `C${i % 3}`,
    };
  });
  await db.collection(asDays).insertMany(rows);
  await db.collection(asDates).insertMany(rows.map((r) => ({ ...r, ...(typeof r.dueDate === 'string' ? { dueDate: startOfLocalDay(r.dueDate, TZ) } : {}) })));
  await db.collection(invoices).insertMany([
    { clientName: 'C1', status: 'paid', total: 1, balance: 0, dueDate: startOfLocalDay('2026-08-01', TZ), sentAt: new Date('2026-07-01T00:00:00Z'), paidAt: new Date('2026-08-11T00:00:00Z') },
  ]);
});

afterAll(async () => {
  await store.close();
});

describe('milestone metrics over calendar due dates', () => {
  // 23:59:59 on 15 Sep and the next second, in Kolkata.
  for (const now of [new Date('2026-09-16T18:29:59Z'), new Date('2026-09-16T18:30:00Z'), new Date('2026-10-20T06:00:00Z')]) {
    it(`agree with due dates stored as instants at ${now.toISOString()}`, async () => {
      const days = db.collection(asDays);
      const dates = db.collection(asDates);
      const withDays = { now, dueDayOffset: OFFSET };
      const completion = await completionRate(days, withDays);
      expect(completion).toEqual(await completionRate(dates, { now }));
      expect(completion.total).toBeGreaterThan(0);
      expect(completion.overdueOpen).toBeGreaterThan(0);
      expect(await ownerPerformance(days, withDays)).toEqual(await ownerPerformance(dates, { now }));
      expect(await ownerPerformance(days, { ...withDays, roles: ['accountable'] })).toEqual(await ownerPerformance(dates, { now, roles: ['accountable'] }));
      expect(await delayPatterns(days, withDays)).toEqual(await delayPatterns(dates, { now }));
      const cash = await cashFlowProjection({ milestones: days, invoices: db.collection(invoices) }, { now, timeZone: TZ, weeks: 6, months: 3, milestoneDueDayOffset: OFFSET });
      expect(cash).toEqual(await cashFlowProjection({ milestones: dates, invoices: db.collection(invoices) }, { now, timeZone: TZ, weeks: 6, months: 3 }));
      expect(cash.weeks.reduce((s, w) => s + w.amount, 0) + cash.later.amount).toBeGreaterThan(0);
    });
  }

  it('counts a milestone overdue only once its due day has ended in the tenant zone', async () => {
    await db.collection(asDays).insert({ projectId: 'edge', status: 'planned', statusCategory: 'not_started', dueDate: '2026-09-15', owners: [] });
    const at = (iso: string) => completionRate(db.collection(asDays), { now: new Date(iso), dueDayOffset: OFFSET, match: { projectId: 'edge' } });
    // 15 September ends at 18:30Z in Kolkata.
    expect((await at('2026-09-15T06:00:00Z')).overdueOpen).toBe(0);
    expect((await at('2026-09-15T18:29:59Z')).overdueOpen).toBe(0);
    expect((await at('2026-09-15T18:30:00Z')).overdueOpen).toBe(1);
  });

  it('refuses an offset that is not one', async () => {
    const later = <T,>(fn: () => Promise<T>) => Promise.resolve().then(fn);
    await expect(later(() => completionRate(db.collection(asDays), { now: new Date(), dueDayOffset: 'Asia/Kolkata' }))).rejects.toBeInstanceOf(RangeError);
    await expect(later(() => ownerPerformance(db.collection(asDays), { now: new Date(), dueDayOffset: '+5:30' }))).rejects.toBeInstanceOf(RangeError);
  });
});
