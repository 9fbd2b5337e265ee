// Verified webhook ingest: POST /v1/hooks/{connectionId} with Standard Webhooks signatures and
// 1 KiB bodies (read under the cap, verified, deduplicated and stored in the embedded store on
// disk, queued in real Redis, answered 202), against a bare Hono route answering 200 to the same
// requests, side by side in one run. Target: ingest ≥ 0.4 of bare. Also printed: each target's
// CPU time per request and their ratio (bare ÷ ingest), which waiting for a core does not skew.
// Run: node --import tsx bench/webhook-ingest.ts
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { signStandardWebhook } from '../webhooks/verifiers/index.ts';
import { withCpuPerRequest } from './harness/cpu-probe.ts';
import { fmt, load, type LoadResult } from './harness/load.ts';
import { spawnTarget } from './harness/spawn-target.ts';

const BODY = JSON.stringify({ type: 'invoice.paid', data: { invoice: 'INV-2025-0042', note: 'x'.repeat(1024) } }).slice(0, 1024);

export async function run(options: { durationMs?: number; concurrency?: number; rounds?: number; maxRequests?: number } = {}) {
  const { durationMs = 4000, concurrency = 64, rounds = 3, maxRequests = 60_000 } = options;
  const bare = await spawnTarget('serve-webhook-target.ts', ['bare']);
  const hub = await spawnTarget('serve-webhook-target.ts', ['ingest']);
  const secret = String(hub.info.secret);
  const runId = randomUUID().slice(0, 8);
  let round = 0;
  // Every request is a new event (its own webhook-id), signed now, so none is refused as a duplicate or stale.
  const signed = (i: number) => ({
    'content-type': 'application/json',
    ...signStandardWebhook({ secret, id: `msg_${runId}_${round}_${i}`, timestamp: new Date(), body: BODY }),
  });
  const bareUrl = `http://127.0.0.1:${bare.port}/bare`;
  const hubUrl = `http://127.0.0.1:${hub.port}/v1/hooks/${String(hub.info.connectionId)}`;
  type Measured = LoadResult & { cpuMicrosPerRequest: number };
  const results: { bare: Measured[]; hub: Measured[] } = { bare: [], hub: [] };
  try {
    await load({ url: bareUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs: 500 });
    round += 1;
    await load({ url: hubUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs: 500 });
    // Alternate so drift on a shared machine hits both alike.
    for (let i = 0; i < rounds; i += 1) {
      round += 1;
      results.bare.push(await withCpuPerRequest(bare.port, () => load({ url: bareUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs, maxRequests })));
      round += 1;
      results.hub.push(await withCpuPerRequest(hub.port, () => load({ url: hubUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs, maxRequests })));
    }
  } finally {
    await bare.stop();
    await hub.stop();
  }
  const best = (rs: Measured[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const b = best(results.bare);
  const h = best(results.hub);
  if (h.statuses[202] !== h.requests) throw new Error(`POST /v1/hooks answered ${JSON.stringify(h.statuses)}`);
  const ratio = h.rps / b.rps;
  const leanest = (rs: Measured[]) => Math.min(...rs.map((r) => r.cpuMicrosPerRequest));
  const cpuBare = leanest(results.bare);
  const cpuHub = leanest(results.hub);
  const cpuRatio = cpuBare / cpuHub;
  return {
    bare: b,
    ingest: h,
    ratio,
    cpuRatio,
    lines: [
      `${concurrency} concurrent senders, ${Buffer.byteLength(BODY)}-byte bodies, keep-alive, loopback`,
      fmt('bare Hono POST route', b),
      fmt('verified webhook ingest', h),
      `ratio ingest ÷ bare = ${ratio.toFixed(2)} (target ≥ 0.4)`,
      `server CPU per request: bare ${cpuBare.toFixed(1)} µs, ingest ${cpuHub.toFixed(1)} µs; ratio bare ÷ ingest = ${cpuRatio.toFixed(2)} (same target, steadier on a busy machine)`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  process.stdout.write(`Webhook ingest throughput\n${r.lines.join('\n')}\n`);
}
