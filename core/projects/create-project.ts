import { linkPendingAudit, pendingAudit, withoutPendingAudit } from '../audit-log/index.ts';
import { domainEvent, invalid, issuesFromZod, succeed, type DomainContext, type DomainEvent, type DomainResult } from '../domain/index.ts';
import { DEFAULT_TIME_ZONE } from '../money/index.ts';
import { newId } from '../store/index.ts';
import { checkProjectFields } from './check-project-fields.ts';
import { projectsCollection, type ProjectDoc } from './collections.ts';
import { projectInputSchema } from './project-schema.ts';
import { projectView } from './project-view.ts';

/**
 * Creates a project after checking its client (GST state code, GSTIN), contacts, dates and
 * custom fields; emits `project.created` and records it in the audit log.
 *
 * @example await createProject(ctx, { name: 'Tower B', client: { name: 'Acme', stateCode: '27' }, contractValue: 50_00_000_00 })
 */
export async function createProject(ctx: DomainContext, input: unknown): Promise<DomainResult<ProjectDoc>> {
  const parsed = projectInputSchema.safeParse(input);
  if (!parsed.success) return invalid(issuesFromZod(parsed.error));
  const timeZone = parsed.data.timeZone ?? ctx.timeZone ?? DEFAULT_TIME_ZONE;
  const checked = await checkProjectFields(ctx.db, parsed.data, { timeZone, creating: true });
  if (checked.issues.length > 0) return invalid(checked.issues);
  const v = checked.value;
  const id = newId('prj');
  const doc: Omit<ProjectDoc, 'version' | 'createdAt' | 'updatedAt' | 'tenantId' | 'outbox'> = {
    _id: id,
    revision: 1,
    name: parsed.data.name,
    ...(v.code ? { code: v.code } : {}),
    ...(v.description !== undefined ? { description: v.description } : {}),
    client: v.client!,
    contractValue: parsed.data.contractValue,
    currency: 'INR',
    timeZone,
    status: 'active',
    ...(v.startDate ? { startDate: v.startDate } : {}),
    tags: [...new Set(v.tags ?? [])],
    ...(v.customFields ? { customFields: v.customFields } : {}),
  };
  const now = ctx.now();
  const event = domainEvent(ctx, 'project.created', { type: 'project', id }, { project: projectView({ ...doc, createdAt: now, updatedAt: now } as ProjectDoc) });
  return succeed(await insertProject(ctx, doc, event));
}

/**
 * Stores a new project with its `project.created` event and audit entry in the one insert, then
 * links the entry into the audit chain (see `linkPendingAudit`). `data` goes on the entry.
 */
export async function insertProject(
  ctx: DomainContext,
  doc: Omit<ProjectDoc, 'version' | 'createdAt' | 'updatedAt' | 'tenantId' | 'outbox'>,
  event: DomainEvent,
  options: { data?: Record<string, unknown> } = {},
): Promise<ProjectDoc> {
  const audit = pendingAudit(ctx, { action: 'project.created', aggregate: { type: 'project', id: doc._id }, before: null, after: doc as unknown as Record<string, unknown>, ...(options.data ? { data: options.data } : {}) });
  const stored = await ctx.db.collection(projectsCollection).insert({ ...doc, outbox: [event], auditOutbox: [audit] });
  await linkPendingAudit(ctx, projectsCollection, [stored]);
  return withoutPendingAudit(stored);
}
