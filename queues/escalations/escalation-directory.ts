import type { RecipientDirectory } from '../../core/escalations/index.ts';
import type { MilestoneDoc } from '../../core/milestones/index.ts';
import { effectiveOwners } from '../../core/ownership/index.ts';
import { peopleCollection } from '../../core/people/index.ts';
import type { PersonDoc } from '../../core/people/index.ts';
import { projectsCollection } from '../../core/projects/index.ts';
import type { ClientContact, ProjectDoc } from '../../core/projects/index.ts';
import type { TenantStore } from '../../core/store/index.ts';
import { apiKeysCollection } from '../../core/tenancy/index.ts';

type Person = Pick<PersonDoc, '_id' | 'name' | 'managerId' | 'apiKeyIds' | 'team' | 'locale'>;

/** What a notice needs to know about its milestone. */
export type NoticeMilestone = Pick<MilestoneDoc, '_id' | 'projectId' | 'title' | 'owners' | 'dueDate'>;

/** The people, key roles and projects of one tenant, read once per sweep and only when a notice goes out. */
export interface TenantDirectory {
  person(id: string): Promise<Person | undefined>;
  project(id: string): Promise<Pick<ProjectDoc, '_id' | 'name' | 'client'> | undefined>;
  /** The recipient lookups for one milestone, and the client contacts `client:<project>:<n>` ids stand for. */
  forMilestone(milestone: NoticeMilestone, at: Date): Promise<{ directory: RecipientDirectory; contacts: Map<string, ClientContact> }>;
}

/**
 * Builds the recipient directory escalation levels resolve against: `owner` is the milestone's
 * primary individual owner as things stand (delegations followed), `owner.manager` follows
 * people's `managerId`, `role:<name>` names the people whose API key has that role or whose team
 * is `<name>`, and `client.contact` is the project's first client contact (with an address).
 */
export function tenantDirectory(db: TenantStore): TenantDirectory {
  // Promises, so concurrent notices share one read.
  let people: Promise<Map<string, Person>> | undefined;
  let roles: Promise<Map<string, string[]>> | undefined;
  const projects = new Map<string, Promise<Pick<ProjectDoc, '_id' | 'name' | 'client'> | undefined>>();

  const loadPeople = (): Promise<Map<string, Person>> =>
    (people ??= db
      .collection(peopleCollection)
      .find({ deletedAt: { $exists: false } }, { projection: { _id: 1, name: 1, managerId: 1, apiKeyIds: 1, team: 1, locale: 1 } })
      .then((list) => new Map(list.map((p) => [p._id, p]))));
  const loadRoles = (): Promise<Map<string, string[]>> =>
    (roles ??= (async () => {
      const keyRole = new Map((await db.collection(apiKeysCollection).find({ revokedAt: { $exists: false } }, { projection: { _id: 1, role: 1 } })).map((k) => [k._id, k.role as string]));
      const byRole = new Map<string, string[]>();
      for (const p of (await loadPeople()).values()) {
        const names = new Set<string>([...(p.apiKeyIds ?? []).map((k) => keyRole.get(k)).filter((r): r is string => r !== undefined), ...(p.team ? [p.team] : [])]);
        for (const name of names) byRole.set(name, [...(byRole.get(name) ?? []), p._id]);
      }
      return byRole;
    })());

  return {
    async person(id) {
      return (await loadPeople()).get(id);
    },
    async project(id) {
      let found = projects.get(id);
      if (!found) projects.set(id, (found = db.collection(projectsCollection).findOne({ _id: id }, { projection: { _id: 1, name: 1, client: 1 } }).then((p) => p ?? undefined)));
      return found;
    },
    async forMilestone(milestone, at) {
      const everyone = await loadPeople();
      const byRole = await loadRoles();
      const owners = await effectiveOwners(db, { _id: milestone._id, owners: milestone.owners ?? [] }, at);
      const owner = owners.find((o) => o.kind === 'individual' && o.role === 'primary') ?? owners.find((o) => o.kind === 'individual');
      const project = await this.project(milestone.projectId);
      const contacts = new Map<string, ClientContact>();
      const contact = project?.client?.contacts?.findIndex((c) => Boolean(c.email || c.phone || c.whatsapp)) ?? -1;
      if (project && contact >= 0) contacts.set(`client:${project._id}:${contact}`, project.client.contacts[contact]!);
      const directory: RecipientDirectory = {
        ...(owner ? { ownerId: owner.ref } : {}),
        managerOf: (id) => everyone.get(id)?.managerId,
        peopleWithRole: (role) => byRole.get(role) ?? [],
        ...(contacts.size > 0 ? { clientContactId: [...contacts.keys()][0]! } : {}),
      };
      return { directory, contacts };
    },
  };
}
