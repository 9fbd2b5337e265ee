import type { ConnectorFetch, OutboundAgents } from './create-outbound-http.ts';

/** The logging a connector may do: pino's shape. Never pass credentials, tokens or headers. */
export interface ConnectorLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * What a connector gets for each piece of work: the connection's validated config and decrypted
 * credentials, and the only ways it may reach the outside world.
 */
export interface ConnectorContext<C = unknown, K = unknown> {
  /** The connection being served; absent for a connection not saved yet. */
  readonly connectionId: string | undefined;
  readonly tenantId: string | undefined;
  readonly config: C;
  /** The current credentials; `saveCredentials` replaces them here too. */
  readonly credentials: K;
  /** Guarded against private and internal addresses unless the hub allows them. */
  readonly fetch: ConnectorFetch;
  /** The same guard as Node agents, for vendor libraries that take an agent. */
  readonly agents: OutboundAgents | undefined;
  readonly logger: ConnectorLogger;
  now(): Date;
  /**
   * Stores refreshed credentials (a new OAuth access or refresh token) encrypted on the connection.
   * Some callers (preview) keep them for this context only, so a connector must not depend on
   * the write.
   */
  saveCredentials(updated: K): Promise<void>;
  /** Aborted when the work is cancelled (shutdown, request closed); pass it to every call. */
  readonly signal: AbortSignal;
}
