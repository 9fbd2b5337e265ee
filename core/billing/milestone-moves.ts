import type { DomainContext } from '../domain/index.ts';
import { transitionMilestone } from '../milestones/index.ts';

/** The hub itself, acting for billing: system-only workflow moves (invoicing) are its to make. */
export function billingActor(ctx: DomainContext): DomainContext {
  return { ...ctx, actor: { kind: 'system', id: 'billing', channel: ctx.actor.channel ?? 'billing' } };
}

/**
 * Moves a milestone along its workflow's billing transitions, by event: `invoice` once it is
 * invoiced in full, `pay` once its invoices are settled. A workflow without such a move from the
 * milestone's state (or one that refuses it) leaves the milestone as it is.
 */
export async function moveMilestone(ctx: DomainContext, milestoneId: string, event: 'invoice' | 'pay'): Promise<boolean> {
  const moved = await transitionMilestone(billingActor(ctx), milestoneId, { event, reason: event === 'invoice' ? 'invoice raised' : 'invoice settled' }, { approved: true });
  return moved.ok;
}
