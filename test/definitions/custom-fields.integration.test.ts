import { describe, expect, it } from 'vitest';
import { getCustomFieldDefinitions } from '../../core/definitions/index.ts';
import { testApp } from '../helpers/test-services.ts';
import { keyWithRole } from './definitions-fixtures.ts';

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string; code?: string }[] };
type FieldOut = { id: string; key: string; label: string; type: string; appliesTo: string; version: number; pattern?: string; required?: boolean };
type Validation = { valid: boolean; values?: Record<string, unknown>; errors?: { path: string; code: string; message: string }[] };

const siteArea = { key: 'siteArea', label: 'Site area', type: 'number', min: 0, max: 100000, appliesTo: 'milestone', required: true };
const poNumber = { key: 'poNumber', label: 'PO number', type: 'string', pattern: '^PO-[0-9]{6}$', appliesTo: 'milestone' };
const contact = { key: 'sitePhone', label: 'Site phone', type: 'phone', appliesTo: 'milestone' };

async function setup() {
  const t = testApp();
  const acme = await t.tenant('acme');
  return { ...t, key: acme.key, tenantId: acme.id };
}

describe('custom fields', () => {
  it('creates, reads, lists, changes and deletes definitions', async () => {
    const { call, key, services, tenantId } = await setup();
    const created = await call('POST', '/v1/custom-fields', { key, body: siteArea });
    expect(created.status).toBe(201);
    const field = (await created.json()) as FieldOut;
    expect(field).toMatchObject({ ...siteArea, version: 1 });
    expect(field.id).toMatch(/^cf_/);
    await call('POST', '/v1/custom-fields', { key, body: poNumber });
    await call('POST', '/v1/custom-fields', { key, body: { ...siteArea, appliesTo: 'project', required: false } });

    expect(await (await call('GET', `/v1/custom-fields/${field.id}`, { key })).json()).toMatchObject(siteArea);
    const all = (await (await call('GET', '/v1/custom-fields', { key })).json()) as { items: FieldOut[] };
    expect(all.items.map((f) => `${f.appliesTo}:${f.key}`)).toEqual(['milestone:siteArea', 'milestone:poNumber', 'project:siteArea']);
    const projects = (await (await call('GET', '/v1/custom-fields?appliesTo=project', { key })).json()) as { items: FieldOut[] };
    expect(projects.items.map((f) => f.key)).toEqual(['siteArea']);

    const defs = await getCustomFieldDefinitions(services.store.forTenant(tenantId), 'milestone');
    expect(defs).toEqual([poNumber, siteArea]);

    const relabelled = await call('PATCH', `/v1/custom-fields/${field.id}`, { key, body: { label: 'Built-up area', max: null, version: 1 } });
    expect(relabelled.status).toBe(200);
    const after = (await relabelled.json()) as FieldOut & { max?: number };
    expect(after).toMatchObject({ label: 'Built-up area', version: 2 });
    expect(after).not.toHaveProperty('max');

    expect((await call('DELETE', `/v1/custom-fields/${field.id}`, { key })).status).toBe(204);
    expect((await call('GET', `/v1/custom-fields/${field.id}`, { key })).status).toBe(404);
    expect((await call('DELETE', `/v1/custom-fields/${field.id}`, { key })).status).toBe(404);
  });

  it('keeps keys unique per tenant and appliesTo with 409', async () => {
    const { call, key } = await setup();
    expect((await call('POST', '/v1/custom-fields', { key, body: siteArea })).status).toBe(201);
    const dup = await call('POST', '/v1/custom-fields', { key, body: { ...siteArea, label: 'Again', type: 'integer' } });
    expect(dup.status).toBe(409);
    expect(((await dup.json()) as Problem).detail).toMatch(/siteArea/);
    expect((await call('POST', '/v1/custom-fields', { key, body: { ...siteArea, appliesTo: 'project' } })).status).toBe(201);
  });

  it('refuses invalid definitions with 422 located issues', async () => {
    const { call, key } = await setup();
    const post = async (body: unknown) => (await call('POST', '/v1/custom-fields', { key, body })).json() as Promise<Problem>;
    const unsafe = await post({ ...poNumber, pattern: '(a+)+$' });
    expect(unsafe).toMatchObject({ status: 422, code: 'unprocessable' });
    expect(unsafe.errors?.[0]?.path).toBe('body.pattern');
    expect((await post({ ...poNumber, pattern: '[unclosed' })).errors?.[0]?.path).toBe('body.pattern');
    expect((await post({ key: 'stage', label: 'Stage', type: 'enum', appliesTo: 'milestone' })).errors?.[0]?.path).toBe('body.enumValues');
    expect((await post({ ...siteArea, min: 10, max: 1 })).errors?.[0]?.path).toBe('body.min');
    expect((await post({ ...siteArea, key: 'Site Area' })).errors?.[0]?.path).toBe('body.key');
    expect((await post({ ...siteArea, type: 'money' })).errors?.[0]?.path).toBe('body.type');
    expect((await post({ ...siteArea, appliesTo: 'invoice' })).errors?.[0]?.path).toBe('body.appliesTo');
    expect((await post({ ...siteArea, colour: 'red' })).status).toBe(422);

    const field = (await (await call('POST', '/v1/custom-fields', { key, body: poNumber })).json()) as FieldOut;
    const rename = await call('PATCH', `/v1/custom-fields/${field.id}`, { key, body: { key: 'purchaseOrder' } });
    expect(rename.status).toBe(422);
    expect(((await rename.json()) as Problem).errors?.[0]?.path).toBe('body.key');
    expect((await call('PATCH', `/v1/custom-fields/${field.id}`, { key, body: { appliesTo: 'project' } })).status).toBe(422);
    expect((await call('PATCH', `/v1/custom-fields/${field.id}`, { key, body: { type: 'number' } })).status).toBe(422);
    expect((await call('PATCH', `/v1/custom-fields/${field.id}`, { key, body: { label: 'x', version: 9 } })).status).toBe(409);
    expect((await call('PATCH', '/v1/custom-fields/cf_missing', { key, body: { label: 'x' } })).status).toBe(404);
  });

  it('validates values as writes would, reporting every problem', async () => {
    const { call, key } = await setup();
    for (const body of [siteArea, poNumber, contact]) await call('POST', '/v1/custom-fields', { key, body });
    const validate = async (body: unknown) => (await (await call('POST', '/v1/custom-fields/validate', { key, body })).json()) as Validation;

    expect(await validate({ appliesTo: 'milestone', values: { siteArea: 1200, poNumber: ' PO-123456 ', sitePhone: '98765 43210' } })).toEqual({
      valid: true,
      values: { siteArea: 1200, poNumber: 'PO-123456', sitePhone: '+919876543210' },
    });
    const bad = await validate({ appliesTo: 'milestone', values: { siteArea: -5, poNumber: 'PO-12', sitePhone: 'call me', colour: 'red' } });
    expect(bad.valid).toBe(false);
    expect(bad.errors?.map((e) => [e.path, e.code])).toEqual([
      ['customFields.colour', 'unknown_field'],
      ['customFields.poNumber', 'pattern_mismatch'],
      ['customFields.siteArea', 'too_small'],
      ['customFields.sitePhone', 'invalid_format'],
    ]);
    const missing = await validate({ appliesTo: 'milestone', values: {} });
    expect(missing.errors).toEqual([{ path: 'customFields.siteArea', code: 'required', message: 'Site area is required' }]);
    expect((await validate({ appliesTo: 'milestone', values: {}, partial: true })).valid).toBe(true);
    expect((await validate({ appliesTo: 'project', values: { siteArea: 1 } })).errors?.[0]?.code).toBe('unknown_field');
    expect((await validate({ appliesTo: 'milestone', values: [1] })).errors?.[0]?.code).toBe('not_an_object');
    expect((await call('POST', '/v1/custom-fields/validate', { key, body: { appliesTo: 'invoice', values: {} } })).status).toBe(400);
  });

  it('allows deleting a definition in use; its values become valid again when the key is redefined', async () => {
    const { call, key } = await setup();
    const field = (await (await call('POST', '/v1/custom-fields', { key, body: poNumber })).json()) as FieldOut;
    const values = { appliesTo: 'milestone', values: { poNumber: 'PO-000001' } };
    expect(((await (await call('POST', '/v1/custom-fields/validate', { key, body: values })).json()) as Validation).valid).toBe(true);
    expect((await call('DELETE', `/v1/custom-fields/${field.id}`, { key })).status).toBe(204);
    const orphaned = (await (await call('POST', '/v1/custom-fields/validate', { key, body: values })).json()) as Validation;
    expect(orphaned.errors?.[0]?.code).toBe('unknown_field');
    expect((await call('POST', '/v1/custom-fields', { key, body: poNumber })).status).toBe(201);
    expect(((await (await call('POST', '/v1/custom-fields/validate', { key, body: values })).json()) as Validation).valid).toBe(true);
  });

  it('lets only admins change definitions; everyone reads and validates', async () => {
    const { call, key } = await setup();
    const field = (await (await call('POST', '/v1/custom-fields', { key, body: siteArea })).json()) as FieldOut;
    for (const role of ['manager', 'owner', 'viewer', 'integration'] as const) {
      const k = await keyWithRole(call, key, role);
      expect((await call('GET', '/v1/custom-fields', { key: k })).status).toBe(200);
      expect((await call('GET', `/v1/custom-fields/${field.id}`, { key: k })).status).toBe(200);
      expect((await call('POST', '/v1/custom-fields/validate', { key: k, body: { appliesTo: 'milestone', values: { siteArea: 1 } } })).status).toBe(200);
      expect((await call('POST', '/v1/custom-fields', { key: k, body: poNumber })).status).toBe(403);
      expect((await call('PATCH', `/v1/custom-fields/${field.id}`, { key: k, body: { label: 'x' } })).status).toBe(403);
      expect((await call('DELETE', `/v1/custom-fields/${field.id}`, { key: k })).status).toBe(403);
    }
  });

  it("answers 404 for another tenant's definitions and validates against the caller's own", async () => {
    const { call, key, tenant } = await setup();
    const field = (await (await call('POST', '/v1/custom-fields', { key, body: siteArea })).json()) as FieldOut;
    const other = await tenant('beta');
    expect((await call('GET', `/v1/custom-fields/${field.id}`, { key: other.key })).status).toBe(404);
    expect((await call('PATCH', `/v1/custom-fields/${field.id}`, { key: other.key, body: { label: 'x' } })).status).toBe(404);
    expect((await call('DELETE', `/v1/custom-fields/${field.id}`, { key: other.key })).status).toBe(404);
    expect(((await (await call('GET', '/v1/custom-fields', { key: other.key })).json()) as { items: unknown[] }).items).toEqual([]);
    const checked = (await (await call('POST', '/v1/custom-fields/validate', { key: other.key, body: { appliesTo: 'milestone', values: { siteArea: 1 } } })).json()) as Validation;
    expect(checked.errors?.[0]?.code).toBe('unknown_field');
    expect((await call('POST', '/v1/custom-fields', { key: other.key, body: siteArea })).status).toBe(201);
    expect((await call('GET', `/v1/custom-fields/${field.id}`, { key })).status).toBe(200);
  });
});
