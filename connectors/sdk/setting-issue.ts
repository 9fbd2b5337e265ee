import type { z } from 'zod';

/** One problem with a config or credentials value, located by a dotted path (`objects.invoices.path`). */
export interface SettingIssue {
  path: string;
  message: string;
  code: string;
}

/** A parsed setting, or every problem with it. */
export type SettingResult<T> = { ok: true; value: T } | { ok: false; issues: SettingIssue[] };

/** `objects.invoices.fields[0]`-style path of a zod issue. */
export function issuePathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Zod issues as setting issues, unions unfolded into their most specific branch messages. */
export function settingIssues(error: z.ZodError): SettingIssue[] {
  return error.issues.map((issue) => ({ path: issuePathOf(issue.path), message: issue.message, code: issue.code }));
}

/**
 * Keys that both stores refuse (`.` anywhere, `$` first) and prototype keys, anywhere in a value
 * meant for storage. Maps with arbitrary keys belong in arrays of pairs.
 */
export function unstorableKeys(value: unknown, at = ''): SettingIssue[] {
  const issues: SettingIssue[] = [];
  const visit = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${path}[${i}]`));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const [key, child] of Object.entries(v)) {
      const here = path === '' ? key : `${path}.${key}`;
      if (key.includes('.') || key.startsWith('$') || key === '__proto__' || key === 'constructor' || key === 'prototype') {
        issues.push({ path: here, code: 'invalid_key', message: `the key "${key}" cannot be stored: keys may not contain "." or start with "$"` });
      } else {
        visit(child, here);
      }
    }
  };
  visit(value, at);
  return issues;
}
