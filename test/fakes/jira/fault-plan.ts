export interface FaultSpec {
  status: number;
  /** Seconds; sent as `Retry-After`, and for 429 also as `X-RateLimit-Reset`. */
  retryAfter?: number;
  /** How many matching requests fail. @default 1 */
  count?: number;
  /** A path prefix (`/rest/api/2/issue`) or a pattern; without it any request matches. */
  path?: string | RegExp;
  method?: string;
  /** Replaces the default Jira-shaped error body. */
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * Let the request take effect, then answer with the failure: the "created, but the response was
   * lost" case a connector must survive without creating a duplicate.
   */
  afterCommit?: boolean;
  /** Close the socket instead of answering. */
  dropConnection?: boolean;
  /** `RateLimit-Reason` for 429s. @default 'jira-burst-based' */
  rateLimitReason?: string;
}

interface PendingFault {
  spec: FaultSpec;
  remaining: number;
}

export interface FaultResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
  dropConnection: boolean;
}

function defaultBody(status: number): unknown {
  switch (status) {
    case 429:
      return { errorMessages: ['Rate limit exceeded.'], errors: {} };
    case 500:
      return { errorMessages: ['Internal server error'], errors: {} };
    case 503:
      return { errorMessages: ['Service Unavailable'], errors: {} };
    default:
      return { errorMessages: [`Request failed with status ${status}`], errors: {} };
  }
}

function isoMinute(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16)}Z`;
}

/** Queued failures that the next matching requests receive instead of the real answer. */
export class FaultPlan {
  private readonly pending: PendingFault[] = [];

  add(spec: FaultSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) throw new RangeError(`failNext: invalid status ${spec.status}`);
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`failNext: count must be a positive integer, got ${count}`);
    this.pending.push({ spec, remaining: count });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** Consumes one failure for this request and phase, if any is queued. */
  take(method: string, paths: string[], phase: 'before' | 'after', now: number): FaultResponse | undefined {
    const index = this.pending.findIndex(({ spec }) => {
      if ((spec.afterCommit ?? false) !== (phase === 'after')) return false;
      if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
      if (spec.path === undefined) return true;
      const pattern = spec.path;
      return paths.some((path) => (typeof pattern === 'string' ? path === pattern || path.startsWith(pattern) : pattern.test(path)));
    });
    if (index < 0) return undefined;
    const fault = this.pending[index]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.pending.splice(index, 1);

    const { spec } = fault;
    const headers: Record<string, string> = {};
    if (spec.retryAfter !== undefined) headers['Retry-After'] = String(spec.retryAfter);
    if (spec.status === 429) {
      headers['X-RateLimit-Limit'] = '100';
      headers['X-RateLimit-Remaining'] = '0';
      headers['RateLimit-Reason'] = spec.rateLimitReason ?? 'jira-burst-based';
      if (spec.retryAfter !== undefined) headers['X-RateLimit-Reset'] = isoMinute(now + spec.retryAfter * 1000);
    }
    Object.assign(headers, spec.headers);
    return { status: spec.status, body: spec.body ?? defaultBody(spec.status), headers, dropConnection: spec.dropConnection ?? false };
  }
}
