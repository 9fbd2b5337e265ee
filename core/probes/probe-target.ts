import type { DomainError } from '../domain/index.ts';
import { getMilestone } from '../milestones/index.ts';
import type { MilestoneDoc } from '../milestones/index.ts';
import { effectiveOwners } from '../ownership/index.ts';
import { getPerson } from '../people/index.ts';
import type { PersonDoc } from '../people/index.ts';
import type { TenantStore } from '../store/index.ts';
import { isClosedCategory } from '../workflow/index.ts';

/** A milestone that can be probed and the person to ask. */
export interface ProbeTarget {
  milestone: MilestoneDoc;
  person: PersonDoc;
}

/** Why a milestone cannot be probed. */
export type ProbeTargetError =
  | { code: 'not_found'; message: string }
  | { code: 'milestone_closed'; message: string }
  | { code: 'no_owner'; message: string };

/**
 * The milestone and its primary owner as things stand (a delegate while a delegation runs).
 * Closed milestones (done or cancelled) are not probed, and a milestone without an individual
 * primary owner has nobody to ask.
 */
export async function probeTarget(db: TenantStore, milestoneId: string, at: Date, options: { role?: string | undefined } = {}): Promise<{ ok: true; value: ProbeTarget } | { ok: false; error: ProbeTargetError }> {
  const milestone = await getMilestone(db, milestoneId, options);
  if (!milestone) return { ok: false, error: { code: 'not_found', message: 'No such milestone' } };
  if (isClosedCategory(milestone.statusCategory)) {
    return { ok: false, error: { code: 'milestone_closed', message: `the milestone is ${milestone.status}: closed milestones are not probed` } };
  }
  const owners = await effectiveOwners(db, milestone, at);
  const primary = owners.find((o) => o.kind === 'individual' && o.role === 'primary') ?? owners.find((o) => o.kind === 'individual');
  if (!primary) return { ok: false, error: { code: 'no_owner', message: 'the milestone has no individual owner to ask' } };
  const person = await getPerson(db, primary.ref);
  if (!person) return { ok: false, error: { code: 'no_owner', message: `the owner ${primary.ref} is not a known person` } };
  return { ok: true, value: { milestone, person } };
}

/** The domain error for a {@link ProbeTargetError}: 404, or a 409/422 refusal. */
export function probeTargetProblem(error: ProbeTargetError): DomainError {
  if (error.code === 'not_found') return { code: 'not_found', message: error.message };
  return { code: 'refused', reason: error.code, status: error.code === 'milestone_closed' ? 409 : 422, message: error.message };
}
