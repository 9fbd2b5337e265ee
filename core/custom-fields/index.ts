export { CUSTOM_FIELD_TYPES, customFieldDefinitionSchema, customFieldDefinitionsSchema } from './custom-field-definition.ts';
export type { CustomFieldDefinition, CustomFieldType } from './custom-field-definition.ts';
export { DEFAULT_MAX_TEXT_LENGTH, validateCustomValues } from './validate-custom-values.ts';
export type { CustomValueIssue, CustomValuesResult } from './validate-custom-values.ts';
