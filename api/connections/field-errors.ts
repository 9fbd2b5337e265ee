import type { SettingIssue } from '../../connectors/index.ts';
import type { FieldError } from '../errors/index.ts';

/** Setting issues as field errors under a body key: `config.objects.invoices.path`. */
export function fieldErrors(prefix: string, issues: readonly SettingIssue[]): FieldError[] {
  return issues.map((i) => ({ path: i.path === '' ? prefix : i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`, message: i.message, code: i.code }));
}
