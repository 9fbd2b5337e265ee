import { describe, expect, it } from 'vitest';
import { customFieldDefinitionSchema, customFieldDefinitionsSchema, validateCustomValues } from '../../core/custom-fields/index.ts';
import type { CustomFieldDefinition } from '../../core/custom-fields/index.ts';

const definitions: CustomFieldDefinition[] = customFieldDefinitionsSchema.parse([
  { key: 'siteArea', label: 'Site area (sq m)', type: 'number', min: 0, max: 1_000_000, appliesTo: 'milestone' },
  { key: 'floors', label: 'Floors', type: 'integer', min: 1, appliesTo: 'milestone' },
  { key: 'poNumber', label: 'PO number', type: 'string', pattern: '^PO-[0-9]{6}$', required: true, appliesTo: 'milestone' },
  { key: 'note', label: 'Note', type: 'string', maxLength: 10, appliesTo: 'milestone' },
  { key: 'retention', label: 'Retention held', type: 'boolean', appliesTo: 'milestone' },
  { key: 'inspection', label: 'Inspection date', type: 'date', appliesTo: 'milestone' },
  { key: 'zone', label: 'Zone', type: 'enum', enumValues: ['north', 'south'], appliesTo: 'milestone' },
  { key: 'siteEngineer', label: 'Site engineer email', type: 'email', appliesTo: 'milestone' },
  { key: 'drawings', label: 'Drawings', type: 'url', appliesTo: 'milestone' },
  { key: 'contact', label: 'Site contact', type: 'phone', appliesTo: 'milestone' },
  { key: 'sanctionNo', label: 'Sanction number', type: 'string', required: true, appliesTo: 'project' },
]);

const valid = {
  siteArea: 1250.5,
  floors: 4,
  poNumber: ' PO-004512 ',
  note: 'ok',
  retention: true,
  inspection: '2025-03-14',
  zone: 'south',
  siteEngineer: 'priya@example.in',
  drawings: 'https://files.example.in/d/42',
  contact: '098765 43210',
};

function check(values: unknown, options: { partial?: boolean; appliesTo?: 'milestone' | 'project' } = {}) {
  return validateCustomValues(values, definitions, { appliesTo: options.appliesTo ?? 'milestone', partial: options.partial ?? false });
}

function issues(values: unknown, options?: { partial?: boolean }) {
  const result = check(values, options);
  return result.ok ? [] : result.error.issues.map((i) => [i.path, i.code]);
}

describe('validateCustomValues', () => {
  it('accepts valid values of every type and normalises them', () => {
    expect(check(valid)).toEqual({ ok: true, value: { ...valid, poNumber: 'PO-004512', contact: '+919876543210' } });
  });

  it('reports every bad field at its own path', () => {
    expect(
      issues({
        ...valid,
        siteArea: -1,
        floors: 2.5,
        poNumber: 'PO-12',
        note: 'far too long for this',
        retention: 'yes',
        inspection: '2025-02-30',
        zone: 'east',
        siteEngineer: 'priya@',
        drawings: 'javascript:alert(1)',
        contact: '12345',
      }),
    ).toEqual([
      ['customFields.siteArea', 'too_small'],
      ['customFields.floors', 'invalid_type'],
      ['customFields.poNumber', 'pattern_mismatch'],
      ['customFields.note', 'too_long'],
      ['customFields.retention', 'invalid_type'],
      ['customFields.inspection', 'invalid_type'],
      ['customFields.zone', 'not_in_enum'],
      ['customFields.siteEngineer', 'invalid_format'],
      ['customFields.drawings', 'invalid_format'],
      ['customFields.contact', 'invalid_format'],
    ]);
  });

  it('rejects unknown keys, including fields defined for the other record kind', () => {
    expect(issues({ ...valid, colour: 'red', sanctionNo: 'S-1' })).toEqual([
      ['customFields.colour', 'unknown_field'],
      ['customFields.sanctionNo', 'unknown_field'],
    ]);
    expect(check({ sanctionNo: 'S-1' }, { appliesTo: 'project' })).toEqual({ ok: true, value: { sanctionNo: 'S-1' } });
  });

  it('enforces required fields, except absent ones in a partial update', () => {
    const { poNumber: _omitted, ...withoutPo } = valid;
    expect(issues(withoutPo)).toEqual([['customFields.poNumber', 'required']]);
    expect(check({ floors: 3 }, { partial: true })).toEqual({ ok: true, value: { floors: 3 } });
    expect(issues({ poNumber: null }, { partial: true })).toEqual([['customFields.poNumber', 'required']]);
  });

  it('lets null clear an optional field', () => {
    expect(check({ floors: null }, { partial: true })).toEqual({ ok: true, value: { floors: null } });
  });

  it('checks number bounds, integers and non-finite values', () => {
    expect(issues({ ...valid, siteArea: 2_000_000 })).toEqual([['customFields.siteArea', 'too_large']]);
    expect(issues({ ...valid, siteArea: Number.NaN })).toEqual([['customFields.siteArea', 'invalid_type']]);
    expect(issues({ ...valid, floors: 0 })).toEqual([['customFields.floors', 'too_small']]);
    expect(issues({ ...valid, siteArea: '12' })).toEqual([['customFields.siteArea', 'invalid_type']]);
  });

  it('normalises Indian and international phone numbers', () => {
    const phone = (contact: string) => {
      const result = check({ ...valid, contact });
      return result.ok ? result.value.contact : undefined;
    };
    expect(phone('+91 98765-43210')).toBe('+919876543210');
    expect(phone('9876543210')).toBe('+919876543210');
    expect(phone('080 2345 6789')).toBe('+918023456789');
    expect(phone('+44 20 7946 0958')).toBe('+442079460958');
    expect(phone('+0 123')).toBeUndefined();
  });

  it('refuses a values object that is not an object', () => {
    expect(issues(['a'])).toEqual([['customFields', 'not_an_object']]);
    expect(issues(null)).toEqual([['customFields', 'not_an_object']]);
  });

  it('uses the caller’s path prefix', () => {
    const result = validateCustomValues({ floors: 'x' }, definitions, { appliesTo: 'milestone', path: 'milestones.3.customFields', partial: true });
    expect(result.ok || result.error.issues[0]?.path).toBe('milestones.3.customFields.floors');
  });
});

describe('custom field definitions', () => {
  it('refuses options that do not fit the type', () => {
    const base = { key: 'x', label: 'X', appliesTo: 'milestone' } as const;
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'enum' }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'string', enumValues: ['a'] }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'enum', enumValues: ['a', 'a'] }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'string', min: 1 }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'number', min: 5, max: 1 }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'number', pattern: '\\d' }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'string', pattern: '(a+)+' }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, type: 'boolean', maxLength: 3 }).success).toBe(false);
    expect(customFieldDefinitionSchema.safeParse({ ...base, key: 'Site Area', type: 'string' }).success).toBe(false);
  });

  it('refuses a key defined twice for the same record kind', () => {
    const field = { key: 'x', label: 'X', type: 'string', appliesTo: 'milestone' };
    expect(customFieldDefinitionsSchema.safeParse([field, field]).success).toBe(false);
    expect(customFieldDefinitionsSchema.safeParse([field, { ...field, appliesTo: 'project' }]).success).toBe(true);
  });
});
