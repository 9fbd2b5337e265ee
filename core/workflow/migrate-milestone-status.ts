import type { StateCategory } from './state-category.ts';
import type { Workflow } from './workflow-schema.ts';

/** Why a status cannot move to the new workflow version. */
export type StatusMigrationError =
  | { code: 'unknown_state'; message: string; state: string }
  | { code: 'invalid_mapping'; message: string; from: string; to: string }
  | { code: 'no_counterpart'; message: string; states: string[] };

/** Where a status lands in the new version. */
export interface MigratedStatus {
  from: string;
  to: string;
  changed: boolean;
  /** True when the category differs, which changes how dependencies and reports read it. */
  categoryChanged: boolean;
  fromCategory: StateCategory;
  toCategory: StateCategory;
}

/**
 * Builds the complete state mapping from one workflow version to another: explicit entries
 * first, otherwise the state with the same id. Fails listing every old state without a
 * counterpart, so an admin can fix the mapping in one go before any milestone moves.
 *
 * @example buildStatusMapping(v1, v2, { on_hold: 'paused' }) // { ok: true, value: { planned: 'planned', on_hold: 'paused', ... } }
 */
export function buildStatusMapping(
  from: Workflow,
  to: Workflow,
  mapping: Readonly<Record<string, string>> = {},
): { ok: true; value: Record<string, string> } | { ok: false; error: StatusMigrationError } {
  const oldIds = new Set(from.states.map((s) => s.id));
  const newIds = new Set(to.states.map((s) => s.id));
  for (const [source, target] of Object.entries(mapping)) {
    if (!oldIds.has(source)) {
      const message = `'${source}' is not a state of ${describe(from)}`;
      return { ok: false, error: { code: 'unknown_state', state: source, message } };
    }
    if (!newIds.has(target)) {
      const message = `'${source}' maps to '${target}', which is not a state of ${describe(to)}`;
      return { ok: false, error: { code: 'invalid_mapping', from: source, to: target, message } };
    }
  }
  const complete: Record<string, string> = {};
  const missing: string[] = [];
  for (const state of from.states) {
    const target = Object.hasOwn(mapping, state.id) ? mapping[state.id] : newIds.has(state.id) ? state.id : undefined;
    if (target === undefined) missing.push(state.id);
    else complete[state.id] = target;
  }
  if (missing.length > 0) {
    return {
      ok: false,
      error: {
        code: 'no_counterpart',
        states: missing,
        message: `${describe(to)} has no state for ${missing.map((s) => `'${s}'`).join(', ')}; map them explicitly`,
      },
    };
  }
  return { ok: true, value: complete };
}

/**
 * Maps one milestone's status from workflow version N to version M.
 *
 * @example migrateMilestoneStatus({ from: v1, to: v2, status: 'on_hold', mapping: { on_hold: 'paused' } })
 * // { ok: true, value: { from: 'on_hold', to: 'paused', changed: true, ... } }
 */
export function migrateMilestoneStatus(input: {
  from: Workflow;
  to: Workflow;
  status: string;
  mapping?: Readonly<Record<string, string>>;
}): { ok: true; value: MigratedStatus } | { ok: false; error: StatusMigrationError } {
  const { from, to, status, mapping = {} } = input;
  const oldState = from.states.find((s) => s.id === status);
  if (!oldState) {
    const message = `'${status}' is not a state of ${describe(from)}`;
    return { ok: false, error: { code: 'unknown_state', state: status, message } };
  }
  const target = Object.hasOwn(mapping, status) ? mapping[status] : status;
  const newState = to.states.find((s) => s.id === target);
  if (!newState) {
    if (Object.hasOwn(mapping, status)) {
      const message = `'${status}' maps to '${target}', which is not a state of ${describe(to)}`;
      return { ok: false, error: { code: 'invalid_mapping', from: status, to: String(target), message } };
    }
    const message = `${describe(to)} has no state '${status}'; map it explicitly`;
    return { ok: false, error: { code: 'no_counterpart', states: [status], message } };
  }
  return {
    ok: true,
    value: {
      from: status,
      to: newState.id,
      changed: newState.id !== status,
      categoryChanged: newState.category !== oldState.category,
      fromCategory: oldState.category,
      toCategory: newState.category,
    },
  };
}

function describe(workflow: Workflow): string {
  return `workflow '${workflow.id}' v${workflow.version}`;
}
