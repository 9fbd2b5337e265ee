import type { z } from 'zod';
import { issuePath } from './issue-path.ts';
import type { MappingIssue } from './mapping-issue.ts';

/** Turns zod's issues into mapping issues with `fields[3].toRemote`-style paths. */
export function zodIssues(error: z.ZodError): MappingIssue[] {
  return error.issues.map((issue) => ({
    path: issuePath(issue.path),
    code: 'invalid_shape' as const,
    message: issue.message,
  }));
}
