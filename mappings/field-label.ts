import type { FieldMapping } from './mapping-spec-schema.ts';

/** Names a field the way admins see it in messages: `title ↔ fields.summary`. */
export function label(field: Pick<FieldMapping, 'hub' | 'remote'>): string {
  return `${field.hub} ↔ ${field.remote}`;
}
