// Verified webhook ingest: POST /v1/hooks/{connectionId} with Standard Webhooks signatures and
// 1 KiB bodies (read under the cap, verified, deduplicated and stored in the embedded store on
// disk, queued in real Redis, answered 202), against a bare Hono route answering 200 to the same
// requests, side by side in one run. Target: ingest ≥ 0.4 of bare. Also printed: each target's
// CPU time per request and their ratio (bare ÷ ingest), which waiting for a core does not skew,
// and each round's own ratio (the three targets of a round run one after another).
// Beside them, a floor: a bare Hono route that only reads the body, checks the signature and adds
// one BullMQ job per request (which the pipeline must do: the job id is the envelope id), storing
// and logging nothing. No pipeline with one job per event can beat the floor's ratio on this
// machine, so it shows how much of the gap to bare is the hub's and how much is the queue's.
// Run: node --import tsx bench/webhook-ingest.ts
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { signStandardWebhook } from '../webhooks/verifiers/index.ts';
import { withCpuPerRequest } from './harness/cpu-probe.ts';
import { fmt, load, type LoadResult } from './harness/load.ts';
import { spawnTarget } from './harness/spawn-target.ts';

const BODY = JSON.stringify({ type: 'invoice.paid', data: { invoice: 'INV-2025-0042', note: 'x'.repeat(1024) } }).slice(0, 1024);

export async function run(options: { durationMs?: number; concurrency?: number; rounds?: number; maxRequests?: number } = {}) {
  const { durationMs = 4000, concurrency = 64, rounds = 5, maxRequests = 60_000 } = options;
  const bare = await spawnTarget('serve-webhook-target.ts', ['bare']);
  const floor = await spawnTarget('serve-webhook-target.ts', ['floor']);
  const hub = await spawnTarget('serve-webhook-target.ts', ['ingest']);
  const secret = String(hub.info.secret);
  const floorSecret = String(floor.info.secret);
  const runId = randomUUID().slice(0, 8);
  let round = 0;
  // Every request is a new event (its own webhook-id), signed now, so none is refused as a duplicate or stale.
  const signed = (i: number) => ({
    'content-type': 'application/json',
    ...signStandardWebhook({ secret, id: `msg_${runId}_${round}_${i}`, timestamp: new Date(), body: BODY }),
  });
  const signedForFloor = (i: number) => ({
    'content-type': 'application/json',
    ...signStandardWebhook({ secret: floorSecret, id: `msg_${runId}_${round}_${i}`, timestamp: new Date(), body: BODY }),
  });
  const bareUrl = `http://127.0.0.1:${bare.port}/bare`;
  const floorUrl = `http://127.0.0.1:${floor.port}/floor`;
  const hubUrl = `http://127.0.0.1:${hub.port}/v1/hooks/${String(hub.info.connectionId)}`;
  type Measured = LoadResult & { cpuMicrosPerRequest: number };
  const results: { bare: Measured[]; floor: Measured[]; hub: Measured[] } = { bare: [], floor: [], hub: [] };
  try {
    await load({ url: bareUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs: 500 });
    round += 1;
    await load({ url: floorUrl, method: 'POST', headers: signedForFloor, body: BODY, concurrency, durationMs: 500 });
    round += 1;
    await load({ url: hubUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs: 500 });
    // Alternate so drift on a shared machine hits both alike.
    for (let i = 0; i < rounds; i += 1) {
      round += 1;
      results.bare.push(await withCpuPerRequest(bare.port, () => load({ url: bareUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs, maxRequests })));
      round += 1;
      results.floor.push(await withCpuPerRequest(floor.port, () => load({ url: floorUrl, method: 'POST', headers: signedForFloor, body: BODY, concurrency, durationMs, maxRequests })));
      round += 1;
      results.hub.push(await withCpuPerRequest(hub.port, () => load({ url: hubUrl, method: 'POST', headers: signed, body: BODY, concurrency, durationMs, maxRequests })));
    }
  } finally {
    await bare.stop();
    await floor.stop();
    await hub.stop();
  }
  const best = (rs: Measured[]) => rs.reduce((a, b) => (b.rps > a.rps ? b : a));
  const b = best(results.bare);
  const f = best(results.floor);
  const h = best(results.hub);
  // Every round counts (the per-round ratios below), so every round must have been answered 202 throughout.
  for (const r of results.hub) if (r.statuses[202] !== r.requests) throw new Error(`POST /v1/hooks answered ${JSON.stringify(r.statuses)}`);
  for (const r of results.floor) if (r.statuses[202] !== r.requests) throw new Error(`the floor answered ${JSON.stringify(r.statuses)}`);
  const ratio = h.rps / b.rps;
  const floorRatio = f.rps / b.rps;
  const leanest = (rs: Measured[]) => Math.min(...rs.map((r) => r.cpuMicrosPerRequest));
  const cpuBare = leanest(results.bare);
  const cpuHub = leanest(results.hub);
  const cpuFloor = leanest(results.floor);
  const cpuRatio = cpuBare / cpuHub;
  // A round runs the three one after another, within seconds, so a round's own ratio shares that round's conditions.
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const perRound = results.hub.map((r, i) => r.rps / results.bare[i]!.rps);
  const floorPerRound = results.floor.map((r, i) => r.rps / results.bare[i]!.rps);
  return {
    bare: b,
    ingest: h,
    floor: f,
    ratio,
    floorRatio,
    cpuRatio,
    lines: [
      `${concurrency} concurrent senders, ${Buffer.byteLength(BODY)}-byte bodies, keep-alive, loopback`,
      fmt('bare Hono POST route', b),
      fmt('floor: verify + one job', f),
      fmt('verified webhook ingest', h),
      `ratio ingest ÷ bare = ${ratio.toFixed(2)} (target ≥ 0.4); floor ÷ bare = ${floorRatio.toFixed(2)}; ingest ÷ floor = ${(h.rps / f.rps).toFixed(2)}`,
      `ratio per round, ingest ÷ bare: ${perRound.map((x) => x.toFixed(2)).join(', ')} (median ${median(perRound).toFixed(2)}); floor ÷ bare: ${floorPerRound.map((x) => x.toFixed(2)).join(', ')} (median ${median(floorPerRound).toFixed(2)})`,
      `server CPU per request: bare ${cpuBare.toFixed(1)} µs, floor ${cpuFloor.toFixed(1)} µs, ingest ${cpuHub.toFixed(1)} µs; ratio bare ÷ ingest = ${cpuRatio.toFixed(2)} (same target, steadier on a busy machine)`,
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  process.stdout.write(`Webhook ingest throughput\n${r.lines.join('\n')}\n`);
}
