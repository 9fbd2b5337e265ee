import type { TenantStore } from '../store/index.ts';
import { DEFAULT_WORKFLOW, type Workflow } from '../workflow/index.ts';
import { workflowsCollection, workflowVersionsCollection } from './collections.ts';

/** The id under which the built-in workflow is listed; no tenant workflow may take it. */
export const BUILT_IN_WORKFLOW_ID = 'default';
/** The built-in workflow's only version. */
export const BUILT_IN_WORKFLOW_VERSION = 1;

/** One exact version of a workflow, as a milestone pins it. */
export interface WorkflowRef {
  workflowId: string;
  version: number;
}

/** A resolved workflow version. */
export interface ResolvedWorkflow {
  id: string;
  version: number;
  workflow: Workflow;
}

/** A milestone names a workflow version that does not exist for its tenant. */
export class UnknownWorkflowError extends Error {
  override readonly name = 'UnknownWorkflowError';
  constructor(readonly ref: WorkflowRef) {
    super(`workflow '${ref.workflowId}' has no version ${ref.version}`);
  }
}

const builtIn = (): ResolvedWorkflow => ({ id: BUILT_IN_WORKFLOW_ID, version: BUILT_IN_WORKFLOW_VERSION, workflow: DEFAULT_WORKFLOW });

/**
 * Finds one exact workflow version, the tenant's or the built-in one; undefined when the tenant
 * has no such version.
 */
export async function findWorkflowVersion(db: TenantStore, ref: WorkflowRef): Promise<ResolvedWorkflow | undefined> {
  if (ref.workflowId === BUILT_IN_WORKFLOW_ID) return ref.version === BUILT_IN_WORKFLOW_VERSION ? builtIn() : undefined;
  const doc = await db.collection(workflowVersionsCollection).findOne({ workflowId: ref.workflowId, workflowVersion: ref.version });
  return doc ? { id: doc.workflowId, version: doc.workflowVersion, workflow: doc.definition } : undefined;
}

/** The latest version of a workflow, the tenant's or the built-in one; undefined when unknown. */
export async function findLatestWorkflow(db: TenantStore, workflowId: string): Promise<ResolvedWorkflow | undefined> {
  if (workflowId === BUILT_IN_WORKFLOW_ID) return builtIn();
  const doc = await db.collection(workflowVersionsCollection).findOne({ workflowId }, { sort: { workflowVersion: -1 } });
  return doc ? { id: doc.workflowId, version: doc.workflowVersion, workflow: doc.definition } : undefined;
}

/** The id of the tenant's default workflow: the one most recently marked, else the built-in one. */
export async function defaultWorkflowId(db: TenantStore): Promise<string> {
  const marked = await db.collection(workflowsCollection).findOne({ defaultSince: { $exists: true } }, { sort: { defaultSince: -1 } });
  return marked?.workflowId ?? BUILT_IN_WORKFLOW_ID;
}

/**
 * The workflow a milestone runs on. With a ref, that exact version (a milestone keeps the version
 * it started on); without one, the latest version of the tenant's default workflow, or the
 * built-in {@link DEFAULT_WORKFLOW} as id `default` version 1 when the tenant marked none.
 * Throws {@link UnknownWorkflowError} for a ref the tenant does not have.
 *
 * @example
 * const { id, version, workflow } = await getWorkflowForMilestone(db);
 * // store { workflowId: id, workflowVersion: version } on the new milestone
 */
export async function getWorkflowForMilestone(db: TenantStore, ref?: WorkflowRef): Promise<ResolvedWorkflow> {
  if (ref) {
    const found = await findWorkflowVersion(db, ref);
    if (!found) throw new UnknownWorkflowError(ref);
    return found;
  }
  const id = await defaultWorkflowId(db);
  return (await findLatestWorkflow(db, id)) ?? builtIn();
}
