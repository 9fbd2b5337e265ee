import { DuplicateKeyError } from '../store/index.ts';
import type { Collection, Filter, NewDoc, Update } from '../store/index.ts';
import { failWith, succeed, type DomainResult } from './domain-error.ts';
import type { RevisionedDoc } from './revisioned-write.ts';

/**
 * Creates the one document `filter` finds, at revision 1, or replaces it, moving its revision on
 * by one; the document as stored afterwards is the result. With `expectedVersion` the stored
 * revision (0 while there is none) must match. A concurrent first write (a unique-index clash) or
 * change in between is a `version_conflict`, never a retry: the caller saves a whole document
 * and must see what it would overwrite. Documents are deleted outright, not soft-deleted.
 *
 * @example
 * revisionedUpsert({
 *   collection: db.collection(probePoliciesCollection),
 *   filter: {},
 *   expectedVersion,
 *   create: () => ({ policy }),
 *   replace: () => ({ $set: { policy } }),
 *   subject: 'The probe policy',
 *   createdVerb: 'saved',
 * });
 */
export async function revisionedUpsert<T extends RevisionedDoc>(input: {
  collection: Collection<T>;
  filter: Filter;
  expectedVersion?: number | undefined;
  /** The new document, without `revision`. */
  create: () => Omit<NewDoc<T>, 'revision'>;
  /** The update for the stored document; `revision` is incremented on top of it. */
  replace: (current: T) => Update;
  /** Opens every conflict message, e.g. `The probe policy` or `This policy`. */
  subject: string;
  /** How a concurrent first write is told: `… was <createdVerb> meanwhile`. */
  createdVerb: string;
}): Promise<DomainResult<T>> {
  const { collection, subject } = input;
  const current = await collection.findOne(input.filter);
  const currentVersion = current?.revision ?? 0;
  if (input.expectedVersion !== undefined && input.expectedVersion !== currentVersion) {
    return failWith({ code: 'version_conflict', message: `${subject} is now at version ${currentVersion}; reload it and retry`, currentVersion });
  }
  if (!current) {
    try {
      // `revision` is the one field `create` leaves out, so this is a whole NewDoc<T>.
      return succeed(await collection.insert({ ...input.create(), revision: 1 } as unknown as NewDoc<T>));
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      return failWith({ code: 'version_conflict', message: `${subject} was ${input.createdVerb} meanwhile; reload it and retry`, currentVersion: 1 });
    }
  }
  const update = input.replace(current);
  const after = await collection.updateOne({ _id: current._id, revision: current.revision }, { ...update, $inc: { ...(update.$inc ?? {}), revision: 1 } });
  if (!after) return failWith({ code: 'version_conflict', message: `${subject} changed meanwhile; reload it and retry`, currentVersion: currentVersion + 1 });
  return succeed(after);
}
