import { findWorkflowVersion, getCustomFieldDefinitions, getWorkflowForMilestone, type ResolvedWorkflow } from '../definitions/index.ts';
import { parseCsv } from '../csv/index.ts';
import { dateInZone, failWith, invalid, orderedIds, succeed, type DomainContext, type DomainResult, type FieldIssue } from '../domain/index.ts';
import { getProject, projectView, type ProjectView } from '../projects/index.ts';
import { loadSiblings } from './check-milestone.ts';
import { milestonesCollection, type MilestoneDoc } from './collections.ts';
import { draftFromInput } from './create-milestone.ts';
import { checkMilestoneBatch, insertMilestoneBatch, type BatchItem } from './insert-milestone-batch.ts';
import { CSV_COLUMNS, columnOf, milestoneCsvHeader, milestoneCsvRecord, milestoneFromCsv } from './milestone-csv.ts';
import { DRAFT_FIELDS } from './milestone-draft.ts';
import { milestoneInputSchema } from './milestone-schema.ts';
import { milestoneView, type MilestoneView } from './milestone-view.ts';

/** Most milestones one import takes. */
export const MAX_IMPORT_ITEMS = 20_000;

/** A project's milestones as exported: parents before children, each in the API's shape. */
export interface MilestoneExport {
  format: 'milestone-hub/milestones@1';
  exportedAt: Date;
  project: ProjectView;
  milestones: MilestoneView[];
}

/** A problem with one imported record: its row (CSV line, or position in a JSON list) and column. */
export interface ImportIssue {
  row: number | null;
  column: string | null;
  message: string;
  code: string;
}

/** What an import did. */
export interface ImportResult {
  created: number;
  /** Ids in the file → ids of the created milestones. */
  ids: Record<string, string>;
  /** Records left out (only with `partial`). */
  skipped: ImportIssue[];
}

/**
 * Every live milestone of a project, parents before children, in creation order otherwise.
 *
 * @example const { milestones } = (await exportMilestones(ctx, projectId)).value
 */
export async function exportMilestones(ctx: Pick<DomainContext, 'db' | 'now' | 'timeZone'>, projectId: string): Promise<DomainResult<MilestoneExport>> {
  const project = await getProject(ctx.db, projectId);
  if (!project) return failWith({ code: 'not_found', message: 'No such project' });
  const docs = await ctx.db.collection(milestonesCollection).find({ projectId, deletedAt: { $exists: false } }, { sort: { _id: 1 }, projection: { outbox: 0, auditOutbox: 0 } });
  const today = dateInZone(ctx.now(), ctx.timeZone);
  return succeed({
    format: 'milestone-hub/milestones@1',
    exportedAt: ctx.now(),
    project: projectView(project),
    milestones: parentsFirst(docs).map((d) => milestoneView(d, { today, contractValue: project.contractValue })),
  });
}

/** An export as CSV (RFC 4180, CRLF, header first); lists are `;`-separated, dependencies and custom fields JSON. */
export function milestonesToCsv(milestones: readonly MilestoneView[]): string {
  return milestoneCsvHeader() + milestones.map(milestoneCsvRecord).join('');
}

/**
 * Imports milestones into a project from a JSON export (or a list of milestones) or CSV. Ids in
 * the file only link records: parents and dependencies may name other records of the file or
 * milestones of the project; every record gets a new id. Statuses and workflow versions are kept
 * (a record without a workflow takes the tenant's current default). Every record is checked as `createMilestone` checks one; by default
 * one bad record imports nothing and every problem is reported with its row and column. With
 * `partial`, bad records (and records that hang on them) are skipped and reported.
 */
export async function importMilestones(
  ctx: DomainContext,
  projectId: string,
  source: { format: 'json'; body: unknown } | { format: 'csv'; text: string },
  options: { partial?: boolean | undefined } = {},
): Promise<DomainResult<ImportResult>> {
  const project = await getProject(ctx.db, projectId);
  if (!project) return failWith({ code: 'not_found', message: 'No such project' });
  if (project.status === 'archived') return invalid([{ path: 'projectId', message: 'the project is archived; restore it first', code: 'project_archived' }]);
  const read = source.format === 'csv' ? readCsv(source.text) : readJson(source.body);
  if (!read.ok) return rowFailure(read.issues);
  const records = read.records;
  if (records.length > MAX_IMPORT_ITEMS) return invalid([{ path: 'milestones', message: `at most ${MAX_IMPORT_ITEMS} milestones per import`, code: 'too_many' }]);

  const issues: ImportIssue[] = records.flatMap((r) => r.issues.map((i) => ({ row: r.row, column: i.column, message: i.message, code: i.code })));
  const fileIds = new Map<string, string>();
  const fresh = orderedIds('ms', records.length);
  for (const [i, r] of records.entries()) {
    if (fileIds.has(r.key)) issues.push({ row: r.row, column: 'id', message: `id '${r.key}' is used by another record`, code: 'duplicate_id' });
    else fileIds.set(r.key, fresh[i]!);
  }
  // Milestones keep the workflow version they ran on when the tenant still has it.
  const workflows = new Map<string, ResolvedWorkflow | null>();
  const workflowOf = async (ref: unknown): Promise<ResolvedWorkflow | null | undefined> => {
    if (ref === undefined) return undefined;
    const r = ref as { id?: unknown; version?: unknown };
    if (typeof r.id !== 'string' || typeof r.version !== 'number') return null;
    const key = `${r.id}@${r.version}`;
    if (!workflows.has(key)) workflows.set(key, (await findWorkflowVersion(ctx.db, { workflowId: r.id, version: r.version })) ?? null);
    return workflows.get(key)!;
  };
  const candidates: { record: ReadRecord; item: BatchItem }[] = [];
  for (const r of records) {
    if (r.issues.length > 0) continue;
    const { status, workflow: ref, source: origin, ...fields } = r.item;
    const parsed = milestoneInputSchema.safeParse({ ...fields, projectId });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push({ row: r.row, column: columnOf(issue.path.map(String).join('.')), message: issue.message, code: issue.code });
      continue;
    }
    const { status: _ignored, ...input } = parsed.data;
    const draft = draftFromInput(input);
    if (draft.parentId !== undefined) draft.parentId = fileIds.get(draft.parentId) ?? draft.parentId;
    draft.dependencies = draft.dependencies.map((d) => ({ ...d, on: fileIds.get(d.on) ?? d.on }));
    const workflow = await workflowOf(ref);
    if (workflow === null) {
      issues.push({ row: r.row, column: 'workflow', message: 'names a workflow version this tenant does not have', code: 'unknown_workflow' });
      continue;
    }
    candidates.push({
      record: r,
      item: { id: fileIds.get(r.key)!, draft, ...(typeof status === 'string' ? { status } : {}), ...(workflow ? { workflow } : {}), ...(isSource(origin) ? { source: origin } : {}) },
    });
  }

  const workflow = await getWorkflowForMilestone(ctx.db);
  const siblings = await loadSiblings(ctx.db, projectId);
  const definitions = await getCustomFieldDefinitions(ctx.db, 'milestone');
  const skippedKeys = new Set(records.filter((r) => issues.some((i) => i.row === r.row)).map((r) => r.key));
  const droppedIds = new Set([...skippedKeys].map((k) => fileIds.get(k)!));
  // Records that hang on a skipped record cannot be created either.
  const dropHangers = (list: typeof candidates) => {
    let rest = list;
    for (let changed = true; changed; ) {
      changed = false;
      rest = rest.filter((c) => {
        const parentGone = c.item.draft.parentId !== undefined && droppedIds.has(c.item.draft.parentId);
        const hangs = parentGone || c.item.draft.dependencies.some((d) => droppedIds.has(d.on));
        if (hangs) {
          issues.push({ row: c.record.row, column: parentGone ? 'parentId' : 'dependencies', message: 'refers to a record that cannot be imported', code: 'depends_on_skipped' });
          droppedIds.add(c.item.id);
          skippedKeys.add(c.record.key);
          changed = true;
        }
        return !hangs;
      });
    }
    return rest;
  };
  let kept = dropHangers(candidates);
  let batchIssues: FieldIssue[] = [];
  let cycle: string[] | undefined;
  for (let round = 0; round < 50; round += 1) {
    const checked = await checkMilestoneBatch(ctx, project, kept.map((c) => c.item), { siblings, definitions, workflow });
    const bad = new Set<number>();
    checked.items.forEach((result, i) => {
      const record = kept[i]!.record;
      for (const issue of result.issues) issues.push({ row: record.row, column: columnOf(issue.path), message: issue.message, code: issue.code ?? 'invalid' });
      if (result.issues.length > 0) bad.add(i);
      else kept[i]!.item.draft = result.draft;
    });
    batchIssues = checked.batch;
    cycle = checked.cycle;
    if (bad.size === 0 || !options.partial) break;
    for (const i of bad) {
      skippedKeys.add(kept[i]!.record.key);
      droppedIds.add(kept[i]!.item.id);
    }
    kept = dropHangers(kept.filter((_c, i) => !bad.has(i)));
  }
  const all = [...issues, ...batchIssues.map((i) => ({ row: null, column: columnOf(i.path), message: i.message, code: i.code ?? 'invalid' }))];
  if (batchIssues.length > 0 || (issues.length > 0 && !options.partial)) return rowFailure(all, cycle);
  const stored = await insertMilestoneBatch(ctx, kept.map((c) => c.item), { workflow, data: { createdBy: 'import', format: source.format } });
  const ids: Record<string, string> = {};
  for (const c of kept) ids[c.record.key] = c.item.id;
  return succeed({ created: stored.length, ids, skipped: sortIssues(issues) });
}

function isSource(value: unknown): value is { templateId: string; key: string } {
  const v = value as { templateId?: unknown; key?: unknown } | undefined;
  return typeof v?.templateId === 'string' && typeof v.key === 'string' && v.templateId.length <= 100 && v.key.length <= 200;
}

interface ReadRecord {
  row: number;
  key: string;
  item: Record<string, unknown>;
  issues: { column: string | null; message: string; code: string }[];
}

function readCsv(text: string): { ok: true; records: ReadRecord[] } | { ok: false; issues: ImportIssue[] } {
  const parsed = parseCsv(text, { maxRecords: MAX_IMPORT_ITEMS + 1 });
  if (!parsed.ok) return { ok: false, issues: [{ row: parsed.error.line, column: null, message: parsed.error.message, code: parsed.error.code }] };
  const [head, ...rows] = parsed.value;
  if (!head) return { ok: false, issues: [{ row: 1, column: null, message: 'the file is empty; the first line names the columns', code: 'empty' }] };
  const header = head.fields.map((f) => f.trim());
  const known = new Set<string>(CSV_COLUMNS);
  const headerIssues: ImportIssue[] = [];
  header.forEach((name) => {
    if (!known.has(name)) headerIssues.push({ row: 1, column: name, message: `unknown column '${name}' (columns: ${CSV_COLUMNS.join(', ')})`, code: 'unknown_column' });
  });
  if (new Set(header).size !== header.length) headerIssues.push({ row: 1, column: null, message: 'a column is named twice', code: 'duplicate_column' });
  if (!header.includes('title')) headerIssues.push({ row: 1, column: 'title', message: 'the title column is required', code: 'missing_column' });
  if (headerIssues.length > 0) return { ok: false, issues: headerIssues };
  return {
    ok: true,
    records: rows.map((r, i) => {
      const { item, issues } = milestoneFromCsv(header, r.fields);
      const { id, ...fields } = item;
      return { row: r.line, key: typeof id === 'string' ? id : `#${i + 1}`, item: fields, issues };
    }),
  };
}

function readJson(body: unknown): { ok: true; records: ReadRecord[] } | { ok: false; issues: ImportIssue[] } {
  const list = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? (body as { milestones?: unknown }).milestones : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, issues: [{ row: null, column: 'milestones', message: 'send an export ({ "milestones": [...] }) or a list of milestones', code: 'invalid_body' }] };
  }
  return {
    ok: true,
    records: list.map((raw, i) => {
      const row = i + 1;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        return { row, key: `#${row}`, item: {}, issues: [{ column: null, message: 'must be an object', code: 'invalid_type' }] };
      }
      const source = raw as Record<string, unknown>;
      const item: Record<string, unknown> = {};
      // Read what a milestone's writers set; derived and bookkeeping fields of an export are left.
      for (const field of [...DRAFT_FIELDS, 'status', 'workflow', 'source'] as const) if (source[field] !== undefined && source[field] !== null) item[field] = source[field];
      delete item.projectId;
      if (item.payment && typeof item.payment === 'object') {
        const { value: _value, ...payment } = item.payment as Record<string, unknown>;
        item.payment = payment;
      }
      const key = typeof source.id === 'string' && source.id !== '' ? source.id : `#${row}`;
      return { row, key, item, issues: [] };
    }),
  };
}

function rowFailure(issues: readonly ImportIssue[], cycle?: string[]): { ok: false; error: { code: 'invalid'; message: string; issues: FieldIssue[]; details?: Record<string, unknown> } } {
  const sorted = sortIssues(issues);
  const fieldIssues = sorted.map((i) => ({
    path: i.row === null ? (i.column ?? 'file') : `rows.${i.row}${i.column ? `.${i.column}` : ''}`,
    message: i.row === null ? i.message : `row ${i.row}${i.column ? `, column ${i.column}` : ''}: ${i.message}`,
    code: i.code,
  }));
  const failed = invalid(fieldIssues, { rows: sorted, imported: 0, ...(cycle ? { cycle } : {}) });
  return failed as { ok: false; error: { code: 'invalid'; message: string; issues: FieldIssue[]; details?: Record<string, unknown> } };
}

function sortIssues(issues: readonly ImportIssue[]): ImportIssue[] {
  return [...issues].sort((a, b) => (a.row ?? Number.MAX_SAFE_INTEGER) - (b.row ?? Number.MAX_SAFE_INTEGER));
}

/** Orders milestones so each comes after its parent, keeping the given order otherwise. */
function parentsFirst(docs: readonly MilestoneDoc[]): MilestoneDoc[] {
  const byParent = new Map<string, MilestoneDoc[]>();
  const ids = new Set(docs.map((d) => d._id));
  const roots: MilestoneDoc[] = [];
  for (const d of docs) {
    if (d.parentId && ids.has(d.parentId)) {
      const list = byParent.get(d.parentId) ?? [];
      list.push(d);
      byParent.set(d.parentId, list);
    } else roots.push(d);
  }
  const out: MilestoneDoc[] = [];
  const stack = [...roots].reverse();
  while (stack.length > 0) {
    const d = stack.pop()!;
    out.push(d);
    const children = byParent.get(d._id);
    if (children) for (let i = children.length - 1; i >= 0; i -= 1) stack.push(children[i]!);
  }
  return out;
}
