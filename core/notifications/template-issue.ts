import type { z } from 'zod';

/** Stable codes for what can be wrong with a message template. */
export type MessageTemplateIssueCode =
  | 'invalid-shape'
  | 'malformed-placeholder'
  | 'unknown-placeholder'
  | 'missing-placeholder'
  | 'variable-shadows-placeholder'
  | 'subject-required'
  | 'not-for-channel'
  | 'dlt-template-id-required'
  | 'sms-too-long';

/** One problem, with where it is (`whatsappTemplate.components[0].parameters[1].text`). */
export interface MessageTemplateIssue {
  readonly code: MessageTemplateIssueCode;
  readonly path: string;
  readonly message: string;
}

/** Renders a zod-style path as `components[0].parameters[1].text`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** Zod's issues as template issues. */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[]): MessageTemplateIssue[] {
  return issues.map((issue) => ({ code: 'invalid-shape', path: formatPath(issue.path), message: issue.message }));
}
