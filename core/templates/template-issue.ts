/**
 * Stable codes for everything that can be wrong with a template, a regional overlay or the
 * options given to expand or plan one.
 */
export type TemplateIssueCode =
  | 'invalid-shape'
  | 'duplicate-key'
  | 'unknown-dependency'
  | 'dependency-cycle'
  | 'payment-total'
  | 'optional-payment'
  | 'missing-tax-details'
  | 'invalid-repeat'
  | 'invalid-anchor'
  | 'duplicate-region'
  | 'invalid-option'
  | 'too-large'
  | 'date-out-of-range';

/** One problem, with where it is (`phases[1].milestones[0].dependsOn[0].key`) and what to do. */
export interface TemplateIssue {
  readonly code: TemplateIssueCode;
  readonly path: string;
  readonly message: string;
}

/** The failing side of every result in this module. */
export interface TemplateFailure {
  readonly ok: false;
  readonly errors: readonly TemplateIssue[];
}

/** Renders a zod-style path as `phases[1].milestones[0].key`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Receives the issues a rule check finds; paths are relative to the value being checked. */
export type ReportIssue = (issue: { code: TemplateIssueCode; path: readonly PropertyKey[]; message: string }) => void;
