import type { DefinitionIssue } from './definition-result.ts';

/**
 * Issues for object keys neither store accepts (containing `.` or starting with `$`), which
 * free-form values such as a rule's `set` value or a condition's literal could carry.
 */
export function findUnstorableKeys(value: unknown, path = ''): DefinitionIssue[] {
  if (value === null || typeof value !== 'object') return [];
  const issues: DefinitionIssue[] = [];
  for (const [key, child] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (!Array.isArray(value) && (key.includes('.') || key.startsWith('$'))) {
      issues.push({ path: at, message: `object keys may not contain '.' or start with '$' ('${key}')`, code: 'unstorable_key' });
      continue;
    }
    issues.push(...findUnstorableKeys(child, at));
  }
  return issues;
}
