import { isIsoDate } from '../schedule/index.ts';
import { compileSafePattern } from '../workflow/index.ts';
import type { CustomFieldDefinition } from './custom-field-definition.ts';

/** Longest text any field accepts when its definition sets no `maxLength`. */
export const DEFAULT_MAX_TEXT_LENGTH = 10_000;

/** One field's problem. `path` is ready for an API error (`customFields.siteArea`). */
export interface CustomValueIssue {
  path: string;
  code:
    | 'not_an_object'
    | 'unknown_field'
    | 'required'
    | 'invalid_type'
    | 'too_small'
    | 'too_large'
    | 'too_long'
    | 'pattern_mismatch'
    | 'not_in_enum'
    | 'invalid_format';
  message: string;
}

/** The outcome of {@link validateCustomValues}. */
export type CustomValuesResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; error: { code: 'invalid_custom_fields'; message: string; issues: CustomValueIssue[] } };

type FieldCheck = { ok: true; value: unknown } | { ok: false; code: CustomValueIssue['code']; message: string };

/**
 * Validates custom field values against a tenant's definitions for one kind of record and
 * returns them normalised (trimmed text, phone numbers in E.164). Every problem is reported,
 * each at its own path. Unknown keys are refused. `null` clears an optional field. With
 * `partial` (a PATCH), absent required fields are not reported; clearing them still is.
 *
 * @example
 * validateCustomValues({ siteArea: -5 }, definitions, { appliesTo: 'milestone' })
 * // { ok: false, error: { issues: [{ path: 'customFields.siteArea', code: 'too_small', ... }] } }
 */
export function validateCustomValues(
  values: unknown,
  definitions: readonly CustomFieldDefinition[],
  options: { appliesTo: CustomFieldDefinition['appliesTo']; path?: string; partial?: boolean },
): CustomValuesResult {
  const { appliesTo, path = 'customFields', partial = false } = options;
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    return invalid([{ path, code: 'not_an_object', message: 'custom fields must be an object of key → value' }]);
  }
  const record = values as Record<string, unknown>;
  const fields = new Map(definitions.filter((d) => d.appliesTo === appliesTo).map((d) => [d.key, d]));
  const issues: CustomValueIssue[] = [];
  const out: Record<string, unknown> = {};

  for (const key of Object.keys(record)) {
    if (fields.has(key)) continue;
    issues.push({ path: `${path}.${key}`, code: 'unknown_field', message: `no custom field '${key}' is defined for ${appliesTo}s` });
  }
  for (const [key, field] of fields) {
    const fieldPath = `${path}.${key}`;
    const present = Object.hasOwn(record, key) && record[key] !== undefined;
    const value = record[key];
    if (!present || value === null) {
      if (field.required && (value === null || !partial)) {
        issues.push({ path: fieldPath, code: 'required', message: `${field.label} is required` });
      } else if (value === null) {
        out[key] = null;
      }
      continue;
    }
    const checked = checkField(field, value);
    if (checked.ok) out[key] = checked.value;
    else issues.push({ path: fieldPath, code: checked.code, message: `${field.label}: ${checked.message}` });
  }
  return issues.length > 0 ? invalid(issues) : { ok: true, value: out };
}

function invalid(issues: CustomValueIssue[]): CustomValuesResult {
  const first = issues[0] as CustomValueIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { ok: false, error: { code: 'invalid_custom_fields', message: `${first.path}: ${first.message}${more}`, issues } };
}

function checkField(field: CustomFieldDefinition, value: unknown): FieldCheck {
  switch (field.type) {
    case 'string':
      return checkText(field, value);
    case 'number':
    case 'integer':
      return checkNumber(field, value);
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : wrongType('true or false');
    case 'date':
      return isIsoDate(value) ? { ok: true, value } : wrongType('a date written YYYY-MM-DD');
    case 'enum':
      if (typeof value !== 'string') return wrongType('one of the listed choices');
      return field.enumValues?.includes(value)
        ? { ok: true, value }
        : { ok: false, code: 'not_in_enum', message: `must be one of ${(field.enumValues ?? []).join(', ')}` };
    case 'email':
      return checkEmail(field, value);
    case 'url':
      return checkUrl(field, value);
    case 'phone':
      return checkPhone(value);
  }
}

function wrongType(expected: string): FieldCheck {
  return { ok: false, code: 'invalid_type', message: `must be ${expected}` };
}

function checkLength(field: CustomFieldDefinition, text: string): FieldCheck | undefined {
  const limit = field.maxLength ?? DEFAULT_MAX_TEXT_LENGTH;
  return text.length > limit ? { ok: false, code: 'too_long', message: `must be at most ${limit} characters` } : undefined;
}

function checkText(field: CustomFieldDefinition, value: unknown): FieldCheck {
  if (typeof value !== 'string') return wrongType('text');
  const text = value.trim();
  const tooLong = checkLength(field, text);
  if (tooLong) return tooLong;
  if (field.pattern !== undefined) {
    const compiled = compileSafePattern(field.pattern);
    // Definitions are validated when saved; a pattern that no longer compiles refuses values.
    if (!compiled.ok || !compiled.value.test(text)) {
      return { ok: false, code: 'pattern_mismatch', message: 'does not have the expected format' };
    }
  }
  return { ok: true, value: text };
}

function checkNumber(field: CustomFieldDefinition, value: unknown): FieldCheck {
  if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType('a number');
  if (field.type === 'integer' && !Number.isSafeInteger(value)) return wrongType('a whole number');
  if (field.min !== undefined && value < field.min) return { ok: false, code: 'too_small', message: `must be at least ${field.min}` };
  if (field.max !== undefined && value > field.max) return { ok: false, code: 'too_large', message: `must be at most ${field.max}` };
  return { ok: true, value };
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function checkEmail(field: CustomFieldDefinition, value: unknown): FieldCheck {
  if (typeof value !== 'string') return wrongType('an email address');
  const email = value.trim();
  const tooLong = checkLength(field, email);
  if (tooLong) return tooLong;
  return EMAIL.test(email) && email.length <= 254
    ? { ok: true, value: email }
    : { ok: false, code: 'invalid_format', message: 'must be an email address like name@example.in' };
}

function checkUrl(field: CustomFieldDefinition, value: unknown): FieldCheck {
  if (typeof value !== 'string') return wrongType('a web address');
  const text = value.trim();
  const tooLong = checkLength(field, text);
  if (tooLong) return tooLong;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: 'invalid_format', message: 'must be a web address starting with https://' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, code: 'invalid_format', message: 'must be an http or https address' };
  }
  return { ok: true, value: text };
}

// Stored in E.164. Without a country code, 10 digits (or 0 and 10 digits) are an Indian mobile
// or an STD-coded landline, which is how Indian numbers are usually written.
function checkPhone(value: unknown): FieldCheck {
  if (typeof value !== 'string') return wrongType('a phone number');
  const compact = value.trim().replace(/[\s\-().]/g, '');
  const bad: FieldCheck = { ok: false, code: 'invalid_format', message: 'must be a phone number like +91 98765 43210' };
  if (compact.startsWith('+')) return /^\+[1-9]\d{7,14}$/.test(compact) ? { ok: true, value: compact } : bad;
  if (/^[1-9]\d{9}$/.test(compact)) return { ok: true, value: `+91${compact}` };
  if (/^0[1-9]\d{9}$/.test(compact)) return { ok: true, value: `+91${compact.slice(1)}` };
  return bad;
}
