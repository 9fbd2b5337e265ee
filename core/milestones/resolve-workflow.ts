import { getWorkflowForMilestone, UnknownWorkflowError, type ResolvedWorkflow } from '../definitions/index.ts';
import type { DomainError } from '../domain/index.ts';
import type { TenantStore } from '../store/index.ts';
import type { MilestoneDoc } from './collections.ts';

/** The exact workflow version a milestone runs on, or a refusal when the tenant no longer has it. */
export async function resolveMilestoneWorkflow(
  db: TenantStore,
  doc: Pick<MilestoneDoc, 'workflow'>,
): Promise<{ ok: true; value: ResolvedWorkflow } | { ok: false; error: DomainError }> {
  try {
    return { ok: true, value: await getWorkflowForMilestone(db, { workflowId: doc.workflow.id, version: doc.workflow.version }) };
  } catch (err) {
    if (!(err instanceof UnknownWorkflowError)) throw err;
    return {
      ok: false,
      error: { code: 'refused', reason: 'unknown_workflow', status: 422, message: `${err.message}; migrate the milestone to a version that exists` },
    };
  }
}
