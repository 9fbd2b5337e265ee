/** One injected failure: answered instead of the real handler for the next matching request(s). */
export interface FailureSpec {
  status: number;
  /** Seconds, or an HTTP date; sent as `Retry-After`. */
  retryAfter?: number | string;
  /** Defaults to the vendor's own error body for the status. */
  body?: unknown;
  /** How many matching requests fail; default 1. */
  count?: number;
  /** Matches when the request path contains this text, or matches this pattern. Default: any request. */
  path?: string | RegExp;
  /** Matches only this HTTP method. Default: any. */
  method?: string;
}

interface Pending {
  spec: FailureSpec;
  remaining: number;
}

/** Queue of injected failures, consumed in the order they were added. */
export class FailureInjector {
  readonly #pending: Pending[] = [];

  add(spec: FailureSpec): void {
    const count = spec.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext: count must be a positive integer, got ${count}`);
    if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
      throw new Error(`failNext: status must be an HTTP status, got ${spec.status}`);
    }
    this.#pending.push({ spec, remaining: count });
  }

  take(method: string, path: string): FailureSpec | undefined {
    const index = this.#pending.findIndex(({ spec }) => {
      if (spec.method && spec.method.toUpperCase() !== method.toUpperCase()) return false;
      if (spec.path === undefined) return true;
      return typeof spec.path === 'string' ? path.includes(spec.path) : spec.path.test(path);
    });
    const entry = this.#pending[index];
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining === 0) this.#pending.splice(index, 1);
    return entry.spec;
  }

  clear(): void {
    this.#pending.length = 0;
  }
}
