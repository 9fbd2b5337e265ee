// GET /v1/me (API key auth, tenant lookup, request id, metrics, access log) against a bare Hono
// route answering JSON, side by side in one run. Target: hub ≥ 0.5 of bare. Besides throughput
// it prints each target's CPU time per request and their ratio (bare ÷ hub): on a shared machine
// that figure does not count time spent waiting for a core, so it moves less from run to run.
import { withCpuPerRequest } from './harness/cpu-probe.ts';
import { fmt, load, type LoadResult } from './harness/load.ts';
import { spawnTarget } from './harness/spawn-target.ts';

export async function run(options: { durationMs?: number; concurrency?: number; rounds?: number } = {}) {
  const { durationMs = 4000, concurrency = 32, rounds = 2 } = options;
  const bare = await spawnTarget('serve-target.ts', ['bare']);
  const me = await spawnTarget('serve-target.ts', ['me']);
  const auth = { Authorization: `Bearer ${String(me.info.apiKey)}` };
  type Measured = LoadResult & { cpuMicrosPerRequest: number };
  const results: { bare: Measured[]; me: Measured[] } = { bare: [], me: [] };
  try {
    // Warm both up, then alternate so drift on a shared machine hits both alike.
    await load({ url: `http://127.0.0.1:${bare.port}/bare`, concurrency, durationMs: 500 });
    await load({ url: `http://127.0.0.1:${me.port}/v1/me`, headers: auth, concurrency, durationMs: 500 });
    for (let i = 0; i < rounds; i += 1) {
      results.bare.push(await withCpuPerRequest(bare.port, () => load({ url: `http://127.0.0.1:${bare.port}/bare`, concurrency, durationMs })));
      results.me.push(await withCpuPerRequest(me.port, () => load({ url: `http://127.0.0.1:${me.port}/v1/me`, headers: auth, concurrency, durationMs })));
    }
  } finally {
    await bare.stop();
    await me.stop();
  }
  const best = (rs: Measured[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const b = best(results.bare);
  const m = best(results.me);
  if (m.statuses[200] !== m.requests) throw new Error(`GET /v1/me answered ${JSON.stringify(m.statuses)}`);
  const ratio = m.rps / b.rps;
  const leanest = (rs: Measured[]) => Math.min(...rs.map((r) => r.cpuMicrosPerRequest));
  const cpuBare = leanest(results.bare);
  const cpuMe = leanest(results.me);
  const cpuRatio = cpuBare / cpuMe;
  return {
    bare: b,
    me: m,
    ratio,
    cpuRatio,
    lines: [
      fmt('bare Hono route', b),
      fmt('GET /v1/me', m),
      `ratio /v1/me ÷ bare = ${ratio.toFixed(2)} (target ≥ 0.5)`,
      `server CPU per request: bare ${cpuBare.toFixed(1)} µs, /v1/me ${cpuMe.toFixed(1)} µs; ratio bare ÷ /v1/me = ${cpuRatio.toFixed(2)} (same target, steadier on a busy machine)`,
    ],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  process.stdout.write(`GET /v1/me throughput, ${32} concurrent keep-alive clients on loopback\n${r.lines.join('\n')}\n`);
}
