import type { z } from 'zod';
import { formatIssuePath } from './template-issue.ts';
import type { TemplateIssue, TemplateIssueCode } from './template-issue.ts';

/** Turns zod's issues into template issues; rule checks carry their own code in `params.code`. */
export function issuesFromZod(issues: readonly z.core.$ZodIssue[]): TemplateIssue[] {
  return issues.map((issue) => {
    const params = issue.code === 'custom' ? (issue.params as { code?: TemplateIssueCode } | undefined) : undefined;
    return { code: params?.code ?? 'invalid-shape', path: formatIssuePath(issue.path), message: issue.message };
  });
}
