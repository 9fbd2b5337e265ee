// GET /v1/milestones with filters over 100,000 stored milestones (one tenant: 1,000 projects of
// 100, 1,000 owners, 20 tags, statuses and due dates spread as on a busy tenant), 32 concurrent
// keep-alive clients through the HTTP app on the embedded store. Target: p99 < 50 ms for the
// filtered lists people open (a project, a project by status, an owner's, a project's overdue).
// Tenant-wide lists with no selective filter are measured too, one client at a time.
import { fmt, load, type LoadResult } from './harness/load.ts';
import { withCpuPerRequest } from './harness/cpu-probe.ts';
import { spawnTarget } from './harness/spawn-target.ts';

export async function run(options: { durationMs?: number; concurrency?: number } = {}) {
  const { durationMs = 3000, concurrency = 32 } = options;
  const target = await spawnTarget('serve-milestone-target.ts', ['1000', '100']);
  const info = target.info as { apiKey: string; count: number; seedMs: number; projectIds: string[]; ownerIds: string[]; tags: string[] };
  const headers = { Authorization: `Bearer ${info.apiKey}` };
  const base = `http://127.0.0.1:${target.port}/v1/milestones?`;
  const p = info.projectIds;
  const o = info.ownerIds;
  const selective: [string, string][] = [
    ['projectId, 25 a page', `&projectId=${p[2]}&limit=25`],
    ['owner, 25 a page', `&owner=${o[6]}&limit=25`],
    ['projectId', `&projectId=${p[3]}&limit=50`],
    ['projectId + status', `&projectId=${p[4]}&status=in_progress&limit=50`],
    ['projectId + overdue', `&projectId=${p[5]}&overdue=true&limit=50`],
    ['projectId + tag', `&projectId=${p[6]}&tag=${info.tags[2]}&limit=50`],
    ['owner', `&owner=${o[7]}&limit=50`],
    ['owner + overdue', `&owner=${o[8]}&overdue=true&limit=50`],
    ['owner + status', `&owner=${o[9]}&status=planned,in_progress&limit=50`],
  ];
  const wide: [string, string][] = [
    ['tenant: status', '&status=in_progress&limit=50'],
    ['tenant: tag', `&tag=${info.tags[5]}&limit=50`],
    ['tenant: due in a fortnight', '&dueAfter=2026-01-01&dueBefore=2026-01-15&limit=50'],
    ['tenant: overdue', '&overdue=true&limit=50'],
    ['tenant: no filter', '&limit=50'],
  ];
  const lines: string[] = [`${info.count} milestones seeded in ${(info.seedMs / 1000).toFixed(1)} s; ${concurrency} concurrent clients, ${durationMs / 1000} s per filter`];
  const results: Record<string, LoadResult> = {};
  try {
    await load({ url: base + selective[0]![1], headers, concurrency, durationMs: 1000 });
    for (const [name, query] of selective) {
      // Server CPU per request is steadier than latency on a shared machine.
      const r = await withCpuPerRequest(target.port, () => load({ url: base + query, headers, concurrency, durationMs }));
      if (r.statuses[200] !== r.requests) throw new Error(`${name} answered ${JSON.stringify(r.statuses)}`);
      results[name] = r;
      lines.push(`${fmt(name, r)}   server CPU ${r.cpuMicrosPerRequest.toFixed(0)} µs/req`);
    }
    const worst = Math.max(...Object.values(results).map((r) => r.p99));
    lines.push(`worst p99 over the filtered lists: ${worst.toFixed(1)} ms (target < 50 ms); pages hold 50 milestones unless marked`);
    lines.push('tenant-wide lists without a selective filter, 1 client:');
    for (const [name, query] of wide) {
      const r = await withCpuPerRequest(target.port, () => load({ url: base + query, headers, concurrency: 1, durationMs: 1500 }));
      if (r.statuses[200] !== r.requests) throw new Error(`${name} answered ${JSON.stringify(r.statuses)}`);
      results[name] = r;
      lines.push(`${fmt(name, r)}   server CPU ${r.cpuMicrosPerRequest.toFixed(0)} µs/req`);
    }
  } finally {
    await target.stop();
  }
  return { results, lines };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  process.stdout.write(`${r.lines.join('\n')}\n`);
}
