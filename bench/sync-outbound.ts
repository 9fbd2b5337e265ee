// End-to-end outbound sync throughput: milestone title changes made through the domain service
// (embedded store on disk) travel through the outbox relay, the `outbox` and `sync-out` queues
// (real Redis) and the jira connector (jira-client) to a Jira-compatible server in another
// process. Three workloads, bounded counts:
// - distinct: one change to each of N milestones, counted when the server has taken N PUTs;
// - bursts: K changes to each of M milestones, counted when the server holds every final title
//   (pushes of one record coalesce, so most intermediate states are never written);
// - drain: N changes queued while the sync-out worker is paused, then drained: the engine and
//   connector alone, without the domain writes competing for the same cores. Before the drain the
//   same changes are written with the outbox worker paused too, then relayed, so the CPU time of
//   each stage (domain write; relay and outbox job; push) is measured on its own.
// CPU time per change is given for this process, the Jira-compatible server and Redis (which is
// shared with anything else using it, so its figure is an upper bound).
// Beside them, in the same run and on the same Redis, raw BullMQ throughput: no-op jobs added one
// `add` each (as the outbox worker adds pushes, with as many adds in flight as it runs jobs) and
// processed by one worker at the sync-out worker's concurrency; at least 10,000 jobs, so the figure
// is not a blip. The server answers the bench's "done yet?" as a long poll that checks every 2 ms
// in its own process (a few tens of ms of its CPU per second, inside its figure; no requests).
// Target: sync ≥ 0.25 of raw.
// Also beside them, two floors no outbound sync of one change per record can beat here: the same
// raw jobs each doing nothing but one HTTP PUT of a summary to the same server (node:http, no
// store, no mapping, no connector library), and the domain writes alone.
// Run: node --import tsx bench/sync-outbound.ts
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { destination } from 'pino';
import { createLogger } from '../api/index.ts';
import { loadConfig } from '../api/config/index.ts';
import { connectorRegistry } from '../connectors/index.ts';
import { createConnection } from '../core/connections/index.ts';
import type { DomainContext } from '../core/domain/index.ts';
import { createMapping } from '../core/mapping-store/index.ts';
import { createMilestone, updateMilestone } from '../core/milestones/index.ts';
import { createProject } from '../core/projects/index.ts';
import { createNedbStore, createStore } from '../core/store/index.ts';
import { syncLinksCollection } from '../core/sync/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { createVault } from '../core/vault/index.ts';
import { hashMapped, mappingSpecSchema } from '../mappings/index.ts';
import { connectRedis, createQueues, createWorker, scheduleOutboxRelay, workerSpecs, type WorkerContext } from '../queues/index.ts';
import { createSyncEngine } from '../queues/sync/index.ts';
import { spawnTarget } from './harness/spawn-target.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_PROJECT = 15;

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Raw BullMQ: `count` no-op jobs, each added with its own `add` (at most `inFlight` adds pending),
 * processed by one worker at `concurrency`; timed from the first add to the last completion.
 */
async function rawBullmq(
  prefix: string,
  count: number,
  concurrency: number,
  inFlight: number,
  redisCpu: () => Promise<number>,
  work?: (i: number) => Promise<void>,
): Promise<{ perSecond: number; seconds: number; cpu: { hub: number; redis: number } }> {
  const connection = { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379), maxRetriesPerRequest: null };
  const queue = new Queue('bench-noop', { connection, prefix });
  const worker = new Worker('bench-noop', async (job: { data: { i: number } }) => work?.(job.data.i), { connection, prefix, concurrency, autorun: false });
  let done = 0;
  let finished!: () => void;
  let failed!: (err: Error) => void;
  const all = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  worker.on('failed', (_job, err) => failed(err));
  worker.on('completed', () => {
    done += 1;
    if (done === count) finished();
  });
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
  const cpu0 = cpuMicros();
  const redis0 = await redisCpu();
  const start = performance.now();
  void worker.run();
  await pool(
    Array.from({ length: count }, (_, i) => i),
    inFlight,
    async (i) => {
      await queue.add('noop', { i }, { jobId: `noop-${i}`, removeOnComplete: true });
    },
  );
  await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error('raw BullMQ jobs: not done within 120000 ms')), 120_000).unref())]);
  const seconds = (performance.now() - start) / 1000;
  const cpu = { hub: perItem(cpuMicros() - cpu0, count), redis: perItem((await redisCpu()) - redis0, count) };
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return { perSecond: count / seconds, seconds, cpu };
}

interface FakeStats {
  posts: number;
  puts: number;
  putKeys: number;
  finals: number;
  /** CPU time the server process has used, µs. */
  cpuMicros: number;
}

/** CPU time this process has used, µs. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU time the Redis server has used, µs (INFO cpu). */
async function redisCpuMicros(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('cpu');
  const read = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return Math.round((read('used_cpu_user') + read('used_cpu_sys')) * 1e6);
}

/** CPU µs per item of three processes over a stretch of work. */
interface CpuSplit {
  hub: number;
  jira: number;
  redis: number;
}

const perItem = (micros: number, items: number): number => micros / items;
const fmtCpu = (c: CpuSplit): string => `hub ${c.hub.toFixed(0)} µs, Jira server ${c.jira.toFixed(0)} µs, Redis ${c.redis.toFixed(0)} µs`;

/**
 * The writes a Jira-compatible server in another process has taken, and how many issues' last
 * written summary ends with `final`. With `until`, the server answers once that many PUTs (or
 * finals) are in, or after `timeoutMs`: a long poll, checked every 2 ms inside the server process.
 */
async function fakeStats(statsUrl: string, { final = '', until }: { final?: string; until?: { puts?: number; finals?: number; timeoutMs: number } } = {}): Promise<FakeStats> {
  const query = new URLSearchParams({ final });
  if (until?.puts !== undefined) query.set('puts', String(until.puts));
  if (until?.finals !== undefined) query.set('finals', String(until.finals));
  if (until !== undefined) query.set('timeoutMs', String(until.timeoutMs));
  const res = await fetch(`${statsUrl}?${query.toString()}`);
  return (await res.json()) as FakeStats;
}

/** Waits until the server has taken `puts` PUTs in all, or holds `finals` issues whose last summary ends with `final`. */
async function reached(statsUrl: string, what: string, want: { puts?: number; finals?: number; final?: string }, timeoutMs = 240_000): Promise<FakeStats> {
  const stats = await fakeStats(statsUrl, { final: want.final ?? '', until: { ...want, timeoutMs } });
  if ((want.puts !== undefined && stats.puts < want.puts) || (want.finals !== undefined && stats.finals < want.finals)) throw new Error(`${what}: not done within ${timeoutMs} ms`);
  return stats;
}

export async function run(options: { changes?: number; writers?: number; rounds?: number; burst?: number } = {}) {
  // Four writers: the domain's own update rate falls steeply with more concurrent writers in one
  // tenant (its audit chain serialises them), which would measure the core, not sync.
  const { changes = 1500, writers = 4, rounds = 2, burst = 5 } = options;
  const jira = await spawnTarget('../sync-outbound.ts', ['serve-jira-fake']);
  const statsUrl = `http://127.0.0.1:${String(jira.info.statsPort)}/stats`;
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-sync-'));
  const prefix = `bench-sync-${randomUUID().slice(0, 8)}`;
  const redis = connectRedis(REDIS_URL);
  const queues = createQueues({ connection: redis, prefix });
  const store = createStore(createNedbStore({ dir, inMemory: process.env.BENCH_MEMORY === '1' }));
  const loaded = loadConfig({ HUB_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`, HUB_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', HUB_DATA_DIR: dir, HUB_ALLOW_PRIVATE_URLS: 'true' });
  if (!loaded.ok) throw new Error(loaded.error);
  const vault = createVault(loaded.config.masterKeys);
  const logger = createLogger({ level: 'warn', destination: destination({ dest: '/dev/null', sync: true }) });
  // The bucket a connector without a connection-wide quota gets is a policy, not engine overhead:
  // raised here so the figure measures the engine.
  const sync = createSyncEngine({ store, vault, queues, logger, redis, allowPrivateUrls: true, options: { bucketFallback: { capacity: 100_000, refillPerSecond: 100_000 } } });
  const ctx: WorkerContext = {
    store,
    vault,
    queues,
    logger,
    now: () => new Date(),
    publicUrl: 'https://hub.bench',
    allowPrivateUrls: true,
    domainEvents: [sync.domainEventHook],
    webhookHandlers: [sync.webhookHandler],
    connectors: connectorRegistry,
    syncEngine: sync,
  };
  const specs = workerSpecs(ctx);
  const outConcurrency = specs['sync-out']?.concurrency ?? 16;
  // Pushes are added by outbox jobs, one `add` each, as many at once as that worker runs jobs.
  const addsInFlight = specs.outbox?.concurrency ?? 8;
  const rawJobs = Math.max(changes, 10_000);
  const workers: Worker[] = [];
  const lines: string[] = [];
  try {
    for (const [name, spec] of Object.entries(specs)) {
      workers.push(createWorker(name, spec!.processor, { connection: { host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379), maxRetriesPerRequest: null }, prefix, concurrency: spec!.concurrency ?? 4 }));
    }
    // As `hub start` schedules them.
    await scheduleOutboxRelay(queues);
    await sync.schedule();

    const tenant = await createTenant(store, { slug: 'bench', name: 'Bench Pvt Ltd' });
    if (!tenant.ok) throw new Error(tenant.error);
    const db = store.forTenant(tenant.tenant.id);
    const domain: DomainContext = { db, now: () => new Date(), actor: { kind: 'system', id: 'bench' } };
    const connection = await createConnection(
      store,
      tenant.tenant.id,
      vault,
      { connector: 'jira', name: 'Jira', config: { baseUrl: `http://127.0.0.1:${jira.port}`, projectKey: 'MH' }, credentials: jira.info.credentials as Record<string, unknown> },
      new Date(),
    );
    const spec = mappingSpecSchema.parse({ connectionId: connection._id, name: 'bench', hubObject: 'milestone', remoteObject: 'issue', direction: 'out', fields: [{ hub: 'title', remote: 'fields.summary' }] });
    await createMapping(db, { connectionId: connection._id, name: spec.name, hubObject: 'milestone', remoteObject: 'issue', direction: 'out' }, { spec: JSON.stringify(spec), specHash: hashMapped(spec) }, { now: new Date() });
    // Projects of realistic size: the domain checks a milestone against its siblings on every change.
    const projectIds: string[] = [];
    for (let i = 0; i < Math.ceil(changes / PER_PROJECT); i += 1) {
      const project = await createProject(domain, { name: `Bench tower ${i}`, client: { name: 'Bench client', stateCode: '27' }, contractValue: 1_00_000_00 });
      if (!project.ok) throw new Error(project.error.message);
      projectIds.push(project.value._id);
    }

    // Warm-up, untimed: the milestones and their issues.
    const ids: string[] = [];
    await pool(Array.from({ length: changes }, (_, i) => i), writers, async (i) => {
      const made = await createMilestone(domain, { projectId: projectIds[i % projectIds.length]!, title: `Milestone ${i}` });
      if (!made.ok) throw new Error(made.error.message);
      ids.push(made.value._id);
    });
    const links = db.collection(syncLinksCollection);
    await until(async () => (await links.count({ remoteId: { $exists: true } })) >= changes, 300_000, 'issues created', 100);
    // The floor's PUTs go to the issues the warm-up created, straight to the server.
    const issueKeys = (await links.find({ remoteId: { $exists: true } }, { projection: { remoteId: 1 } })).map((l) => String(l.remoteId));
    const basic = jira.info.credentials as { email: string; apiToken: string };
    const authorization = `Basic ${Buffer.from(`${basic.email}:${basic.apiToken}`).toString('base64')}`;
    // node:http on a keep-alive agent: the cheapest client Node has (fetch costs several times more per request).
    const agent = new Agent({ keepAlive: true, maxSockets: outConcurrency });
    const putSummary = (i: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const body = JSON.stringify({ fields: { summary: `Floor ${i}` } });
        const req = request(
          {
            agent,
            host: '127.0.0.1',
            port: jira.port,
            method: 'PUT',
            path: `/rest/api/2/issue/${issueKeys[i % issueKeys.length]!}`,
            headers: { authorization, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`the floor's PUT answered ${res.statusCode}`))));
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    let bestSync = 0;
    let bestDrain = 0;
    let drainSeconds = 0;
    let bestBurst = 0;
    let bestRaw = 0;
    let bestFloor = 0;
    let floorSeconds = 0;
    let floorCpu = { hub: 0, redis: 0 };
    let syncSeconds = 0;
    let writesSeconds = 0;
    let burstSeconds = 0;
    let burstPuts = 0;
    let rawSeconds = 0;
    const redisCpu = () => redisCpuMicros(redis);
    // CPU per change of the best round of each end-to-end workload, and of every stage of the last round (one pipeline).
    let rawCpu = { hub: 0, redis: 0 };
    let syncCpu: CpuSplit = { hub: 0, jira: 0, redis: 0 };
    let writeCpu: CpuSplit = { hub: 0, jira: 0, redis: 0 };
    let relayCpu: CpuSplit = { hub: 0, jira: 0, redis: 0 };
    let drainCpu: CpuSplit = { hub: 0, jira: 0, redis: 0 };
    let writeOnlySeconds = 0;
    const cpuMark = async (): Promise<CpuSplit> => ({ hub: cpuMicros(), jira: (await fakeStats(statsUrl)).cpuMicros, redis: await redisCpu() });
    const cpuSince = async (mark: CpuSplit, items: number, jira?: FakeStats): Promise<CpuSplit> => {
      const now = { hub: cpuMicros(), jira: jira?.cpuMicros ?? (await fakeStats(statsUrl)).cpuMicros, redis: await redisCpu() };
      return { hub: perItem(now.hub - mark.hub, items), jira: perItem(now.jira - mark.jira, items), redis: perItem(now.redis - mark.redis, items) };
    };
    const bursty = ids.slice(0, Math.floor(changes / burst));
    for (let round = 1; round <= rounds; round += 1) {
      // Raw BullMQ first in each round, so drift on a shared machine hits both alike.
      const raw = await rawBullmq(prefix, rawJobs, outConcurrency, addsInFlight, redisCpu);
      if (raw.perSecond > bestRaw) {
        bestRaw = raw.perSecond;
        rawSeconds = raw.seconds;
        rawCpu = raw.cpu;
      }
      const floor = await rawBullmq(prefix, changes, outConcurrency, addsInFlight, redisCpu, putSummary);
      if (floor.perSecond > bestFloor) {
        bestFloor = floor.perSecond;
        floorSeconds = floor.seconds;
        floorCpu = floor.cpu;
      }

      const syncMark = await cpuMark();
      const before = await fakeStats(statsUrl);
      let start = performance.now();
      const arrived = reached(statsUrl, 'changes reaching Jira', { puts: before.puts + changes });
      // Awaited below; until then a failed write must not leave it unhandled.
      arrived.catch(() => undefined);
      await pool(ids, writers, async (id, i) => {
        const changed = await updateMilestone(domain, id, { title: `Milestone ${i}, revision ${round}` });
        if (!changed.ok) throw new Error(changed.error.message);
      });
      const written = (performance.now() - start) / 1000;
      const after = await arrived;
      let seconds = (performance.now() - start) / 1000;
      const syncRoundCpu = await cpuSince(syncMark, changes, after);
      if (changes / seconds > bestSync) {
        bestSync = changes / seconds;
        syncSeconds = seconds;
        writesSeconds = written;
        syncCpu = syncRoundCpu;
      }
      if (after.puts - before.puts !== changes) throw new Error(`expected ${changes} PUTs, Jira saw ${after.puts - before.puts}`);

      // Bursts: every milestone edited `burst` times in a row; done when Jira has every last edit.
      const final = `burst ${round} edit ${burst}`;
      const burstBefore = await fakeStats(statsUrl);
      start = performance.now();
      const settled = reached(statsUrl, 'bursts reaching Jira', { final, finals: bursty.length });
      settled.catch(() => undefined);
      await pool(bursty, writers, async (id, i) => {
        for (let edit = 1; edit <= burst; edit += 1) {
          const changed = await updateMilestone(domain, id, { title: `Milestone ${i}, burst ${round} edit ${edit}` });
          if (!changed.ok) throw new Error(changed.error.message);
        }
      });
      const burstAfter = await settled;
      seconds = (performance.now() - start) / 1000;
      if ((bursty.length * burst) / seconds > bestBurst) {
        bestBurst = (bursty.length * burst) / seconds;
        burstSeconds = seconds;
        // Pushes of one record coalesce: fewer PUTs than changes (counted when the last edit of every record is in).
        burstPuts = burstAfter.puts - burstBefore.puts;
      }
      await until(
        async () => {
          const counts = await queues.get('sync-out').getJobCounts('waiting', 'active');
          return (counts.waiting ?? 0) + (counts.active ?? 0) === 0;
        },
        60_000,
        'queue idle',
        50,
      );

      // Drain: the pushes wait in the queue until every change is in; then only sync-out runs.
      // The outbox worker waits too until every change is written, so the writes run alone.
      const outWorker = workers.find((w) => w.name === 'sync-out')!;
      const outboxWorker = workers.find((w) => w.name === 'outbox')!;
      await outWorker.pause();
      await outboxWorker.pause();
      const drainBefore = await fakeStats(statsUrl);
      let mark = await cpuMark();
      start = performance.now();
      await pool(ids, writers, async (id, i) => {
        const changed = await updateMilestone(domain, id, { title: `Milestone ${i}, drain ${round}` });
        if (!changed.ok) throw new Error(changed.error.message);
      });
      writeOnlySeconds = (performance.now() - start) / 1000;
      writeCpu = await cpuSince(mark, changes);
      mark = await cpuMark();
      outboxWorker.resume();
      await until(async () => ((await queues.get('sync-out').getJobCounts('waiting')).waiting ?? 0) >= changes, 300_000, 'pushes queued', 50);
      // Nothing else at work when the drain starts: the outbox relayed and delivered every event.
      await until(
        async () => {
          const counts = await queues.get('outbox').getJobCounts('waiting', 'active');
          return (counts.waiting ?? 0) + (counts.active ?? 0) === 0;
        },
        60_000,
        'outbox idle',
        50,
      );
      relayCpu = await cpuSince(mark, changes);
      mark = await cpuMark();
      const drained = reached(statsUrl, 'drain reaching Jira', { puts: drainBefore.puts + changes });
      start = performance.now();
      outWorker.resume();
      const drainAfter = await drained;
      seconds = (performance.now() - start) / 1000;
      drainCpu = await cpuSince(mark, changes, drainAfter);
      if (changes / seconds > bestDrain) {
        bestDrain = changes / seconds;
        drainSeconds = seconds;
      }
    }
    const stats = await fakeStats(statsUrl);
    if (stats.posts !== changes) throw new Error(`expected ${changes} created issues, Jira saw ${stats.posts} creates`);
    const ratio = bestSync / bestRaw;
    lines.push(
      `${changes} changes per round, ${writers} concurrent writers, best of ${rounds}; sync-out concurrency ${outConcurrency}; store ${process.env.BENCH_MEMORY === '1' ? 'in memory' : 'on disk'}; Jira-compatible server in another process`,
      `raw BullMQ no-op jobs                 ${bestRaw.toFixed(0).padStart(8)} jobs/s     (${rawJobs} jobs, one add each, ${addsInFlight} adds in flight, ${rawSeconds.toFixed(2)} s)`,
      `floor: one PUT per raw job            ${bestFloor.toFixed(0).padStart(8)} jobs/s     (${changes} jobs, one PUT each (node:http), nothing stored, ${floorSeconds.toFixed(2)} s)`,
      `outbound sync, one change per record  ${bestSync.toFixed(0).padStart(8)} changes/s  (${changes} changes, ${changes} PUTs, ${syncSeconds.toFixed(2)} s; the writes alone took ${writesSeconds.toFixed(2)} s)`,
      `outbound sync, ${burst} changes per record  ${bestBurst.toFixed(0).padStart(8)} changes/s  (${bursty.length * burst} changes to ${bursty.length} records, ${burstPuts} PUTs by then, ${burstSeconds.toFixed(2)} s)`,
      `sync-out drain alone                   ${bestDrain.toFixed(0).padStart(8)} pushes/s   (${changes} queued pushes, ${drainSeconds.toFixed(2)} s)`,
      `ratio sync ÷ raw = ${ratio.toFixed(2)} one change per record, ${(bestBurst / bestRaw).toFixed(2)} in bursts, ${(bestDrain / bestRaw).toFixed(2)} drain alone (target ≥ 0.25)`,
      `floors ÷ raw: one PUT per job ${(bestFloor / bestRaw).toFixed(2)}, domain writes alone ${(changes / writeOnlySeconds / bestRaw).toFixed(2)} (no outbound sync of one change per record can beat either here)`,
      `CPU per raw job:                      hub ${rawCpu.hub.toFixed(0)} µs, Redis ${rawCpu.redis.toFixed(0)} µs`,
      `CPU per floor job (one PUT):          hub ${floorCpu.hub.toFixed(0)} µs, Redis ${floorCpu.redis.toFixed(0)} µs`,
      `CPU per change, end to end:           ${fmtCpu(syncCpu)}`,
      `  domain write alone (outbox paused): ${fmtCpu(writeCpu)} (${(changes / writeOnlySeconds).toFixed(0)} writes/s)`,
      `  relay + outbox job + push enqueue:  ${fmtCpu(relayCpu)}`,
      `  push (drain):                       ${fmtCpu(drainCpu)}`,
    );
    return { raw: bestRaw, floor: bestFloor, sync: bestSync, burst: bestBurst, drain: bestDrain, ratio, cpu: { raw: rawCpu, sync: syncCpu, write: writeCpu, relay: relayCpu, push: drainCpu }, lines };
  } finally {
    await Promise.all(workers.map((w) => w.close()));
    await sync.close();
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await jira.stop();
  }
}

// Child mode: the Jira-compatible server in its own process, with a counter of the writes it took.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === 'serve-jira-fake') {
  const { startJiraFake } = await import('../test/fakes/jira/index.ts');
  const jira = await startJiraFake();
  const issue = /^\/rest\/api\/[23]\/issue$/;
  const oneIssue = /^\/rest\/api\/[23]\/issue\/([A-Z]+-\d+)$/;
  // Read incrementally: the fake records every request.
  let seen = 0;
  let posts = 0;
  let puts = 0;
  const lastSummary = new Map<string, string>();
  const tally = (final: string): FakeStats => {
    for (; seen < jira.requests.length; seen += 1) {
      const r = jira.requests[seen]!;
      if (r.method === 'POST' && issue.test(r.path)) posts += 1;
      const m = r.method === 'PUT' ? oneIssue.exec(r.path) : null;
      if (m) {
        puts += 1;
        const summary = (r.body as { fields?: { summary?: unknown } } | undefined)?.fields?.summary;
        if (typeof summary === 'string') lastSummary.set(m[1]!, summary);
      }
    }
    let finals = 0;
    if (final !== '') for (const summary of lastSummary.values()) if (summary.endsWith(final)) finals += 1;
    const { user, system } = process.cpuUsage();
    return { posts, puts, putKeys: lastSummary.size, finals, cpuMicros: user + system };
  };
  const stats = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const final = query.get('final') ?? '';
    const wantPuts = Number(query.get('puts') ?? 0);
    const wantFinals = Number(query.get('finals') ?? 0);
    const deadline = Date.now() + Number(query.get('timeoutMs') ?? 0);
    // Long poll: checked every few milliseconds in this process until done or out of time.
    const answer = (): void => {
      const now = tally(final);
      if ((now.puts < wantPuts || now.finals < wantFinals) && Date.now() < deadline) {
        setTimeout(answer, 2);
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(now));
    };
    answer();
  });
  // Long polls and the gaps between them outlast Node's default keep-alive timeouts.
  stats.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', () => resolve()));
  process.on('SIGTERM', () => {
    stats.close();
    void jira.close().finally(() => process.exit(0));
  });
  process.stdout.write(`READY ${jira.port} ${JSON.stringify({ statsPort: (stats.address() as AddressInfo).port, credentials: jira.credentials })}\n`);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  process.stdout.write(`Outbound sync throughput\n${r.lines.join('\n')}\n`);
  process.exit(0);
}
