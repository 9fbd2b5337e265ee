import type { FieldMapping, FieldOwner, MappingDirection } from './mapping-spec-schema.ts';

/**
 * The owner that applies to a field: its own `owner`, else `hub` for `out` specs, `remote` for
 * `in` specs and `newest` for `both` specs (two-way means either side may edit).
 */
export function effectiveOwner(direction: MappingDirection, field: Pick<FieldMapping, 'owner'>): FieldOwner {
  if (field.owner !== undefined) return field.owner;
  if (direction === 'out') return 'hub';
  if (direction === 'in') return 'remote';
  return 'newest';
}
