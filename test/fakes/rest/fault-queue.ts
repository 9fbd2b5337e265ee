/** A failure to answer with instead of the real handler. */
export interface FaultSpec {
  status: number;
  /** Sent as the Retry-After header. */
  retryAfter?: string;
  body?: unknown;
  /** How many requests fail. @default 1 */
  times?: number;
  /** Only requests whose path starts with this fail. @default every API path */
  pathPrefix?: string;
}

/** Failures queued by tests, consumed in order by matching requests. */
export class FaultQueue {
  private readonly faults: Array<FaultSpec & { left: number }> = [];

  add(spec: FaultSpec): void {
    this.faults.push({ ...spec, left: spec.times ?? 1 });
  }

  take(path: string): FaultSpec | undefined {
    const i = this.faults.findIndex((f) => f.pathPrefix === undefined || path.startsWith(f.pathPrefix));
    if (i === -1) return undefined;
    const fault = this.faults[i]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(i, 1);
    return fault;
  }
}
