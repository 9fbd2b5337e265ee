import { syncLinksCollection } from '../../core/sync/index.ts';
import type { TenantStore } from '../../core/store/index.ts';

/** Issue trackers whose comments answer probes, and the remote object their links point at. */
const ISSUE_OBJECTS = [{ connector: 'jira', remoteObject: 'issue' }] as const;

/** The Jira issue keys a milestone is linked to through sync. */
export async function linkedIssueKeys(db: TenantStore, milestoneId: string): Promise<string[]> {
  const links = await db
    .collection(syncLinksCollection)
    .find({ hubObject: 'milestone', hubId: milestoneId, remoteObject: { $in: ISSUE_OBJECTS.map((o) => o.remoteObject) }, remoteId: { $exists: true } }, { projection: { remoteId: 1, status: 1 } });
  return [...new Set(links.filter((l) => l.status !== 'deleted').map((l) => (l.remoteId as string).toUpperCase()))];
}

/** The milestones linked to an issue of a connection through sync. */
export async function milestonesOfIssue(db: TenantStore, connectionId: string, issueKey: string): Promise<string[]> {
  const links = await db
    .collection(syncLinksCollection)
    .find({ connectionId, hubObject: 'milestone', remoteObject: 'issue', remoteKey: { $in: [issueKey, issueKey.toUpperCase()] } }, { projection: { hubId: 1, status: 1 } });
  return [...new Set(links.filter((l) => l.status !== 'deleted').map((l) => l.hubId))];
}
