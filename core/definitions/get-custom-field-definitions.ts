import type { CustomFieldDefinition } from '../custom-fields/index.ts';
import type { TenantStore } from '../store/index.ts';
import { customFieldsCollection, type CustomFieldDoc } from './collections.ts';

/** A stored definition without the store's bookkeeping. */
export function definitionFromDoc(doc: CustomFieldDoc): CustomFieldDefinition {
  const definition: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc)) if (!BOOKKEEPING.has(field)) definition[field] = value;
  return definition as CustomFieldDefinition;
}

const BOOKKEEPING = new Set(['_id', 'tenantId', 'version', 'createdAt', 'updatedAt']);

/**
 * The tenant's custom field definitions for milestones or projects, in key order, ready for
 * `validateCustomValues`.
 *
 * @example
 * const defs = await getCustomFieldDefinitions(db, 'milestone');
 * const checked = validateCustomValues(body.customFields ?? {}, defs, { appliesTo: 'milestone', partial: isPatch });
 */
export async function getCustomFieldDefinitions(db: TenantStore, appliesTo: 'milestone' | 'project'): Promise<CustomFieldDefinition[]> {
  const docs = await db.collection(customFieldsCollection).find({ appliesTo }, { sort: { key: 1 } });
  return docs.map(definitionFromDoc);
}
