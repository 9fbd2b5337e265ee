// Runs one benchmark target in its own process, so the load generator does not share its core.
// Usage: node --import tsx bench/harness/serve-target.ts <bare|me>; prints `READY <port> <json>`.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { destination } from 'pino';
import { createApp, createLogger } from '../../api/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { testServices } from '../../test/helpers/test-services.ts';
import { withCpuProbe } from './cpu-probe.ts';

const target = process.argv[2];
let fetchFn: (req: Request) => Response | Promise<Response>;
let info: Record<string, unknown> = {};

if (target === 'bare') {
  const bare = new Hono();
  bare.get('/bare', (c) => c.json({ ok: true }));
  fetchFn = bare.fetch;
} else if (target === 'me') {
  // Access logs go to a real file descriptor as in production, not to an in-memory capture.
  const logger = createLogger({ level: 'info', destination: destination({ dest: '/dev/null', sync: true }) });
  const services = testServices({ env: { LOG_LEVEL: 'info' }, logger });
  const app = createApp(services);
  const t = await createTenant(services.store, { slug: 'bench', name: 'Bench Pvt Ltd' });
  if (!t.ok) throw new Error(t.error);
  info = { apiKey: t.apiKey };
  fetchFn = app.fetch;
} else {
  throw new Error(`unknown target ${target}`);
}

const server = serve({ fetch: withCpuProbe(fetchFn), port: 0, hostname: '127.0.0.1' }, (addr) => {
  process.stdout.write(`READY ${addr.port} ${JSON.stringify(info)}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
