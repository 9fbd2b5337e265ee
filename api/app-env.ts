import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Store, TenantStore } from '../core/store/index.ts';
import type { ApiKeyDoc, Role, TenantDoc } from '../core/tenancy/index.ts';
import type { Vault } from '../core/vault/index.ts';
import type { HubConfig } from './config/index.ts';

/** A dependency `/ready` checks. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

/** Everything handlers may use, built once by whoever starts the process and passed to createApp. */
export interface Services {
  config: HubConfig;
  store: Store;
  vault: Vault;
  logger: Logger;
  metrics: Registry;
  readiness: ReadinessCheck[];
  now: () => Date;
}

export interface AuthContext {
  tenant: TenantDoc;
  key: ApiKeyDoc;
  role: Role;
}

/** The Hono environment shared by every route. */
export interface AppEnv {
  Variables: {
    requestId: string;
    services: Services;
    /** Set by requireAuth. */
    auth: AuthContext;
    /** The tenant's store, set by requireAuth: every query through it is confined to the tenant. */
    db: TenantStore;
    /** The matched route pattern, for logs and metrics. */
    routePattern?: string;
  };
}
