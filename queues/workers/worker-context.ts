import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../../connectors/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { Vault } from '../../core/vault/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';
import type { HubQueues } from '../create-queues.ts';
import type { DomainEventHook } from '../domain-event-hook.ts';
import type { InboundMessageBus, NotifyWorkerOptions } from '../notify/index.ts';
import type { SyncEngine } from '../sync/index.ts';

/** What every queue processor may use; built once per process. */
export interface WorkerContext {
  store: Store;
  vault: Vault;
  queues: HubQueues;
  logger: Logger;
  now: () => Date;
  publicUrl: string;
  allowPrivateUrls: boolean;
  /** The inbound sync path's webhook handlers; without any, envelopes settle as ignored ("no handler"). */
  webhookHandlers?: readonly InboundWebhookHandler[];
  /** Followers of domain events, called by the `outbox` worker for each event (sync-out, notifications). */
  domainEvents?: readonly DomainEventHook[];
  /** The connectors sync may use; the shipped registry when absent. */
  connectors?: ConnectorRegistry;
  /** The process's sync engine (its hook and handler belong in `domainEvents` and `webhookHandlers`); built on first use when absent. */
  syncEngine?: SyncEngine;
  /** Listeners for people's inbound messages (probe replies); the notify webhook handler dispatches to them. */
  inboundMessages?: InboundMessageBus;
  /** Notify worker tuning (tests shorten waits); defaults otherwise. */
  notify?: NotifyWorkerOptions;
}
