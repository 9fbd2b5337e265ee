/** One field's problem, ready for an API error list. */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

/**
 * An expected failure of a domain operation. `code` decides the answer:
 * - `not_found`: the resource does not exist for this tenant (or is hidden from the caller);
 * - `invalid`: the input breaks a rule; `issues` lists every field at fault;
 * - `conflict`: the request clashes with the current state (a duplicate, a dependent record);
 * - `version_conflict`: `expectedVersion` is stale; `currentVersion` says what it is now;
 * - `refused`: a workflow, dependency, verification or business rule refuses a transition;
 *   `reason` is the refusal code and `status` says 409 or 422;
 * - `forbidden`: the actor may not do this (not the approver of the current step).
 */
export type DomainError =
  | { code: 'not_found'; message: string }
  | { code: 'invalid'; message: string; issues: FieldIssue[]; details?: Record<string, unknown> }
  | { code: 'conflict'; message: string; details?: Record<string, unknown> }
  | { code: 'version_conflict'; message: string; currentVersion: number }
  | { code: 'refused'; message: string; reason: string; status: 409 | 422; details?: Record<string, unknown> }
  | { code: 'forbidden'; message: string };

/** The outcome of a domain operation. */
export type DomainResult<T> = { ok: true; value: T } | { ok: false; error: DomainError };

/** A success. */
export function succeed<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** A failure. */
export function failWith(error: DomainError): { ok: false; error: DomainError } {
  return { ok: false, error };
}

/** A not-found failure naming the kind of thing. */
export function notFound(what: string): { ok: false; error: DomainError } {
  return { ok: false, error: { code: 'not_found', message: `No such ${what}` } };
}

/** An `invalid` failure; the message names the first issue and how many more there are. */
export function invalid(issues: FieldIssue[], details?: Record<string, unknown>): { ok: false; error: DomainError } {
  const first = issues[0];
  const message = first
    ? `${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`
    : 'The input is not valid';
  return { ok: false, error: { code: 'invalid', message, issues, ...(details ? { details } : {}) } };
}
