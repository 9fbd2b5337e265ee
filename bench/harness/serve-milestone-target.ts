// Serves the hub over an embedded store holding one tenant with 100,000 milestones, for the
// milestone list benchmark. Usage: node --import tsx bench/harness/serve-milestone-target.ts
// [projects] [perProject]; prints `READY <port> <json>` once seeded.
import { serve } from '@hono/node-server';
import { destination } from 'pino';
import { createApp, createLogger } from '../../api/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
import { testServices } from '../../test/helpers/test-services.ts';
import { withCpuProbe } from './cpu-probe.ts';
import { seedMilestones } from './seed-milestones.ts';

const projects = Number(process.argv[2] ?? 1000);
const perProject = Number(process.argv[3] ?? 100);
const logger = createLogger({ level: 'info', destination: destination({ dest: '/dev/null', sync: true }) });
const services = testServices({ env: { LOG_LEVEL: 'info' }, logger });
const t = await createTenant(services.store, { slug: 'bench', name: 'Bench Pvt Ltd' });
if (!t.ok) throw new Error(t.error);
const started = performance.now();
const seeded = await seedMilestones(services.store, t.tenant.id, { projects, perProject, owners: 1000 });
const seedMs = performance.now() - started;
const app = createApp(services);
const server = serve({ fetch: withCpuProbe(app.fetch), port: 0, hostname: '127.0.0.1' }, (addr) => {
  const info = { apiKey: t.apiKey, count: seeded.count, seedMs, projectIds: seeded.projectIds.slice(0, 20), ownerIds: seeded.ownerIds.slice(0, 20), tags: seeded.tags };
  process.stdout.write(`READY ${addr.port} ${JSON.stringify(info)}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
