// The CPU time a benchmark target spends, read between load runs: on a busy shared machine the
// CPU time per request is steadier than requests per second, which also count time spent waiting
// for a core. Both targets of a comparison answer the probe the same way.

/** The path a target answers with its process CPU time, in microseconds, outside the app under test. */
export const CPU_PROBE_PATH = '/__bench/cpu';

type Fetch = (req: Request, ...rest: never[]) => Response | Promise<Response>;

/** Wraps a target's fetch so that {@link CPU_PROBE_PATH} answers `{ cpuMicros }`; everything else, server bindings included, passes through. */
export function withCpuProbe<F extends Fetch>(fetchFn: F): F {
  return ((req: Request, ...rest: never[]) => {
    if (req.method === 'GET' && req.url.endsWith(CPU_PROBE_PATH)) {
      const { user, system } = process.cpuUsage();
      return Response.json({ cpuMicros: user + system });
    }
    return fetchFn(req, ...rest);
  }) as F;
}

/** The target's CPU time so far, in microseconds. */
export async function readCpuMicros(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${CPU_PROBE_PATH}`);
  const body = (await res.json()) as { cpuMicros: number };
  return body.cpuMicros;
}

/** Runs `work` and returns its result with the target's CPU microseconds per request over it. */
export async function withCpuPerRequest<R extends { requests: number }>(port: number, work: () => Promise<R>): Promise<R & { cpuMicrosPerRequest: number }> {
  const before = await readCpuMicros(port);
  const result = await work();
  const after = await readCpuMicros(port);
  return { ...result, cpuMicrosPerRequest: result.requests > 0 ? (after - before) / result.requests : Number.NaN };
}
