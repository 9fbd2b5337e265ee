/** One problem in a definition, located by a dotted path (`transitions.3.to`). */
export interface DefinitionIssue {
  path: string;
  message: string;
  code?: string;
}

/** Why a definition could not be read or written. */
export type DefinitionError =
  | { code: 'not_found'; message: string }
  | { code: 'already_exists'; message: string }
  /** Shipped and built-in definitions cannot change; copy them instead. */
  | { code: 'read_only'; message: string }
  /** The definition document is invalid; `issues` say where. */
  | { code: 'invalid_definition'; message: string; issues: DefinitionIssue[] }
  /** The request's options (a preview's dates or scale, a simulation's start state) are invalid. */
  | { code: 'invalid_options'; message: string; issues: DefinitionIssue[] };

/** The outcome of every definition operation that can fail for the caller's reasons. */
export type DefinitionResult<T> = { ok: true; value: T } | { ok: false; error: DefinitionError };

export const ok = <T>(value: T): DefinitionResult<T> => ({ ok: true, value });

export const fail = <T = never>(code: 'not_found' | 'already_exists' | 'read_only', message: string): DefinitionResult<T> => ({
  ok: false,
  error: { code, message },
});

/** A failure listing issues; the message summarises the first. */
export function invalid<T = never>(issues: DefinitionIssue[], code: 'invalid_definition' | 'invalid_options' = 'invalid_definition'): DefinitionResult<T> {
  const first = issues[0];
  const summary = first ? `${first.path || '(root)'}: ${first.message}` : 'invalid definition';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { ok: false, error: { code, message: summary + more, issues } };
}
