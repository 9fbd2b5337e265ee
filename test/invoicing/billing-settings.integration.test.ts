import { describe, expect, it } from 'vitest';
import { BILLING_SETTINGS_ID, billingSettingsCollection, getBillingProfile } from '../../core/billing/index.ts';
import { expectStatus } from '../helpers/expect-and-wait.ts';
import { testApp } from '../helpers/test-services.ts';
import { CLIENT_MH, SUPPLIER_KA } from '../invoices-api/invoice-fixture.ts';

describe('billing settings per tenant', () => {
  it('keeps each tenant of one store its own supplier details, and moves a document under the shared id to the tenant’s own', async () => {
    const { services, call, tenant } = testApp();
    const a = await tenant('settings-a');
    const b = await tenant('settings-b');
    const supplierB = { legalName: 'Ujjwal Traders', gstin: CLIENT_MH.gstin, stateCode: '27', address: CLIENT_MH.address };
    await expectStatus(call('PATCH', '/v1/tenant', { key: a.key, body: SUPPLIER_KA }), 200);
    await expectStatus(call('PATCH', '/v1/tenant', { key: b.key, body: supplierB }), 200);
    const read = async (key: string) => (await expectStatus<{ supplier: { gstin?: string } }>(call('GET', '/v1/tenant', { key }), 200)).supplier.gstin;
    expect([await read(a.key), await read(b.key)]).toEqual([SUPPLIER_KA.gstin, supplierB.gstin]);

    // A tenant whose settings were saved under the shared id before still reads them, and its next save moves them.
    const c = await tenant('settings-c');
    const db = services.store.forTenant(c.id);
    await db.collection(billingSettingsCollection).insert({ _id: BILLING_SETTINGS_ID, supplier: { legalName: 'Old Name', address: 'Old Road' }, settings: { defaultDueInDays: 45 } });
    expect((await getBillingProfile(db)).settings.defaultDueInDays).toBe(45);
    await expectStatus(call('PATCH', '/v1/tenant', { key: c.key, body: { legalName: 'New Name' } }), 200);
    const after = await getBillingProfile(db);
    expect(after.supplier).toMatchObject({ legalName: 'New Name', address: 'Old Road' });
    expect(after.settings.defaultDueInDays).toBe(45);
    expect(await db.collection(billingSettingsCollection).findById(BILLING_SETTINGS_ID)).toBeNull();
    expect(await read(a.key)).toBe(SUPPLIER_KA.gstin);
  });
});
