import {
  customFieldDefinitionSchema,
  validateCustomValues,
  type CustomFieldDefinition,
  type CustomValuesResult,
} from '../custom-fields/index.ts';
import { DuplicateKeyError, newId, type Page, type TenantStore } from '../store/index.ts';
import { customFieldsCollection, type CustomFieldDoc } from './collections.ts';
import { fail, invalid, ok, type DefinitionResult } from './definition-result.ts';
import { definitionFromDoc, getCustomFieldDefinitions } from './get-custom-field-definitions.ts';
import { issuesFromZod } from './issues-from-zod.ts';
import { mergePatch } from './merge-patch.ts';

/** Most definitions a tenant may hold for one kind of record. */
export const MAX_CUSTOM_FIELDS = 200;

/** A stored definition with its id and bookkeeping. */
export type CustomFieldView = CustomFieldDefinition & { id: string; version: number; createdAt: Date; updatedAt: Date };

const view = (doc: CustomFieldDoc): CustomFieldView => ({
  id: doc._id,
  ...definitionFromDoc(doc),
  version: doc.version,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

function validateDefinition(input: unknown): DefinitionResult<CustomFieldDefinition> {
  const parsed = customFieldDefinitionSchema.safeParse(input);
  return parsed.success ? ok(parsed.data) : invalid(issuesFromZod(parsed.error.issues));
}

const duplicate = (field: CustomFieldDefinition) =>
  fail<CustomFieldView>('already_exists', `a ${field.appliesTo} custom field with key '${field.key}' already exists`);

/** Stores a definition; its key must be new for its `appliesTo`. */
export async function createCustomField(db: TenantStore, input: unknown): Promise<DefinitionResult<CustomFieldView>> {
  const checked = validateDefinition(input);
  if (!checked.ok) return checked;
  const fields = db.collection(customFieldsCollection);
  if ((await fields.count({ appliesTo: checked.value.appliesTo })) >= MAX_CUSTOM_FIELDS) {
    return invalid([{ path: 'appliesTo', message: `a tenant may define at most ${MAX_CUSTOM_FIELDS} ${checked.value.appliesTo} fields` }]);
  }
  try {
    return ok(view(await fields.insert({ ...checked.value, _id: newId('cf') })));
  } catch (err) {
    if (err instanceof DuplicateKeyError) return duplicate(checked.value);
    throw err;
  }
}

export async function getCustomField(db: TenantStore, id: string): Promise<DefinitionResult<CustomFieldView>> {
  const doc = await db.collection(customFieldsCollection).findById(id);
  return doc ? ok(view(doc)) : fail('not_found', `no custom field '${id}'`);
}

/** Definitions in creation order, optionally for one kind of record. */
export async function listCustomFields(
  db: TenantStore,
  options: { appliesTo?: CustomFieldDefinition['appliesTo']; limit?: number; cursor?: string | null } = {},
): Promise<Page<CustomFieldView>> {
  const filter = options.appliesTo === undefined ? {} : { appliesTo: options.appliesTo };
  const page = await db.collection(customFieldsCollection).page(filter, { limit: options.limit ?? 50, cursor: options.cursor ?? null });
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/**
 * Changes a definition with a JSON merge patch, revalidated as a whole. `key` and `appliesTo`
 * stay: stored values are keyed by them, so a rename is a new field.
 */
export async function updateCustomField(
  db: TenantStore,
  id: string,
  changes: Record<string, unknown>,
  options: { expectedVersion?: number } = {},
): Promise<DefinitionResult<CustomFieldView>> {
  const fields = db.collection(customFieldsCollection);
  const doc = await fields.findById(id);
  if (!doc) return fail('not_found', `no custom field '${id}'`);
  const current = definitionFromDoc(doc);
  for (const fixed of ['key', 'appliesTo'] as const) {
    if (changes[fixed] !== undefined && changes[fixed] !== current[fixed]) {
      return invalid([{ path: fixed, message: `${fixed} cannot change, because stored values are keyed by it; define a new field instead` }]);
    }
  }
  const checked = validateDefinition(mergePatch(current, changes));
  if (!checked.ok) return checked;
  const next = checked.value as Record<string, unknown>;
  const removed = Object.keys(current).filter((field) => !(field in next));
  const updated = await fields.updateOne(
    { _id: id },
    { $set: next, ...(removed.length > 0 ? { $unset: Object.fromEntries(removed.map((field) => [field, true as const])) } : {}) },
    options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion },
  );
  return updated ? ok(view(updated)) : fail('not_found', `no custom field '${id}'`);
}

/**
 * Deletes a definition. Values already stored under its key stay on their records (nothing is
 * rewritten); writes that name the key are refused as unknown until a field with that key is
 * defined again, which makes the kept values valid once more.
 */
export async function deleteCustomField(db: TenantStore, id: string): Promise<boolean> {
  return db.collection(customFieldsCollection).deleteOne({ _id: id });
}

/** Validates values against the tenant's current definitions, as every milestone or project write does. */
export async function validateTenantCustomValues(
  db: TenantStore,
  appliesTo: CustomFieldDefinition['appliesTo'],
  values: unknown,
  options: { partial?: boolean } = {},
): Promise<CustomValuesResult> {
  const definitions = await getCustomFieldDefinitions(db, appliesTo);
  return validateCustomValues(values, definitions, { appliesTo, ...(options.partial === undefined ? {} : { partial: options.partial }) });
}
