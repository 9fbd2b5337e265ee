import type { DomainEvent } from '../core/domain/index.ts';

/**
 * Something that follows domain events (sync-out, notifications ...). It must be idempotent by
 * event id. Hooks see tenant events only, unless marked with {@link takingPlatformEvents}.
 */
export type DomainEventHook = ((event: DomainEvent) => Promise<void> | void) & {
  /** Also given the scheduled platform-wide events, which name no tenant (the invoicing sweep). */
  readonly takesPlatformEvents?: boolean;
};

/** Marks `hook` as one that also takes platform-wide events (no tenant); it must handle them itself. */
export function takingPlatformEvents(hook: (event: DomainEvent) => Promise<void> | void): DomainEventHook {
  return Object.assign(hook, { takesPlatformEvents: true });
}

/** Whether `event` is a platform-wide one, naming no tenant, which tenant-scoped hooks cannot take. */
export function isPlatformEvent(event: Pick<DomainEvent, 'tenantId'>): boolean {
  return typeof event.tenantId !== 'string' || event.tenantId === '';
}
