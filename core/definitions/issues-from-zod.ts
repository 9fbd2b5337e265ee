import type { z } from 'zod';
import type { DefinitionIssue } from './definition-result.ts';

type ZodIssue = z.core.$ZodIssue;

/**
 * Turns zod issues into located issues. A failed union (a condition node, a rule action) is
 * replaced by the issues of the branch that came closest, so an unknown operator reads as
 * "operator: Invalid option ..." at the leaf rather than "Invalid input" at the group.
 */
export function issuesFromZod(issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] as ZodIssue[];
      out.push(...issuesFromZod(closest, path));
      continue;
    }
    out.push({ path: path.map(String).join('.'), message: issue.message, code: issue.code });
  }
  return out;
}
