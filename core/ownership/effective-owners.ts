import type { MilestoneDoc, Owner } from '../milestones/index.ts';
import type { TenantStore } from '../store/index.ts';
import type { DelegationDoc } from './collections.ts';
import { activeDelegations } from './delegations.ts';

/** An owner as things stand: the delegate while a delegation runs, with whom they stand in for. */
export interface EffectiveOwner extends Owner {
  /** The person who delegated, when `ref` is a delegate. */
  delegatedFrom?: string;
  delegationId?: string;
  until?: Date;
}

/** Longest chain of delegations followed (A to B, B on leave to C ...). */
const MAX_HOPS = 5;

/**
 * Who owns a milestone at `at`: each individual owner replaced by their delegate while a
 * delegation of this milestone, or of everything they own, is in force (the milestone's own
 * delegation wins). Delegates who are themselves away pass it on, up to five hops.
 *
 * @example await effectiveOwners(db, milestone, new Date()) // [{ kind: 'individual', ref: 'per_b', role: 'primary', delegatedFrom: 'per_a', ... }]
 */
export async function effectiveOwners(db: TenantStore, milestone: Pick<MilestoneDoc, '_id' | 'owners'>, at: Date): Promise<EffectiveOwner[]> {
  const owners = milestone.owners ?? [];
  const out: EffectiveOwner[] = [];
  let known: DelegationDoc[] | undefined;
  for (const owner of owners) {
    if (owner.kind !== 'individual') {
      out.push({ ...owner });
      continue;
    }
    let ref = owner.ref;
    let via: DelegationDoc | undefined;
    const seen = new Set([ref]);
    for (let hop = 0; hop < MAX_HOPS; hop += 1) {
      known ??= [];
      let found = pick(known.filter((d) => d.fromPersonId === ref), milestone._id);
      if (!found) {
        const fetched = await activeDelegations(db, [ref], at);
        known.push(...fetched);
        found = pick(fetched, milestone._id);
      }
      if (!found || seen.has(found.toPersonId)) break;
      via = found;
      ref = found.toPersonId;
      seen.add(ref);
    }
    out.push(via ? { ...owner, ref, delegatedFrom: owner.ref, delegationId: via._id, until: via.end } : { ...owner });
  }
  return out;
}

function pick(delegations: readonly DelegationDoc[], milestoneId: string): DelegationDoc | undefined {
  return delegations.find((d) => d.milestoneId === milestoneId) ?? delegations.find((d) => d.milestoneId === undefined);
}
