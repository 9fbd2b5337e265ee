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

/**
 * A scheduled platform-wide event: one that names no tenant and says so (`platform: true`), which
 * tenant-scoped hooks cannot take. An event that merely lacks its tenant is not one: every hook
 * gets it, and a tenant-scoped one fails it visibly.
 */
export type PlatformEvent = DomainEvent & { platform: true };

/** Whether `event` is a {@link PlatformEvent}. */
export function isPlatformEvent(event: DomainEvent): event is PlatformEvent {
  return (event as Partial<PlatformEvent>).platform === true && event.tenantId === '';
}
