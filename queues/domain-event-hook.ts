import type { DomainEvent } from '../core/domain/index.ts';

/** Something that follows domain events (sync-out, notifications ...). It must be idempotent by event id. */
export type DomainEventHook = (event: DomainEvent) => Promise<void> | void;
