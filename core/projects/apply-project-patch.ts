import { fieldDiff } from '../audit/index.ts';
import { recordChanges } from '../audit-log/index.ts';
import {
  domainEvent,
  failWith,
  invalid,
  issuesFromZod,
  revisionedWrite,
  succeed,
  type DomainContext,
  type DomainResult,
  type FieldIssue,
} from '../domain/index.ts';
import type { Update } from '../store/index.ts';
import { checkProjectFields } from './check-project-fields.ts';
import { projectsCollection, type ProjectDoc } from './collections.ts';
import { projectPatchSchema } from './project-schema.ts';

const AUDIT_IGNORE = ['version', 'updatedAt', 'outbox', 'revision', '_id', 'tenantId', 'createdAt'];

/**
 * Applies a partial change to a project: the building block of `updateProject` in
 * core/milestones, which adds the check that milestone payments still fit a new contract value
 * through `check`. Emits `project.updated` (or `project.archived` / `project.restored`) with the
 * changed fields, in the same write.
 */
export async function applyProjectPatch(
  ctx: DomainContext,
  id: string,
  patch: unknown,
  options: {
    expectedVersion?: number | undefined;
    check?: (before: ProjectDoc, after: ProjectDoc) => Promise<FieldIssue[]>;
  } = {},
): Promise<DomainResult<ProjectDoc>> {
  const parsed = projectPatchSchema.safeParse(patch);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const { version, status, ...fields } = parsed.data;
  const expectedVersion = options.expectedVersion ?? version;
  const written = await revisionedWrite({
    collection: ctx.db.collection(projectsCollection),
    id,
    what: 'project',
    expectedVersion,
    plan: async (doc) => {
      const checked = await checkProjectFields(ctx.db, fields, { timeZone: fields.timeZone ?? doc.timeZone, existingCustomFields: doc.customFields, creating: false });
      if (checked.issues.length > 0) return invalid(checked.issues);
      const next: ProjectDoc = { ...doc, ...(checked.value as Partial<ProjectDoc>) };
      if (fields.tags) next.tags = [...new Set(fields.tags)];
      if (status && status !== doc.status) {
        next.status = status;
        if (status === 'archived') next.archivedAt = ctx.now();
        else delete next.archivedAt;
      }
      const extra = options.check ? await options.check(doc, next) : [];
      if (extra.length > 0) return invalid(extra);
      const changes = fieldDiff(doc as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, { ignore: AUDIT_IGNORE });
      if (changes.length === 0) return succeed({ update: null });
      const type = status && status !== doc.status ? (status === 'archived' ? 'project.archived' : 'project.restored') : 'project.updated';
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, true> = {};
      for (const key of new Set(changes.map((c) => c.path.split('.')[0]!))) {
        const value = (next as unknown as Record<string, unknown>)[key];
        if (value === undefined) $unset[key] = true;
        else $set[key] = value;
      }
      const event = domainEvent(ctx, type, { type: 'project', id }, { changes, version: doc.revision + 1 });
      const update: Update = { $set, $push: { outbox: event } };
      if (Object.keys($unset).length > 0) update.$unset = $unset;
      return succeed({ update });
    },
  });
  if (!written.ok) return failWith(written.error);
  const { before, after, changed } = written.value;
  if (changed) {
    await recordChanges(ctx, [{ action: after.status !== before.status ? (after.status === 'archived' ? 'project.archived' : 'project.restored') : 'project.updated', aggregate: { type: 'project', id }, before: before as unknown as Record<string, unknown>, after: after as unknown as Record<string, unknown> }]);
  }
  return succeed(after);
}
