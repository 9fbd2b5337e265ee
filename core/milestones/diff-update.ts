import { fieldDiff, type FieldChange } from '../audit/index.ts';
import type { Update } from '../store/index.ts';

const IGNORE = ['version', 'updatedAt', 'outbox', 'revision', '_id', 'tenantId', 'createdAt'];

/**
 * The field changes from `before` to `next`, and the `$set`/`$unset` that write them (whole
 * top-level fields, so nested maps are replaced, never merged by the store).
 */
export function diffUpdate(before: object, next: object): { changes: FieldChange[]; update: Update } {
  const changes = fieldDiff(before as Record<string, unknown>, next as Record<string, unknown>, { ignore: IGNORE });
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, true> = {};
  for (const key of new Set(changes.map((c) => c.path.split('.')[0]!))) {
    const value = (next as Record<string, unknown>)[key];
    if (value === undefined) $unset[key] = true;
    else $set[key] = value;
  }
  const update: Update = {};
  if (Object.keys($set).length > 0) update.$set = $set;
  if (Object.keys($unset).length > 0) update.$unset = $unset;
  return { changes, update };
}
