import raw from './default-workflow.json' with { type: 'json' };
import { parseWorkflow } from './parse-workflow.ts';
import type { Workflow } from './workflow-schema.ts';

function loadDefaultWorkflow(): Workflow {
  const parsed = parseWorkflow(raw);
  // The file ships with the code, so a failure here is a bug, caught by the first test run.
  if (!parsed.ok) throw new Error(`default-workflow.json is invalid: ${parsed.error.message}`);
  return deepFreeze(parsed.value.workflow);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * The workflow a tenant gets until it defines its own: planned → in_progress → submitted →
 * verified → invoiced → paid, with on_hold, disputed and cancelled. Frozen; copy it to edit.
 */
export const DEFAULT_WORKFLOW: Workflow = loadDefaultWorkflow();
