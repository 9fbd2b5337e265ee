// POST /v1/projects/{id}/apply-template creating 10,000+ milestones in one call (phases,
// milestones, sub-milestones with dependencies and exact paise payments, their outbox events and
// hash-chained audit entries), on the embedded store in memory and on disk. Target: < 2 s.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../api/index.ts';
import { createNedbStore, createStore, type Store } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { testServices } from '../test/helpers/test-services.ts';

const TEMPLATE = { templateId: 'manufacturing-component-supply', startDate: '2025-04-01', scale: 2000, complexity: 'enterprise' };
const CONTRACT_VALUE = 12_34_56_789_01;
// CPU time of the call (all threads, the collector's included), next to wall time on shared machines.
const cpuMs: number[] = [];

async function once(store: Store): Promise<{ ms: number; created: number; paymentTotal: number }> {
  const services = testServices({ store });
  const app = createApp(services);
  const t = await createTenant(store, { slug: `bench-${Math.random().toString(36).slice(2, 8)}`, name: 'Bench Pvt Ltd' });
  if (!t.ok) throw new Error(t.error);
  const headers = { Authorization: `Bearer ${t.apiKey}`, 'Content-Type': 'application/json' };
  const project = await app.request('/v1/projects', {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: 'Component supply', client: { name: 'Bench Auto Ltd', stateCode: '33' }, contractValue: CONTRACT_VALUE }),
  });
  const { id } = (await project.json()) as { id: string };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const res = await app.request(`/v1/projects/${id}/apply-template`, { method: 'POST', headers, body: JSON.stringify(TEMPLATE) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  cpuMs.push((cpu.user + cpu.system) / 1000);
  const body = (await res.json()) as { created: number; paymentTotal: number };
  if (res.status !== 201) throw new Error(`apply-template answered ${res.status}: ${JSON.stringify(body)}`);
  if (body.paymentTotal !== CONTRACT_VALUE) throw new Error(`payments add up to ${body.paymentTotal}, not ${CONTRACT_VALUE}`);
  return { ms, ...body };
}

export async function run(options: { rounds?: number } = {}) {
  const { rounds = 3 } = options;
  const lines: string[] = [];
  const memory: number[] = [];
  let created = 0;
  for (let i = 0; i < rounds; i += 1) {
    const r = await once(createStore(createNedbStore({ dir: '', inMemory: true })));
    memory.push(r.ms);
    created = r.created;
  }
  const disk: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-'));
    const store = createStore(createNedbStore({ dir }));
    try {
      disk.push((await once(store)).ms);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const best = (xs: number[]) => Math.min(...xs);
  lines.push(`template ${TEMPLATE.templateId} × ${TEMPLATE.scale} (${TEMPLATE.complexity}): ${created} milestones per call, payments exact to the paisa`);
  lines.push(`embedded store, in memory   best ${best(memory).toFixed(0)} ms   runs ${memory.map((m) => m.toFixed(0)).join(', ')} ms   (target < 2000 ms)`);
  lines.push(`embedded store, on disk     best ${best(disk).toFixed(0)} ms   runs ${disk.map((m) => m.toFixed(0)).join(', ')} ms   (target < 2000 ms)`);
  lines.push(`per 1,000 milestones (disk) ${((best(disk) / created) * 1000).toFixed(0)} ms; process CPU per call ${cpuMs.map((m) => m.toFixed(0)).join(', ')} ms`);
  return { created, memoryMs: best(memory), diskMs: best(disk), lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  process.stdout.write(`${r.lines.join('\n')}\n`);
}
