import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ConnectorRegistry } from '../connectors/index.ts';
import type { WhatsAppWebSessions } from '../connectors/whatsapp-web/index.ts';
import type { Store, TenantStore } from '../core/store/index.ts';
import type { ApiKeyDoc, AuthCache, Role, TenantDoc } from '../core/tenancy/index.ts';
import type { Vault } from '../core/vault/index.ts';
import type { HubQueues } from '../queues/index.ts';
import type { WhatsAppWebLinks } from '../queues/notify/index.ts';
import type { WebhookIntake } from '../webhooks/index.ts';
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
  /** The BullMQ queues; without them nothing can be enqueued and webhooks answer 503. */
  queues?: HubQueues;
  /** The connectors offered; the shipped registry when absent (tests pass stand-ins). */
  connectors?: ConnectorRegistry;
  /** The webhook pipeline; built from the other services on first use when absent. */
  webhookIntake?: WebhookIntake;
  /** The WhatsApp Web sessions this process runs (QR login); absent in an API-only process. */
  whatsappWeb?: WhatsAppWebSessions;
  /** In a process without `whatsappWeb`: the links of the process that runs the sessions, reached over Redis. */
  whatsappWebLinks?: WhatsAppWebLinks;
  /** Resolved API keys; one over `store` alone (no other process's writes heard) when absent. */
  authCache?: AuthCache;
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
