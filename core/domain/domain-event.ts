import { newId } from '../store/index.ts';
import { plainJson } from './plain-json.ts';
import type { Actor } from './actor.ts';
import type { DomainContext } from './domain-context.ts';

/** The kinds of document that emit events. */
export type AggregateType = 'project' | 'milestone' | 'person' | 'verification' | 'dispute' | 'delegation' | 'invoice' | 'payment';

/**
 * A domain event as it sits in a document's `outbox` array and travels through the `outbox`
 * queue (job id = event id). `data` is plain JSON.
 */
export interface DomainEvent {
  id: string;
  type: string;
  at: Date;
  tenantId: string;
  aggregate: { type: AggregateType; id: string };
  actor: Actor;
  data: Record<string, unknown>;
}

/**
 * Builds an event for `ctx`'s tenant and actor, stamped with `ctx.now()`. Bulk writers may pass
 * ids made ahead (`orderedIds('evt', n)`) and, for data built without undefined members,
 * `jsonSafe` to skip the normalising copy.
 *
 * @example domainEvent(ctx, 'milestone.created', { type: 'milestone', id }, { title })
 */
export function domainEvent(
  ctx: DomainContext,
  type: string,
  aggregate: DomainEvent['aggregate'],
  data: Record<string, unknown> = {},
  options: { id?: string; jsonSafe?: boolean } = {},
): DomainEvent {
  // Events cross process boundaries as JSON; undefined members and Dates are normalised up front,
  // unless the caller built the data without undefined members (Dates serialise the same way).
  const body = options.jsonSafe ? data : plainJson(data);
  return { id: options.id ?? newId('evt'), type, at: ctx.now(), tenantId: ctx.db.tenantId, aggregate, actor: ctx.actor, data: body };
}
