import type { RecipientRef } from './escalation-policy.ts';

/** Lookups that turn recipient refs into people; the caller builds it from the people directory. */
export interface RecipientDirectory {
  /** The milestone's primary owner. */
  ownerId?: string;
  managerOf(personId: string): string | undefined;
  peopleWithRole(role: string): readonly string[];
  /** The project's client contact. */
  clientContactId?: string;
}

/**
 * The person ids a level's refs name, without duplicates, in order. Refs that name nobody
 * (an owner without a manager, an empty role) are reported in `unresolved` so the caller can
 * warn instead of silently notifying fewer people.
 */
export function resolveRecipients(refs: readonly RecipientRef[], directory: RecipientDirectory): { personIds: string[]; unresolved: RecipientRef[] } {
  const personIds: string[] = [];
  const unresolved: RecipientRef[] = [];
  const add = (id: string | undefined): boolean => {
    if (id === undefined) return false;
    if (!personIds.includes(id)) personIds.push(id);
    return true;
  };
  for (const ref of refs) {
    let found = false;
    if (ref.startsWith('owner')) {
      let id = directory.ownerId;
      const hops = ref.split('.').length - 1;
      for (let i = 0; i < hops && id !== undefined; i += 1) id = directory.managerOf(id);
      found = add(id);
    } else if (ref.startsWith('person:')) {
      found = add(ref.slice('person:'.length));
    } else if (ref.startsWith('role:')) {
      const people = directory.peopleWithRole(ref.slice('role:'.length));
      for (const id of people) add(id);
      found = people.length > 0;
    } else if (ref === 'client.contact') {
      found = add(directory.clientContactId);
    }
    if (!found) unresolved.push(ref);
  }
  return { personIds, unresolved };
}
