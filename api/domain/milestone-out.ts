import type { Context } from 'hono';
import { dateInZone } from '../../core/domain/index.ts';
import { contractValuesOf, getMilestone, milestoneView, type MilestoneDoc, type MilestoneView } from '../../core/milestones/index.ts';
import type { AppEnv } from '../app-env.ts';
import { ApiError } from '../errors/index.ts';
import { jsonOut, type Jsonified } from './json-out.ts';

/** The caller's "today" in the tenant's zone. */
export function tenantToday(c: Context<AppEnv>): string {
  return dateInZone(c.get('services').now(), c.get('auth').tenant.timeZone);
}

/** Milestones as the API shows them, with payment values from their projects' contract values. */
export async function milestonesOut(c: Context<AppEnv>, docs: readonly MilestoneDoc[], values?: ReadonlyMap<string, number>): Promise<Jsonified<MilestoneView>[]> {
  const contract = values ?? (await contractValuesOf(c.get('db'), docs));
  const today = tenantToday(c);
  return docs.map((d) => jsonOut(milestoneView(d, { today, contractValue: contract.get(d.projectId) })));
}

/** One milestone as the API shows it. */
export async function milestoneOut(c: Context<AppEnv>, doc: MilestoneDoc): Promise<Jsonified<MilestoneView>> {
  return (await milestonesOut(c, [doc]))[0]!;
}

/** A milestone the caller may see, or a 404 as if it did not exist. */
export async function visibleMilestone(c: Context<AppEnv>, id: string): Promise<MilestoneDoc> {
  const doc = await getMilestone(c.get('db'), id, { role: c.get('auth').role });
  if (!doc) throw new ApiError('not_found', { detail: 'No such milestone' });
  return doc;
}
