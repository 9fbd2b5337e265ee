// Runs one webhook-ingest benchmark target in its own process, so the load generator does not
// share its core. Usage: node --import tsx bench/harness/serve-webhook-target.ts <bare|floor|ingest>;
// prints `READY <port> <json>`. `ingest` is the hub's POST /v1/hooks/{connectionId} over an
// embedded store on disk (a temporary directory) and real Redis under a throwaway prefix.
// `floor` is what any such pipeline must do at least, with nothing of the hub's own around it: a
// bare Hono route that reads the body, checks its Standard Webhooks signature and adds one BullMQ
// job per request (batched per turn, up to 4 adds in flight), storing nothing and logging nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type HttpBindings } from '@hono/node-server';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { destination } from 'pino';
import { createApp, createLogger } from '../../api/index.ts';
import { createConnection } from '../../core/connections/index.ts';
import { createNedbStore, createStore, newId } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { connectRedis, createQueues } from '../../queues/index.ts';
import { verifierFor } from '../../webhooks/verifiers/index.ts';
import { testServices } from '../../test/helpers/test-services.ts';
import { withCpuProbe } from './cpu-probe.ts';

const target = process.argv[2];
let fetchFn: (req: Request) => Response | Promise<Response>;
let info: Record<string, unknown> = {};
let cleanup = async (): Promise<void> => undefined;

if (target === 'bare') {
  const bare = new Hono();
  bare.post('/bare', (c) => c.body(null, 200));
  fetchFn = bare.fetch;
} else if (target === 'floor') {
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = createQueues({ connection: redis, prefix: `bench-${randomUUID().slice(0, 8)}` });
  const secrets = [{ value: `whsec_${randomBytes(24).toString('base64')}` }];
  const verifier = verifierFor('standard-webhooks')!;
  const addJob = perTurnAdds(queues.get('webhooks'));
  const floor = new Hono<{ Bindings: HttpBindings }>();
  floor.post('/floor', async (c) => {
    // Straight from Node's message: no web stream or Fetch Headers built over it.
    const { incoming } = c.env as HttpBindings;
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const verified = verifier.verify({ rawBody, headers: incoming.headers, url: c.req.url, secrets, now: new Date() });
    if (!verified.ok) return c.json({ error: verified.reason }, 401);
    const id = newId('whe');
    await addJob({ name: 'envelope', data: { tenantId: 'bench', envelopeId: id }, opts: { jobId: id } });
    return c.json({ eventId: id }, 202);
  });
  info = { secret: secrets[0]!.value };
  fetchFn = floor.fetch;
  cleanup = async () => {
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
  };
} else if (target === 'ingest') {
  const dir = mkdtempSync(join(tmpdir(), 'hub-bench-hooks-'));
  const store = createStore(createNedbStore({ dir, inMemory: process.env.BENCH_MEMORY === '1' }));
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queues = createQueues({ connection: redis, prefix: `bench-${randomUUID().slice(0, 8)}` });
  // Access logs go to a real file descriptor as in production, not to an in-memory capture.
  const logger = createLogger({ level: 'info', destination: destination({ dest: '/dev/null', sync: true }) });
  const services = testServices({ env: { LOG_LEVEL: 'info', HUB_PUBLIC_URL: 'https://hub.bench' }, logger, store, queues });
  const app = createApp(services);
  const t = await createTenant(store, { slug: 'bench', name: 'Bench Pvt Ltd' });
  if (!t.ok) throw new Error(t.error);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const connection = await createConnection(
    store,
    t.tenant.id,
    services.vault,
    { connector: 'webhook', name: 'bench sender', config: { scheme: 'standard-webhooks' }, webhook: { secrets: [{ value: secret }] } },
    new Date(),
  );
  const connectionId = connection._id;
  info = { connectionId, secret };
  fetchFn = app.fetch;
  cleanup = async () => {
    for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await redis.quit().catch(() => redis.disconnect());
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  };
} else {
  throw new Error(`unknown target ${target}`);
}

/** Adds the jobs asked for in one turn with one `addBulk`, at most 4 adds in flight. */
function perTurnAdds(queue: Queue): (job: { name: string; data: object; opts: { jobId: string } }) => Promise<void> {
  type Waiting = { job: { name: string; data: object; opts: { jobId: string } }; done: (err?: unknown) => void };
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < 4) {
      const batch = waiting;
      waiting = [];
      inFlight += 1;
      queue.addBulk(batch.map((w) => w.job)).then(
        () => batch.forEach((w) => w.done()),
        (err: unknown) => batch.forEach((w) => w.done(err)),
      ).finally(() => {
        inFlight -= 1;
        flush();
      });
    }
  };
  return (job) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ job, done: (err) => (err === undefined ? resolve() : reject(err as Error)) });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

const server = serve({ fetch: withCpuProbe(fetchFn), port: 0, hostname: '127.0.0.1' }, (addr) => {
  process.stdout.write(`READY ${addr.port} ${JSON.stringify(info)}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    cleanup().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  if ('closeAllConnections' in server) server.closeAllConnections();
});
