import type { TenantStore } from '../store/index.ts';
import type { Actor } from './actor.ts';

/**
 * What every domain write needs: the tenant's store, the clock, who is acting and the tenant's
 * time zone. Routes, connectors, probes and replies each build one, so every channel applies
 * changes through the same service functions.
 *
 * @example
 * const ctx: DomainContext = { db: store.forTenant(tenantId), now: () => new Date(), actor: { kind: 'connection', id: 'con_1', channel: 'jira' } };
 * await updateMilestone(ctx, id, { percentComplete: 60 });
 */
export interface DomainContext {
  db: TenantStore;
  now: () => Date;
  actor: Actor;
  /** IANA zone the tenant works in; "today" and "overdue" are read there. @default 'Asia/Kolkata' */
  timeZone?: string;
}
