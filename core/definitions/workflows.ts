import { DuplicateKeyError, type Page, type TenantStore } from '../store/index.ts';
import {
  DEFAULT_WORKFLOW,
  parseWorkflow,
  simulateWorkflow,
  workflowSchema,
  type SimulationResult,
  type SimulationStep,
  type TransitionContext,
  type Workflow,
  type WorkflowWarning,
} from '../workflow/index.ts';
import { workflowsCollection, workflowVersionsCollection, type WorkflowDoc, type WorkflowVersionDoc } from './collections.ts';
import { fail, invalid, ok, type DefinitionIssue, type DefinitionResult } from './definition-result.ts';
import { findUnstorableKeys } from './find-unstorable-keys.ts';
import {
  BUILT_IN_WORKFLOW_ID,
  BUILT_IN_WORKFLOW_VERSION,
  defaultWorkflowId,
  findLatestWorkflow,
  findWorkflowVersion,
  type ResolvedWorkflow,
} from './get-workflow-for-milestone.ts';
import { issuesFromZod } from './issues-from-zod.ts';

/** A workflow as listed. */
export interface WorkflowSummary {
  id: string;
  name: string;
  description?: string;
  latestVersion: number;
  isDefault: boolean;
  /** True only for the read-only built-in workflow. */
  builtIn: boolean;
  createdAt?: Date;
  updatedAt?: Date;
}

/** One version of a workflow with its definition and the warnings it loads with. */
export interface WorkflowVersionView extends WorkflowSummary {
  version: number;
  workflow: Workflow;
  warnings: WorkflowWarning[];
}

/** A published version, as the version history lists it. */
export interface WorkflowVersionEntry {
  version: number;
  name: string;
  createdAt?: Date;
  createdBy?: string;
}

const READ_ONLY = `the built-in workflow '${BUILT_IN_WORKFLOW_ID}' is read-only; copy it to a workflow of your own to change it`;

/**
 * Validates a workflow document for the given id and version: its shape, its cross-references
 * (`parseWorkflow`) and that the store can hold it. `id` and `version` may be omitted from the
 * document; when present they must match.
 */
export function validateWorkflowDefinition(
  input: unknown,
  expected: { id: string; version: number },
): DefinitionResult<{ workflow: Workflow; warnings: WorkflowWarning[] }> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return invalid([{ path: '', message: 'a workflow is an object with id, name, initial, states and transitions' }]);
  }
  const doc = input as Record<string, unknown>;
  const issues: DefinitionIssue[] = [];
  if (doc.id !== undefined && doc.id !== expected.id) {
    issues.push({ path: 'id', message: `this workflow's id is '${expected.id}'` });
  }
  if (doc.version !== undefined && doc.version !== expected.version) {
    issues.push({ path: 'version', message: `this would be version ${expected.version}` });
  }
  if (issues.length > 0) return invalid(issues);
  const candidate = { ...doc, id: expected.id, version: expected.version };
  const shape = workflowSchema.safeParse(candidate);
  if (!shape.success) return invalid(issuesFromZod(shape.error.issues));
  const parsed = parseWorkflow(candidate);
  if (!parsed.ok) return invalid(parsed.error.issues);
  const unstorable = findUnstorableKeys(parsed.value.workflow);
  if (unstorable.length > 0) return invalid(unstorable);
  return ok(parsed.value);
}

function versionView(resolved: ResolvedWorkflow, summary: WorkflowSummary): WorkflowVersionView {
  const parsed = parseWorkflow(resolved.workflow);
  return { ...summary, version: resolved.version, workflow: resolved.workflow, warnings: parsed.ok ? parsed.value.warnings : [] };
}

function builtInSummary(defaultId: string): WorkflowSummary {
  return {
    id: BUILT_IN_WORKFLOW_ID,
    name: DEFAULT_WORKFLOW.name,
    ...(DEFAULT_WORKFLOW.description === undefined ? {} : { description: DEFAULT_WORKFLOW.description }),
    latestVersion: BUILT_IN_WORKFLOW_VERSION,
    isDefault: defaultId === BUILT_IN_WORKFLOW_ID,
    builtIn: true,
  };
}

function summaryOf(doc: WorkflowDoc, defaultId: string): WorkflowSummary {
  return {
    id: doc.workflowId,
    name: doc.name,
    ...(doc.description === undefined ? {} : { description: doc.description }),
    latestVersion: doc.latestVersion,
    isDefault: doc.workflowId === defaultId,
    builtIn: false,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

async function summaryFor(db: TenantStore, id: string): Promise<WorkflowSummary | undefined> {
  const defaultId = await defaultWorkflowId(db);
  if (id === BUILT_IN_WORKFLOW_ID) return builtInSummary(defaultId);
  const head = await db.collection(workflowsCollection).findOne({ workflowId: id });
  return head ? summaryOf(head, defaultId) : undefined;
}

// The version document is written first: its unique index decides races, and a workflow
// exists once it has a version. The head only caches the name and the latest version number.
async function storeVersion(
  db: TenantStore,
  workflow: Workflow,
  createdBy: string | undefined,
): Promise<'stored' | 'exists'> {
  try {
    await db.collection(workflowVersionsCollection).insert({
      workflowId: workflow.id,
      workflowVersion: workflow.version,
      definition: workflow,
      ...(createdBy === undefined ? {} : { createdBy }),
    });
  } catch (err) {
    if (err instanceof DuplicateKeyError) return 'exists';
    throw err;
  }
  await db.collection(workflowsCollection).updateOne(
    { workflowId: workflow.id },
    {
      $set: { name: workflow.name, ...(workflow.description === undefined ? {} : { description: workflow.description }) },
      ...(workflow.description === undefined ? { $unset: { description: true as const } } : {}),
      $max: { latestVersion: workflow.version },
    },
    { upsert: true },
  );
  return 'stored';
}

/**
 * Creates a tenant workflow at version 1 from a workflow document (its `version` may be omitted).
 * The id `default` is reserved for the built-in workflow.
 *
 * @example await createWorkflow(db, { id: 'site-work', name: 'Site work', initial: 'planned', states, transitions })
 */
export async function createWorkflow(db: TenantStore, input: unknown, options: { createdBy?: string } = {}): Promise<DefinitionResult<WorkflowVersionView>> {
  const id = (input as { id?: unknown } | null)?.id;
  if (id === BUILT_IN_WORKFLOW_ID) return fail('read_only', READ_ONLY);
  if (typeof id !== 'string') return invalid([{ path: 'id', message: 'a workflow needs an id such as site-work' }]);
  const checked = validateWorkflowDefinition(input, { id, version: 1 });
  if (!checked.ok) return checked;
  if ((await storeVersion(db, checked.value.workflow, options.createdBy)) === 'exists') {
    return fail('already_exists', `a workflow '${id}' already exists; publish a new version of it instead`);
  }
  const summary = (await summaryFor(db, id)) as WorkflowSummary;
  return ok({ ...summary, version: 1, workflow: checked.value.workflow, warnings: checked.value.warnings });
}

/**
 * Publishes the next version of a tenant workflow. Published versions never change, so
 * milestones pinned to one keep its exact rules. A `version` in the document, when given, must
 * be the next one: a stale editor gets `already_exists` instead of overwriting a colleague's work.
 */
export async function publishWorkflowVersion(
  db: TenantStore,
  id: string,
  input: unknown,
  options: { createdBy?: string } = {},
): Promise<DefinitionResult<WorkflowVersionView>> {
  if (id === BUILT_IN_WORKFLOW_ID) return fail('read_only', READ_ONLY);
  const latest = await findLatestWorkflow(db, id);
  if (!latest) return fail('not_found', `no workflow '${id}'`);
  const next = latest.version + 1;
  const asked = (input as { version?: unknown } | null)?.version;
  if (typeof asked === 'number' && Number.isInteger(asked) && asked <= latest.version) {
    return fail('already_exists', `version ${asked} of '${id}' is already published; the latest is ${latest.version}`);
  }
  const checked = validateWorkflowDefinition(input, { id, version: next });
  if (!checked.ok) return checked;
  if ((await storeVersion(db, checked.value.workflow, options.createdBy)) === 'exists') {
    return fail('already_exists', `version ${next} of '${id}' was published meanwhile; reload and retry`);
  }
  const summary = (await summaryFor(db, id)) as WorkflowSummary;
  return ok({ ...summary, version: next, workflow: checked.value.workflow, warnings: checked.value.warnings });
}

/**
 * Copies a workflow (the built-in one included), at its latest or a given version, into a new
 * tenant workflow at version 1.
 */
export async function copyWorkflow(
  db: TenantStore,
  sourceId: string,
  target: { id: string; name?: string; version?: number },
  options: { createdBy?: string } = {},
): Promise<DefinitionResult<WorkflowVersionView>> {
  const source =
    target.version === undefined ? await findLatestWorkflow(db, sourceId) : await findWorkflowVersion(db, { workflowId: sourceId, version: target.version });
  if (!source) return fail('not_found', target.version === undefined ? `no workflow '${sourceId}'` : `workflow '${sourceId}' has no version ${target.version}`);
  return createWorkflow(db, { ...structuredClone(source.workflow), id: target.id, version: 1, ...(target.name === undefined ? {} : { name: target.name }) }, options);
}

/** A workflow at its latest version, or at `version`. */
export async function getWorkflow(db: TenantStore, id: string, version?: number): Promise<DefinitionResult<WorkflowVersionView>> {
  const summary = await summaryFor(db, id);
  if (!summary) return fail('not_found', `no workflow '${id}'`);
  const resolved = version === undefined ? await findLatestWorkflow(db, id) : await findWorkflowVersion(db, { workflowId: id, version });
  if (!resolved) return fail('not_found', version === undefined ? `no workflow '${id}'` : `workflow '${id}' has no version ${version}`);
  return ok(versionView(resolved, summary));
}

/** The built-in workflow first, then the tenant's in id order. */
export async function listWorkflows(db: TenantStore, options: { limit?: number; cursor?: string | null } = {}): Promise<Page<WorkflowSummary>> {
  const defaultId = await defaultWorkflowId(db);
  const page = await db.collection(workflowsCollection).page({}, { sortBy: 'workflowId', limit: options.limit ?? 50, cursor: options.cursor ?? null });
  const items = page.items.map((doc) => summaryOf(doc, defaultId));
  return { items: options.cursor ? items : [builtInSummary(defaultId), ...items], nextCursor: page.nextCursor };
}

/** A workflow's published versions, newest first. */
export async function listWorkflowVersions(
  db: TenantStore,
  id: string,
  options: { limit?: number; cursor?: string | null } = {},
): Promise<DefinitionResult<Page<WorkflowVersionEntry>>> {
  if (id === BUILT_IN_WORKFLOW_ID) {
    return ok({ items: [{ version: BUILT_IN_WORKFLOW_VERSION, name: DEFAULT_WORKFLOW.name }], nextCursor: null });
  }
  const versions = db.collection(workflowVersionsCollection);
  const page = await versions.page({ workflowId: id }, { sortBy: 'workflowVersion', direction: -1, limit: options.limit ?? 50, cursor: options.cursor ?? null });
  if (page.items.length === 0 && !options.cursor && (await versions.count({ workflowId: id })) === 0) return fail('not_found', `no workflow '${id}'`);
  return ok({ items: page.items.map(versionEntry), nextCursor: page.nextCursor });
}

function versionEntry(doc: WorkflowVersionDoc): WorkflowVersionEntry {
  return {
    version: doc.workflowVersion,
    name: doc.definition.name,
    createdAt: doc.createdAt,
    ...(doc.createdBy === undefined ? {} : { createdBy: doc.createdBy }),
  };
}

/**
 * Makes a workflow the tenant's default: new milestones start on its latest version. Marking the
 * built-in workflow clears the tenant's own default.
 */
export async function markDefaultWorkflow(db: TenantStore, id: string, at: Date): Promise<DefinitionResult<WorkflowSummary>> {
  const heads = db.collection(workflowsCollection);
  if (id !== BUILT_IN_WORKFLOW_ID) {
    const marked = await heads.updateOne({ workflowId: id }, { $set: { defaultSince: at } });
    if (!marked) return fail('not_found', `no workflow '${id}'`);
  }
  // The most recent mark wins even if this clean-up is interrupted.
  await heads.updateMany({ workflowId: { $ne: id }, defaultSince: { $exists: true } }, { $unset: { defaultSince: true } });
  return ok((await summaryFor(db, id)) as WorkflowSummary);
}

/** What to play in {@link simulateTenantWorkflow}. */
export interface SimulationRequest {
  version?: number;
  milestone?: { status?: string; attributes?: Record<string, unknown> };
  steps: SimulationStep[];
  context?: TransitionContext;
  stopOnRefusal?: boolean;
}

/**
 * Plays steps against a sample milestone on one of the tenant's workflows (the built-in one
 * included) with the planner real transitions use. Reads the workflow; writes nothing.
 */
export async function simulateTenantWorkflow(
  db: TenantStore,
  id: string,
  request: SimulationRequest,
): Promise<DefinitionResult<SimulationResult & { workflow: { id: string; version: number } }>> {
  const resolved =
    request.version === undefined ? await findLatestWorkflow(db, id) : await findWorkflowVersion(db, { workflowId: id, version: request.version });
  if (!resolved) return fail('not_found', request.version === undefined ? `no workflow '${id}'` : `workflow '${id}' has no version ${request.version}`);
  const status = request.milestone?.status;
  if (status !== undefined && !resolved.workflow.states.some((s) => s.id === status)) {
    const known = resolved.workflow.states.map((s) => s.id).join(', ');
    return invalid([{ path: 'milestone.status', message: `'${status}' is not a state of this workflow (${known})` }], 'invalid_options');
  }
  const result = await simulateWorkflow({
    workflow: resolved.workflow,
    steps: request.steps,
    ...(request.milestone === undefined ? {} : { milestone: request.milestone }),
    ...(request.context === undefined ? {} : { context: request.context }),
    ...(request.stopOnRefusal === undefined ? {} : { stopOnRefusal: request.stopOnRefusal }),
  });
  return ok({ workflow: { id: resolved.id, version: resolved.version }, ...result });
}
