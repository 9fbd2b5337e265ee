import type { z } from 'zod';
import type { FieldIssue } from './domain-error.ts';

/** zod's issues as field issues, each at its dotted path under `prefix`. */
export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return { path: [prefix, path].filter(Boolean).join('.') || prefix || '(root)', message: issue.message, code: issue.code };
  });
}
