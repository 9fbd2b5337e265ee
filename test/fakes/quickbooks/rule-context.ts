import type { Company } from './company.ts';

/** What a per-entity rule needs to validate and complete one write. */
export interface RuleContext {
  company: Company;
  now: number;
  /** Id of the entity being updated; absent on create. */
  selfId?: string;
  allowDuplicateDocNum: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function refValue(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const v = value.value;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}
