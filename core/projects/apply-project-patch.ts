import { fieldDiff } from '../audit/index.ts';
import { AUDIT_IGNORED_FIELDS, linkPendingAudit, pendingAudit, withoutPendingAudit } from '../audit-log/index.ts';
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

/**
 * Applies a partial change to a project: the building block of `updateProject` in
 * core/milestones, which adds the check that milestone payments still fit a new contract value
 * through `check`. Emits `project.updated` (or `project.archived` / `project.restored`) with the
 * changed fields, and its audit entry, in the same write.
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
      const changes = fieldDiff(doc as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, { ignore: AUDIT_IGNORED_FIELDS });
      if (changes.length === 0) return succeed({ update: null });
      const type = status && status !== doc.status ? (status === 'archived' ? 'project.archived' : 'project.restored') : 'project.updated';
      const $set: Record<string, unknown> = {};
      const $unset: Record<string, true> = {};
      for (const key of new Set(changes.map((c) => c.path.split('.')[0]!))) {
        const value = (next as unknown as Record<string, unknown>)[key];
        if (value === undefined) $unset[key] = true;
        else $set[key] = value;
      }
      const aggregate = { type: 'project' as const, id };
      const event = domainEvent(ctx, type, aggregate, { changes, version: doc.revision + 1 });
      const audit = pendingAudit(ctx, { action: type, aggregate, before: doc as unknown as Record<string, unknown>, after: next as unknown as Record<string, unknown> });
      const update: Update = { $set, $push: { outbox: event, auditOutbox: audit } };
      if (Object.keys($unset).length > 0) update.$unset = $unset;
      return succeed({ update });
    },
  });
  if (!written.ok) return failWith(written.error);
  const { after, changed } = written.value;
  if (changed) await linkPendingAudit(ctx, projectsCollection, [after]);
  return succeed(withoutPendingAudit(after));
}
