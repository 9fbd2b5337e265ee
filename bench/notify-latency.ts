// Trigger-to-SMTP-accept latency of notifications: N notifications are requested in one burst
// through requestNotification (stored in the embedded store on disk, queued in real Redis), sent
// by the hub's `notify` worker through an active `email` connection (nodemailer), and accepted
// by a real SMTP server (smtp-server) on loopback in this process. Latency is measured per
// message from the requestNotification call to the peer's 250 after DATA, so with a backlog of
// N it includes the wait in the queue. Printed: p50, p99 and max latency, the time to request
// all N, and the delivery throughput; beside them, in the same run, one message alone
// (queue empty) for the floor.
// Run: node --import tsx bench/notify-latency.ts [count]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Worker } from 'bullmq';
import { destination } from 'pino';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '../api/index.ts';
import { loadConfig } from '../api/config/index.ts';
import { createConnection } from '../core/connections/index.ts';
import { sendEmail } from '../connectors/email/index.ts';
import { notificationSettingsCollection, notificationSettingsId, notificationSettingsSchema } from '../core/notifications/index.ts';
import { createNedbStore, createStore } from '../core/store/index.ts';
import { createTenant } from '../core/tenancy/index.ts';
import { createVault } from '../core/vault/index.ts';
import { requestNotification } from '../queues/notify/index.ts';
import { connectRedis, createQueues, type WorkerContext } from '../queues/index.ts';
import { notifyWorker } from '../queues/workers/notify-worker.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A loopback SMTP peer that stamps when it accepts each message, by recipient. */
async function startPeer(): Promise<{ port: number; accepted: Map<string, number>; close(): Promise<void> }> {
  const accepted = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS of the client: it is loopback, and a lookup would be timed, not the hub.
    disableReverseLookup: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        const at = performance.now();
        for (const rcpt of session.envelope.rcptTo) accepted.set(rcpt.address.toLowerCase(), at);
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function run(options: { count?: number; concurrency?: number; timeoutMs?: number } = {}) {
  const { count = 10_000, concurrency = 32, timeoutMs = 900_000 } = options;
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-notify-'));
  const prefix = `bench-notify-${randomUUID().slice(0, 8)}`;
  const redis = connectRedis(REDIS_URL);
  const queues = createQueues({ connection: redis, prefix });
  const store = createStore(createNedbStore({ dir, inMemory: process.env.BENCH_MEMORY === '1' }));
  const loaded = loadConfig({ HUB_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`, HUB_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef', HUB_DATA_DIR: dir, HUB_ALLOW_PRIVATE_URLS: 'true' });
  if (!loaded.ok) throw new Error(loaded.error);
  const vault = createVault(loaded.config.masterKeys);
  const logger = createLogger({ level: 'warn', destination: destination({ dest: '/dev/null', sync: true }) });
  const peer = await startPeer();
  let worker: Worker | undefined;
  try {
    const tenant = await createTenant(store, { slug: `bench-${randomUUID().slice(0, 6)}`, name: 'Bench Infra Pvt Ltd' });
    if (!tenant.ok) throw new Error(tenant.error);
    const tenantId = tenant.tenant.id;
    const db = store.forTenant(tenantId);
    await createConnection(store, tenantId, vault, { connector: 'email', name: 'bench smtp', config: { host: '127.0.0.1', port: peer.port, secure: false, from: 'Bench <projects@bench.in>' }, credentials: {} }, new Date());
    // No quiet hours: the figures must not depend on the hour the bench runs at.
    await db.collection(notificationSettingsCollection).updateOne({ _id: notificationSettingsId(tenantId) }, { $set: { settings: notificationSettingsSchema.parse({ delivery: { quietHours: null } }) } }, { upsert: true });

    const ctx: WorkerContext = { store, vault, queues, logger, now: () => new Date(), publicUrl: 'http://127.0.0.1', allowPrivateUrls: true, notify: { concurrency } };
    const spec = notifyWorker(ctx);
    worker = new Worker('notify', spec.processor, { connection: { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null }, prefix, concurrency: spec.concurrency ?? concurrency });
    worker.on('error', () => undefined);

    const deps = { store, queues };
    const triggered = new Map<string, number>();
    const request = async (address: string, key: string) => {
      triggered.set(address, performance.now());
      const result = await requestNotification(deps, {
        tenantId,
        dedupeKey: key,
        purpose: 'invoice',
        recipient: { address: { channel: 'email', to: address } },
        templateKey: 'invoice.sent',
        vars: { 'recipient.name': 'Client', 'invoice.number': 'INV/2026-27/0042', amount: 12_50_000_00, 'milestone.title': 'Slab casting', 'project.name': 'Sharma Residency', dueDate: '2026-12-15', link: 'https://hub.example.in/i/42' },
      });
      if (!result.ok) throw new Error(result.error.message);
    };
    const waitAccepted = async (addresses: string[]) => {
      const deadline = Date.now() + timeoutMs;
      while (addresses.some((a) => !peer.accepted.has(a))) {
        if (Date.now() > deadline) throw new Error(`only ${addresses.filter((a) => peer.accepted.has(a)).length} of ${addresses.length} accepted in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // Warm up and measure the floor: one message at a time, queue empty.
    const single: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const address = `solo${i}@bench.in`;
      await request(address, `solo:${i}`);
      await waitAccepted([address]);
      if (i >= 5) single.push(peer.accepted.get(address)! - triggered.get(address)!);
    }

    // Beside it, the same peer without the hub: one nodemailer send at a time through the email connector's sendEmail.
    const direct: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const address = `direct${i}@bench.in`;
      const at = performance.now();
      await sendEmail({ config: { host: '127.0.0.1', port: peer.port, secure: false, from: 'Bench <projects@bench.in>' }, credentials: {}, policy: { guarded: false }, message: { to: address, subject: 'Invoice', text: 'Invoice INV/2026-27/0042', idempotencyKey: `direct:${i}` } });
      if (i >= 5) direct.push(peer.accepted.get(address)! - at);
    }
    direct.sort((x, y) => x - y);

    // The burst: N requests as fast as the store takes them, the worker sending meanwhile.
    const addresses = Array.from({ length: count }, (_, i) => `owner${i}@bench.in`);
    const start = performance.now();
    const inFlight = 64;
    for (let i = 0; i < addresses.length; i += inFlight) {
      await Promise.all(addresses.slice(i, i + inFlight).map((a, j) => request(a, `burst:${i + j}`)));
    }
    const requestedMs = performance.now() - start;
    await waitAccepted(addresses);
    const totalMs = Math.max(...addresses.map((a) => peer.accepted.get(a)!)) - start;
    const latencies = addresses.map((a) => peer.accepted.get(a)! - triggered.get(a)!).sort((x, y) => x - y);
    single.sort((x, y) => x - y);

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    return {
      count,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1)!,
      throughputPerSecond: (count / totalMs) * 1000,
      singleP50Ms: percentile(single, 50),
      directP50Ms: percentile(direct, 50),
      lines: [
        `notifications: ${count} requested in one burst, worker concurrency ${concurrency}, embedded store ${process.env.BENCH_MEMORY === '1' ? 'in memory' : 'on disk'}, Redis ${REDIS_URL}`,
        `trigger → SMTP accept  p50 ${ms(percentile(latencies, 50))}   p99 ${ms(percentile(latencies, 99))}   max ${ms(latencies.at(-1)!)}`,
        `requested all ${count} in ${ms(requestedMs)}; all accepted after ${ms(totalMs)} (${((count / totalMs) * 1000).toFixed(0)} messages/s)`,
        `one message alone, queue empty: p50 ${ms(percentile(single, 50))}   max ${ms(single.at(-1)!)}`,
        `the same peer without the hub (sendEmail, one at a time): p50 ${ms(percentile(direct, 50))}; hub ÷ direct ${(percentile(single, 50) / percentile(direct, 50)).toFixed(2)} (smtp-server holds every greeting 100 ms)`,
      ],
    };
  } finally {
    await worker?.close(true).catch(() => undefined);
    for (const queue of queues.all()) await queue.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
    await peer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const count = process.argv[2] ? Number(process.argv[2]) : undefined;
  const r = await run(count ? { count } : {});
  process.stdout.write(`Notification latency\n${r.lines.join('\n')}\n`);
  process.exit(0);
}
