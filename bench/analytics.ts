// Analytics: each /v1/analytics endpoint answered through the HTTP app over 100,000 milestones
// (100 projects × 1,000), 20,000 invoices and 10,000 verification rounds in the embedded store,
// in seconds per endpoint. The target is under 10 s each.
// Run: node --import tsx bench/analytics.ts
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { createApp, createLogger, loadConfig, type Services } from '../api/index.ts';
import { billingInvoicesCollection, type BillingInvoiceDoc } from '../core/billing/index.ts';
import { orderedIds } from '../core/domain/index.ts';
import { verificationsCollection } from '../core/milestones/index.ts';
import { createNedbStore, createStore, type NewDoc } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { createVault } from '../core/vault/index.ts';
import { seedMilestones } from './harness/seed-milestones.ts';

export const ENDPOINTS = [
  'completion-rate',
  'delay-patterns',
  'owner-performance',
  'verification-turnaround',
  'escalation-counts',
  'days-to-pay',
  'receivables-ageing',
  'cash-flow',
] as const;

/** Seconds per endpoint, with the data set's size. */
export interface AnalyticsFigures {
  milestones: number;
  invoices: number;
  /** The first answer of each endpoint. */
  seconds: Record<(typeof ENDPOINTS)[number], number>;
  /** Later answers of each endpoint, in order. */
  repeated: Record<(typeof ENDPOINTS)[number], number[]>;
}

export async function run(options: { projects?: number; perProject?: number; invoices?: number; repeats?: number } = {}): Promise<AnalyticsFigures> {
  const store = createStore(createNedbStore({ dir: '', inMemory: true }));
  const loaded = loadConfig({ HUB_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`, HUB_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', HUB_DATA_DIR: '/nonexistent-bench-dir', LOG_LEVEL: 'silent' });
  if (!loaded.ok) throw new Error(loaded.error);
  const services: Services = {
    config: loaded.config,
    store,
    vault: createVault(loaded.config.masterKeys),
    logger: createLogger({ level: 'silent' }),
    metrics: new Registry(),
    readiness: [],
    now: () => new Date(),
  };
  const app = createApp(services);
  const tenant = await createTenant(store, { slug: 'analytics-bench', name: 'Analytics Bench Pvt Ltd' });
  if (!tenant.ok) throw new Error(tenant.error);
  const db = store.forTenant(tenant.tenant.id);
  const seeded = await seedMilestones(store, tenant.tenant.id, { projects: options.projects ?? 100, perProject: options.perProject ?? 1000 });

  const invoiceCount = options.invoices ?? 20_000;
  const now = Date.now();
  const statuses = ['sent', 'sent', 'partially_paid', 'paid', 'paid', 'paid', 'draft', 'cancelled'];
  const ids = orderedIds('inv', invoiceCount);
  const invoices = ids.map((_id, i) => {
    const status = statuses[i % statuses.length]!;
    const due = new Date(now + ((i % 240) - 160) * 86_400_000);
    const sent = new Date(due.getTime() - 30 * 86_400_000);
    return {
      _id,
      number: `INV/26-27/${String(i + 1).padStart(6, '0')}`,
      milestoneId: `ms_${i}`,
      projectId: seeded.projectIds[i % seeded.projectIds.length]!,
      status,
      total: 1_180_000,
      balance: status === 'paid' || status === 'cancelled' ? 0 : status === 'partially_paid' ? 590_000 : 1_180_000,
      dueDate: due,
      dueOn: due.toISOString().slice(0, 10),
      clientName: `Client ${i % 100}`,
      ...(status === 'draft' ? {} : { sentAt: sent }),
      ...(status === 'paid' ? { paidAt: new Date(due.getTime() + ((i % 40) - 10) * 86_400_000) } : {}),
    } as unknown as NewDoc<BillingInvoiceDoc>;
  });
  for (let i = 0; i < invoices.length; i += 2000) await db.collection(billingInvoicesCollection).insertMany(invoices.slice(i, i + 2000));
  const rounds = orderedIds('ver', 10_000).map((_id, i) => ({
    _id,
    revision: 1,
    milestoneId: `ms_${i}`,
    projectId: seeded.projectIds[i % seeded.projectIds.length]!,
    method: 'manual' as const,
    status: i % 5 === 0 ? ('pending' as const) : ('approved' as const),
    decisions: [],
    currentStep: 0,
    requestedBy: { kind: 'system' as const, id: 'bench' },
    ...(i % 5 === 0 ? {} : { approvedAt: new Date(now - (i % 300) * 3_600_000) }),
    outbox: [],
  }));
  await db.collection(verificationsCollection).insertMany(rounds);

  const seconds = {} as AnalyticsFigures['seconds'];
  const repeated = {} as AnalyticsFigures['repeated'];
  // Warm up the route code once on a small query.
  await app.request('/v1/analytics/escalation-counts', { headers: { Authorization: `Bearer ${tenant.apiKey}` } });
  const timed = async (endpoint: string): Promise<number> => {
    const start = process.hrtime.bigint();
    const res = await app.request(`/v1/analytics/${endpoint}`, { headers: { Authorization: `Bearer ${tenant.apiKey}` } });
    if (res.status !== 200) throw new Error(`${endpoint} answered ${res.status}: ${await res.text()}`);
    await res.json();
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  for (const endpoint of ENDPOINTS) seconds[endpoint] = await timed(endpoint);
  // Each again a few times, interleaved, so one busy moment on a shared machine does not decide a figure.
  const runs = options.repeats ?? 3;
  for (const endpoint of ENDPOINTS) repeated[endpoint] = [];
  for (let i = 0; i < runs; i += 1) for (const endpoint of ENDPOINTS) repeated[endpoint].push(await timed(endpoint));
  await store.close();
  return { milestones: seeded.count, invoices: invoiceCount, seconds, repeated };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = await run();
  console.log(`analytics: ${f.milestones.toLocaleString('en-US')} milestones, ${f.invoices.toLocaleString('en-US')} invoices, embedded store (target: under 10 s each)`);
  console.log(`  ${''.padEnd(40)}  first   then (each run)`);
  for (const endpoint of ENDPOINTS) {
    const then = f.repeated[endpoint].map((s) => s.toFixed(2)).join(' ');
    console.log(`  /v1/analytics/${endpoint.padEnd(26)}${f.seconds[endpoint].toFixed(2).padStart(7)} s   ${then} s`);
  }
  const worst = Math.max(...ENDPOINTS.flatMap((e) => [f.seconds[e], ...f.repeated[e]]));
  console.log(`  slowest answer: ${worst.toFixed(2)} s (target < 10 s)`);
}
