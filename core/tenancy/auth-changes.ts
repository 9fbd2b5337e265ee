/** A write to API keys or tenants, as processes sharing one store tell each other about it. */
export interface AuthChange {
  collection: 'api_keys' | 'tenants';
  /** The documents written; null when not known (every document of the collection may have changed). */
  ids: readonly string[] | null;
  /** The tenant whose keys were written. */
  tenantId?: string;
}

/**
 * How the processes sharing one store hear each other's writes to API keys and tenants, so each
 * can drop what it resolved before them (in production: Redis pub/sub, see the api layer).
 */
export interface AuthChangeChannel {
  /** True only while other processes' changes are being heard; a cache must not answer otherwise. */
  readonly live: boolean;
  /** Tells the other processes about a change this process made. Never throws. */
  publish(change: AuthChange): void;
  /**
   * `onChange` gets every change another process published; `onReset` is called whenever hearing
   * stops or starts again, since changes may have been missed in between. Returns the unsubscriber.
   */
  listen(handlers: { onChange(change: AuthChange): void; onReset(): void }): () => void;
}
