import { Agent, request } from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

/**
 * Drives `concurrency` keep-alive clients against a loopback URL for `durationMs` (or until
 * `maxRequests`), and reports throughput and latency percentiles in milliseconds.
 */
export async function load(options: {
  url: string;
  method?: string;
  headers?: Record<string, string> | ((i: number) => Record<string, string>);
  body?: string | Buffer | ((i: number) => string | Buffer);
  concurrency: number;
  durationMs: number;
  maxRequests?: number;
}): Promise<LoadResult> {
  const { url, method = 'GET', concurrency, durationMs, maxRequests = Number.MAX_SAFE_INTEGER } = options;
  const u = new URL(url);
  if (u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') throw new Error('benchmarks only target loopback');
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  let issued = 0;
  const start = performance.now();
  const deadline = start + durationMs;

  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const body = typeof options.body === 'function' ? options.body(i) : options.body;
      const headers = typeof options.headers === 'function' ? options.headers(i) : (options.headers ?? {});
      const t0 = performance.now();
      const req = request(
        { agent, host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: { ...headers, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      if (body) req.write(body);
      req.end();
    });

  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline && issued < maxRequests) {
        issued += 1;
        await one(issued);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: pct(50), p99: pct(99), statuses };
}

/** One line of a figure table. */
export function fmt(label: string, r: LoadResult): string {
  return `${label.padEnd(28)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   (${r.requests} requests, ${r.errors} errors)`;
}
