/**
 * Intuit's `requestid` query parameter: a write repeated with the same id gets the original
 * response back and changes nothing. Keys are per company.
 */
export interface CachedResponse {
  status: number;
  body: string;
  contentType: string;
}

export class IdempotencyCache {
  readonly #responses = new Map<string, CachedResponse>();
  hits = 0;

  get(realmId: string, requestId: string): CachedResponse | undefined {
    const cached = this.#responses.get(`${realmId}\u0000${requestId}`);
    if (cached) this.hits++;
    return cached;
  }

  set(realmId: string, requestId: string, response: CachedResponse): void {
    this.#responses.set(`${realmId}\u0000${requestId}`, response);
  }
}
