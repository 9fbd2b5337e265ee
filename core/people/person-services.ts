import { fieldDiff } from '../audit/index.ts';
import { AUDIT_IGNORED_FIELDS, linkPendingAudit, pendingAudit, withoutPendingAudit } from '../audit-log/index.ts';
import {
  decodeAfterCursor,
  domainEvent,
  encodeAfterCursor,
  failWith,
  invalid,
  issuesFromZod,
  revisionedWrite,
  succeed,
  type DomainContext,
  type DomainResult,
} from '../domain/index.ts';
import { newId, type Filter, type TenantStore, type Update } from '../store/index.ts';
import { checkPerson } from './check-person.ts';
import { peopleCollection, type PersonDoc } from './collections.ts';
import { personInputSchema, personPatchSchema } from './person-schema.ts';
import { personView } from './person-view.ts';

/**
 * Adds a person; emits `person.created`.
 *
 * @example await createPerson(ctx, { name: 'Asha Rao', whatsapp: '+91 98765 43210', channels: ['whatsapp'] })
 */
export async function createPerson(ctx: DomainContext, input: unknown): Promise<DomainResult<PersonDoc>> {
  const parsed = personInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const id = newId('per');
  const checked = await checkPerson(ctx.db, { _id: id, ...parsed.data, channels: parsed.data.channels ?? [], apiKeyIds: parsed.data.apiKeyIds ?? [] });
  if (checked.issues.length > 0) return invalid(checked.issues);
  const draft = { ...checked.value, revision: 1 };
  const now = ctx.now();
  const event = domainEvent(ctx, 'person.created', { type: 'person', id }, { person: personView({ ...draft, version: 1, createdAt: now, updatedAt: now, outbox: [] }) });
  const audit = pendingAudit(ctx, { action: 'person.created', aggregate: { type: 'person', id }, before: null, after: draft as unknown as Record<string, unknown> });
  const stored = await ctx.db.collection(peopleCollection).insert({ ...draft, outbox: [event], auditOutbox: [audit] });
  await linkPendingAudit(ctx, peopleCollection, [stored]);
  return succeed(withoutPendingAudit(stored));
}

/** Changes a person; `null` clears a field. Emits `person.updated` with the changed fields. */
export async function updatePerson(
  ctx: DomainContext,
  id: string,
  patch: unknown,
  options: { expectedVersion?: number | undefined } = {},
): Promise<DomainResult<PersonDoc>> {
  const parsed = personPatchSchema.safeParse(patch);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { version, ...fields } = parsed.data;
  const written = await revisionedWrite({
    collection: ctx.db.collection(peopleCollection),
    id,
    what: 'person',
    expectedVersion: options.expectedVersion ?? version,
    plan: async (doc) => {
      const merged: Record<string, unknown> = { ...doc };
      for (const [key, value] of Object.entries(fields)) {
        if (value === null) delete merged[key];
        else if (value !== undefined) merged[key] = value;
      }
      const checked = await checkPerson(ctx.db, merged as unknown as PersonDoc);
      if (checked.issues.length > 0) return invalid(checked.issues);
      const next = checked.value as unknown as Record<string, unknown>;
      const changes = fieldDiff(doc as unknown as Record<string, unknown>, next, { ignore: AUDIT_IGNORED_FIELDS });
      if (changes.length === 0) return succeed({ update: null });
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, true> = {};
      for (const key of new Set(changes.map((c) => c.path.split('.')[0]!))) {
        if (next[key] === undefined) $unset[key] = true;
        else $set[key] = next[key];
      }
      const aggregate = { type: 'person' as const, id };
      const audit = pendingAudit(ctx, { action: 'person.updated', aggregate, before: doc as unknown as Record<string, unknown>, after: next });
      const update: Update = { $set, $push: { outbox: domainEvent(ctx, 'person.updated', aggregate, { changes, version: doc.revision + 1 }), auditOutbox: audit } };
      if (Object.keys($unset).length > 0) update.$unset = $unset;
      return succeed({ update });
    },
  });
  if (!written.ok) return failWith(written.error);
  if (written.value.changed) await linkPendingAudit(ctx, peopleCollection, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}

/** Removes a person (kept for history, gone from lists and lookups); emits `person.deleted`. */
export async function deletePerson(ctx: DomainContext, id: string, options: { expectedVersion?: number | undefined } = {}): Promise<DomainResult<PersonDoc>> {
  const written = await revisionedWrite({
    collection: ctx.db.collection(peopleCollection),
    id,
    what: 'person',
    expectedVersion: options.expectedVersion,
    plan: async (doc) => {
      const deletedAt = ctx.now();
      const aggregate = { type: 'person' as const, id };
      const audit = pendingAudit(ctx, { action: 'person.deleted', aggregate, before: doc as unknown as Record<string, unknown>, after: { ...doc, deletedAt } });
      return succeed({ update: { $set: { deletedAt }, $push: { outbox: domainEvent(ctx, 'person.deleted', aggregate, { version: doc.revision + 1 }), auditOutbox: audit } } });
    },
  });
  if (!written.ok) return failWith(written.error);
  await linkPendingAudit(ctx, peopleCollection, [written.value.after]);
  return succeed(withoutPendingAudit(written.value.after));
}

/** A live person, or null. */
export async function getPerson(db: TenantStore, id: string): Promise<PersonDoc | null> {
  return db.collection(peopleCollection).findOne({ _id: id, deletedAt: { $exists: false } });
}

/** Live people by creation, a page at a time, optionally of one team, department or manager. */
export async function listPeople(
  db: TenantStore,
  options: { team?: string; department?: string; managerId?: string; limit?: number; cursor?: string | null | undefined } = {},
): Promise<{ items: PersonDoc[]; nextCursor: string | null }> {
  const limit = Math.max(1, Math.min(options.limit ?? 50, 500));
  const filter: Filter = { deletedAt: { $exists: false } };
  if (options.team) filter.team = options.team;
  if (options.department) filter.department = options.department;
  if (options.managerId) filter.managerId = options.managerId;
  if (options.cursor) filter._id = { $gt: decodeAfterCursor(options.cursor, 'string') };
  const rows = await db.collection(peopleCollection).find(filter, { sort: { _id: 1 }, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeAfterCursor(last._id) : null };
}

/** The live people among `ids`, by id. */
export async function findPeople(db: TenantStore, ids: readonly string[]): Promise<Map<string, PersonDoc>> {
  if (ids.length === 0) return new Map();
  const rows = await db.collection(peopleCollection).find({ _id: { $in: [...new Set(ids)] }, deletedAt: { $exists: false } });
  return new Map(rows.map((p) => [p._id, p]));
}

/** The live people an API key acts as. */
export async function peopleForApiKey(db: TenantStore, keyId: string): Promise<PersonDoc[]> {
  return db.collection(peopleCollection).find({ apiKeyIds: keyId, deletedAt: { $exists: false } });
}
