// GET /v1/me (API key auth, tenant lookup, request id, metrics, access log) against a bare Hono
// route answering JSON, side by side in one run. Target: hub ≥ 0.5 of bare.
import { fmt, load, type LoadResult } from './harness/load.ts';
import { spawnTarget } from './harness/spawn-target.ts';

export async function run(options: { durationMs?: number; concurrency?: number; rounds?: number } = {}) {
  const { durationMs = 4000, concurrency = 32, rounds = 2 } = options;
  const bare = await spawnTarget('serve-target.ts', ['bare']);
  const me = await spawnTarget('serve-target.ts', ['me']);
  const auth = { Authorization: `Bearer ${String(me.info.apiKey)}` };
  const results: { bare: LoadResult[]; me: LoadResult[] } = { bare: [], me: [] };
  try {
    // Warm both up, then alternate so drift on a shared machine hits both alike.
    await load({ url: `http://127.0.0.1:${bare.port}/bare`, concurrency, durationMs: 500 });
    await load({ url: `http://127.0.0.1:${me.port}/v1/me`, headers: auth, concurrency, durationMs: 500 });
    for (let i = 0; i < rounds; i += 1) {
      results.bare.push(await load({ url: `http://127.0.0.1:${bare.port}/bare`, concurrency, durationMs }));
      results.me.push(await load({ url: `http://127.0.0.1:${me.port}/v1/me`, headers: auth, concurrency, durationMs }));
    }
  } finally {
    await bare.stop();
    await me.stop();
  }
  const best = (rs: LoadResult[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const b = best(results.bare);
  const m = best(results.me);
  if (m.statuses[200] !== m.requests) throw new Error(`GET /v1/me answered ${JSON.stringify(m.statuses)}`);
  const ratio = m.rps / b.rps;
  return { bare: b, me: m, ratio, lines: [fmt('bare Hono route', b), fmt('GET /v1/me', m), `ratio /v1/me ÷ bare = ${ratio.toFixed(2)} (target ≥ 0.5)`] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await run();
  process.stdout.write(`GET /v1/me throughput, ${32} concurrent keep-alive clients on loopback\n${r.lines.join('\n')}\n`);
}
