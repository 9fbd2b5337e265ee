import { z } from 'zod';
import { compileSafePattern } from '../workflow/index.ts';

/** The value types a custom field can hold. */
export const CUSTOM_FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date', 'enum', 'email', 'url', 'phone'] as const;

/** One of {@link CUSTOM_FIELD_TYPES}. */
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

const NUMERIC = new Set<CustomFieldType>(['number', 'integer']);
const LENGTH_LIMITED = new Set<CustomFieldType>(['string', 'email', 'url']);

/**
 * A tenant-defined field. `min`/`max` bound numbers, `pattern` (a regular expression that
 * must match) and `maxLength` bound text, `enumValues` lists the choices of an `enum`.
 */
export const customFieldDefinitionSchema = z
  .object({
    key: z.string().regex(/^[a-z][A-Za-z0-9_]{0,63}$/, 'keys look like siteArea: a lower-case letter, then letters, digits or _'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    required: z.boolean().optional(),
    enumValues: z.array(z.string().min(1).max(100)).min(1).max(200).optional(),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    pattern: z.string().min(1).optional(),
    maxLength: z.number().int().positive().max(100_000).optional(),
    appliesTo: z.enum(['milestone', 'project']),
  })
  .strict()
  .superRefine((field, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (field.type === 'enum' && !field.enumValues) issue('enumValues', 'an enum field needs enumValues');
    if (field.type !== 'enum' && field.enumValues) issue('enumValues', 'only enum fields take enumValues');
    if (field.enumValues && new Set(field.enumValues).size !== field.enumValues.length) issue('enumValues', 'enumValues repeat a value');
    if (!NUMERIC.has(field.type) && (field.min !== undefined || field.max !== undefined)) {
      issue(field.min !== undefined ? 'min' : 'max', 'only number and integer fields take min and max');
    }
    if (field.min !== undefined && field.max !== undefined && field.min > field.max) issue('min', 'min is greater than max');
    if (field.pattern !== undefined) {
      if (field.type !== 'string') issue('pattern', 'only string fields take a pattern');
      const compiled = compileSafePattern(field.pattern);
      if (!compiled.ok) issue('pattern', compiled.error.message);
    }
    if (field.maxLength !== undefined && !LENGTH_LIMITED.has(field.type)) {
      issue('maxLength', 'only string, email and url fields take maxLength');
    }
  });

/** A list of definitions: keys are unique per `appliesTo`. */
export const customFieldDefinitionsSchema = z.array(customFieldDefinitionSchema).max(200).superRefine((fields, ctx) => {
  const seen = new Set<string>();
  fields.forEach((field, i) => {
    const key = `${field.appliesTo}:${field.key}`;
    if (seen.has(key)) {
      ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `'${field.key}' is defined twice for ${field.appliesTo}` });
    }
    seen.add(key);
  });
});

/** A validated custom field definition. */
export type CustomFieldDefinition = z.infer<typeof customFieldDefinitionSchema>;
