import { describe, expect, it } from 'vitest';
import { billingSettingsId } from '../../core/billing/collections.ts';
import { BILLING_SETTINGS_ID, billingSettingsCollection, getBillingProfile, updateTenantBilling } from '../../core/billing/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { createTenant } from '../../core/tenancy/index.ts';
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

  /**
   * A store with one tenant, and the writes made to its billing documents as the store reports
   * them: `ids` lists the documents written, `deletes` counts deletions (reported without ids).
   */
  async function watchedTenant() {
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const t = await createTenant(store, { slug: 'billing-writes', name: 'Billing Writes Pvt Ltd' });
    if (!t.ok) throw new Error(t.error);
    const writes = { ids: [] as string[], deletes: 0 };
    store.onWrite!(billingSettingsCollection.name, ({ ids }) => {
      if (ids === null) writes.deletes++;
      else writes.ids.push(...ids);
    });
    const reset = () => {
      writes.ids.length = 0;
      writes.deletes = 0;
    };
    return { store, tenantId: t.tenant.id, writes, reset };
  }

  it('saves a tenant’s settings with one write to its billing document, deleting nothing when no document under the shared id exists', async () => {
    const { store, tenantId, writes } = await watchedTenant();
    expect((await updateTenantBilling(store, tenantId, { legalName: 'First Name' })).ok).toBe(true);
    expect((await updateTenantBilling(store, tenantId, { defaultDueInDays: 30 })).ok).toBe(true);
    expect(writes).toEqual({ ids: [billingSettingsId(tenantId), billingSettingsId(tenantId)], deletes: 0 });
    expect(await getBillingProfile(store.forTenant(tenantId))).toMatchObject({ supplier: { legalName: 'First Name' }, settings: { defaultDueInDays: 30 } });
  });

  it('still removes a document under the shared id on the save that moves it, and only on that save', async () => {
    const { store, tenantId, writes, reset } = await watchedTenant();
    const db = store.forTenant(tenantId);
    await db.collection(billingSettingsCollection).insert({ _id: BILLING_SETTINGS_ID, supplier: { legalName: 'Old Name', address: 'Old Road' }, settings: { defaultDueInDays: 45 } });
    reset();

    const saved = await updateTenantBilling(store, tenantId, { legalName: 'New Name' });
    expect(saved.ok && saved.value).toMatchObject({ supplier: { legalName: 'New Name', address: 'Old Road' }, settings: { defaultDueInDays: 45 } });
    expect(writes).toEqual({ ids: [billingSettingsId(tenantId)], deletes: 1 });
    expect(await db.collection(billingSettingsCollection).findById(BILLING_SETTINGS_ID)).toBeNull();

    reset();
    expect((await updateTenantBilling(store, tenantId, { address: 'New Road' })).ok).toBe(true);
    expect(writes).toEqual({ ids: [billingSettingsId(tenantId)], deletes: 0 });
  });
});
