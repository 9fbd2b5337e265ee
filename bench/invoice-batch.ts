// Invoice batch: 5,000 milestones invoiced in one batch (numbering, GST build, store insert) on
// the embedded store, in memory and on disk; the same invoices one at a time; PDF rendering.
// Run: node --import tsx bench/invoice-batch.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildInvoice,
  buildInvoices,
  generateInvoices,
  invoicesCollection,
  nextInvoiceNumber,
  renderInvoicePdf,
} from '../core/invoicing/index.ts';
import type { BatchInvoiceItem, InvoiceDocument } from '../core/invoicing/index.ts';
import { generateMilestoneInvoices, getBillingProfile, updateTenantBilling } from '../core/billing/index.ts';
import { milestonesCollection, type MilestoneDoc } from '../core/milestones/index.ts';
import { projectsCollection } from '../core/projects/index.ts';
import { createNedbStore, createStore, newId, type NewDoc } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import type { Store } from '../core/store/index.ts';

const SUPPLIER = { legalName: 'Tanvi Build Tech Private Limited', gstin: '29AABCT1332L1ZA', stateCode: '29', address: '12 MG Road, Bengaluru 560001' };
const CLIENTS = [
  { name: 'Kaveri Foods Pvt Ltd', gstin: '29AAGCB7383J1Z4', stateCode: '29', address: 'Mysuru Road, Bengaluru' },
  { name: 'Ujjwal Traders', gstin: '27AAPFU0939F1ZV', stateCode: '27', address: 'Andheri East, Mumbai' },
  { name: 'Capital Works', gstin: '07AAACR5055K1Z9', stateCode: '07', address: 'Connaught Place, New Delhi' },
  { name: 'Walk-in Customer', stateCode: '33' },
];
const TZ = 'Asia/Kolkata';
const ISSUE = new Date('2026-11-21T06:30:00Z');

/** A rate by wall clock, and by CPU time of this process (steadier on a shared machine). */
export interface Rate {
  perSec: number;
  perCpuSec: number;
}

/** Figures printed by the bench. */
export interface InvoiceBatchFigures {
  count: number;
  buildOnly: Rate;
  batchInMemory: Rate;
  batchOnDisk: Rate;
  oneByOne: Rate;
  pdfCount: number;
  pdf: Rate;
  averagePdfBytes: number;
  /** `POST /v1/invoices/batch`'s path: milestones and projects read, numbered, built, stored with events, verified milestones moved to invoiced. */
  routeInMemory: Rate;
  routeOnDisk: Rate;
}

/**
 * The batch route's own path (`generateMilestoneInvoices`) over `count` stored milestones of 40
 * projects, half of them verified (those move to invoiced through the workflow as well).
 */
async function routeRate(store: Store, count: number): Promise<Rate> {
  const created = await createTenant(store, { slug: `bench-${Math.random().toString(36).slice(2, 8)}`, name: 'Bench' });
  if (!created.ok) throw new Error(created.error);
  const tenantId = created.tenant.id;
  const saved = await updateTenantBilling(store, tenantId, { ...SUPPLIER, roundOffToRupee: true });
  if (!saved.ok) throw new Error(saved.error.message);
  const db = store.forTenant(tenantId);
  const projectIds: string[] = [];
  for (let p = 0; p < 40; p += 1) {
    const client = CLIENTS[p % CLIENTS.length]!;
    const project = await db.collection(projectsCollection).insert({
      _id: newId('prj'), revision: 1, name: `Project ${p}`, client: { ...client, contacts: [] }, contractValue: 500_000_000, currency: 'INR', timeZone: TZ, status: 'active', tags: [], outbox: [],
    });
    projectIds.push(project._id);
  }
  const at = new Date();
  const docs: Array<NewDoc<MilestoneDoc>> = Array.from({ length: count }, (_, i) => {
    const verified = i % 2 === 0;
    return {
      _id: newId('ms'), revision: 1, projectId: projectIds[i % projectIds.length]!, kind: 'milestone', title: `Milestone ${i + 1}`, tags: [], percentComplete: verified ? 100 : 40,
      payment: { amount: 1_000_000 + ((i * 7_919) % 50_000_000), gstRate: [5, 12, 18][i % 3]!, dueInDays: 15, hsnSac: '998311' },
      owners: [], ownerRefs: [], dependencies: [], status: verified ? 'verified' : 'in_progress', statusCategory: verified ? 'done' : 'active', statusChangedAt: at,
      workflow: { id: 'default', version: 1 }, outbox: [],
    };
  });
  for (let i = 0; i < docs.length; i += 1000) await db.collection(milestonesCollection).insertMany(docs.slice(i, i + 1000));
  const profile = await getBillingProfile(db);
  const ctx = { db, now: () => ISSUE, actor: { kind: 'user' as const, id: 'key_bench', channel: 'api', role: 'admin' }, timeZone: TZ };
  const t = await timed(() => generateMilestoneInvoices(ctx, profile, docs.map((d) => ({ milestoneId: d._id! })), { role: 'admin' }));
  if (!t.value.ok) throw new Error(t.value.error.message);
  if (t.value.value.invoices.length !== count) throw new Error(`the batch refused ${t.value.value.failures.length} items: ${t.value.value.failures[0]?.error.message}`);
  const invoiced = await db.collection(milestonesCollection).count({ status: 'invoiced' });
  if (invoiced !== count / 2) throw new Error(`expected ${count / 2} milestones moved to invoiced, found ${invoiced}`);
  return rate(count, t);
}

function items(count: number): Array<Omit<BatchInvoiceItem, 'number'>> {
  return Array.from({ length: count }, (_, i) => {
    const percent = i % 3 === 0;
    return {
      client: CLIENTS[i % CLIENTS.length]!,
      milestone: {
        id: `ms_${i}`,
        title: `Milestone ${i + 1}: ${['Design sign-off', 'Foundation', 'Structure', 'Finishing', 'Handover'][i % 5]}`,
        projectId: `prj_${i % 40}`,
        payment: percent
          ? { percent: 5 + (i % 20), gstRate: 18, dueInDays: 30, hsnSac: '995411' }
          : { amount: 1_000_000 + ((i * 7_919) % 50_000_000), gstRate: [5, 12, 18][i % 3]!, dueInDays: 15, hsnSac: '998311' },
      },
      ...(percent ? { contractValue: 500_000_000 } : {}),
      ...(i % 7 === 0 ? { percentComplete: 60, alreadyInvoiced: 0 } : {}),
    };
  });
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

const rate = (count: number, t: { seconds: number; cpuSeconds: number }): Rate => ({
  perSec: count / t.seconds,
  perCpuSec: count / Math.max(t.cpuSeconds, 1e-6),
});

async function batchRate(store: Store, tenant: string, work: Array<Omit<BatchInvoiceItem, 'number'>>): Promise<Rate> {
  const db = store.forTenant(tenant);
  const t = await timed(() =>
    generateInvoices(db, { supplier: SUPPLIER, issueDate: ISSUE, timeZone: TZ, options: { roundOffToRupee: true }, items: work }),
  );
  if (!t.value.ok) throw new Error(t.value.error.message);
  if (t.value.value.failures.length > 0 || t.value.value.invoices.length !== work.length) throw new Error('the batch refused items');
  const stored = await db.collection(invoicesCollection).count({});
  if (stored !== work.length) throw new Error(`expected ${work.length} stored invoices, found ${stored}`);
  return rate(work.length, t);
}

/** Runs the bench and returns its figures. */
export async function run(options: { count?: number; pdfCount?: number } = {}): Promise<InvoiceBatchFigures> {
  const count = options.count ?? 5_000;
  const pdfCount = options.pdfCount ?? 200;
  const work = items(count);

  // Warm up the code paths and Intl formatters.
  for (let round = 0; round < 3; round += 1) {
    buildInvoices({ supplier: SUPPLIER, issueDate: ISSUE, timeZone: TZ, items: work.slice(0, 1_000).map((w, i) => ({ ...w, number: `W/${i + 1}` })) });
  }

  const build = await timed(() =>
    buildInvoices({ supplier: SUPPLIER, issueDate: ISSUE, timeZone: TZ, items: work.map((w, i) => ({ ...w, number: `INV/26-27/${String(i + 1).padStart(6, '0')}` })) }),
  );
  if (!build.value.ok) throw new Error(build.value.error.message);

  const memory = createStore(createNedbStore({ dir: '', inMemory: true }));
  const batchInMemory = await batchRate(memory, 'tn_bench_memory', work);

  // One at a time: a counter step, a build and an insert per invoice.
  const db = memory.forTenant('tn_bench_single');
  const single = await timed(async () => {
    for (const item of work) {
      const issued = await nextInvoiceNumber(db, { fy: '2026-27' });
      if (!issued.ok) throw new Error(issued.error.message);
      const built = buildInvoice({ ...item, supplier: SUPPLIER, issueDate: ISSUE, timeZone: TZ, number: issued.value.number });
      if (!built.ok) throw new Error(built.error.message);
      await db.collection(invoicesCollection).insert(built.value);
    }
  });
  await memory.close();

  const dir = mkdtempSync(join(tmpdir(), 'hub-invoice-bench-'));
  let batchOnDisk: Rate;
  try {
    const disk = createStore(createNedbStore({ dir }));
    batchOnDisk = await batchRate(disk, 'tn_bench_disk', work);
    await disk.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const sample: InvoiceDocument[] = build.value.value.invoices.slice(0, pdfCount);
  await renderInvoicePdf(sample[0]!);
  let bytes = 0;
  const pdf = await timed(async () => {
    for (const invoice of sample) bytes += (await renderInvoicePdf(invoice, { branding: { primaryColor: '#1f3a5f', footer: 'Thank you for your business' } })).length;
  });

  const routeMemory = createStore(createNedbStore({ dir: '', inMemory: true }));
  const routeInMemory = await routeRate(routeMemory, count);
  await routeMemory.close();
  const routeDir = mkdtempSync(join(tmpdir(), 'hub-invoice-route-bench-'));
  let routeOnDisk: Rate;
  try {
    const disk = createStore(createNedbStore({ dir: routeDir }));
    routeOnDisk = await routeRate(disk, count);
    await disk.close();
  } finally {
    rmSync(routeDir, { recursive: true, force: true });
  }

  return {
    routeInMemory,
    routeOnDisk,
    count,
    buildOnly: rate(count, build),
    batchInMemory,
    batchOnDisk,
    oneByOne: rate(count, single),
    pdfCount: sample.length,
    pdf: rate(sample.length, pdf),
    averagePdfBytes: Math.round(bytes / sample.length),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = await run();
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const line = (label: string, r: Rate, unit: string): void =>
    console.log(`  ${label.padEnd(44)}${n(r.perSec).padStart(8)} ${unit}/s  (${n(r.perCpuSec)} per CPU-second)`);
  console.log(`invoice-batch: ${n(f.count)} milestones, GST split with round-off, numbering INV/26-27/000001…`);
  line('build only (pure)', f.buildOnly, 'invoices');
  line('batch: number + build + insert, in memory', f.batchInMemory, 'invoices');
  line('batch: number + build + insert, on disk', f.batchOnDisk, 'invoices');
  line('one at a time: counter + build + insert', f.oneByOne, 'invoices');
  line('batch route path (POST /v1/invoices/batch), in memory', f.routeInMemory, 'invoices');
  line('batch route path (POST /v1/invoices/batch), on disk', f.routeOnDisk, 'invoices');
  line(`PDF rendering (pdfkit, ${f.pdfCount} invoices)`, f.pdf, 'PDFs');
  console.log(`  average PDF size ${n(f.averagePdfBytes)} bytes`);
}
