// Runs one webhook-ingest benchmark target in its own process, so the load generator does not
// share its core. Usage: node --import tsx bench/harness/serve-webhook-target.ts <bare|ingest>;
// prints `READY <port> <json>`. `ingest` is the hub's POST /v1/hooks/{connectionId} over an
// embedded store on disk (a temporary directory) and real Redis under a throwaway prefix.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { destination } from 'pino';
import { createApp, createLogger } from '../../api/index.ts';
import { createConnection } from '../../core/connections/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { connectRedis, createQueues } from '../../queues/index.ts';
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
