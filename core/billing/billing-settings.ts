import { z } from 'zod';
import { failWith, invalid, succeed, type DomainResult, type FieldIssue } from '../domain/index.ts';
import { validateGstin } from '../gst/index.ts';
import { GST_STATE_CODES } from '../money/index.ts';
import { invoiceBrandingSchema, invoiceTemplateSchema, resolveNumberingScheme, type SupplierDetails } from '../invoicing/index.ts';
import type { Store, TenantStore } from '../store/index.ts';
import { tenantsCollection } from '../tenancy/index.ts';
import { BILLING_SETTINGS_ID, billingSettingsCollection, billingSettingsId, type BillingSettings, type BillingSettingsDoc } from './collections.ts';

const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
const days = (max: number) => z.array(z.number().int().min(1).max(max)).max(10);

/** `PATCH /v1/tenant`: supplier details and invoicing choices; fields left out keep their value, `null` clears an optional one. */
export const tenantBillingPatchSchema = z.strictObject({
  legalName: z.string().trim().min(1).max(200).optional(),
  gstin: z.string().trim().toUpperCase().min(1).max(20).optional(),
  stateCode: z.string().regex(/^\d{2}$/, 'must be a two-digit GST state code').optional(),
  address: z.string().trim().min(1).max(500).optional(),
  branding: invoiceBrandingSchema.optional(),
  template: invoiceTemplateSchema.optional(),
  numbering: z
    .strictObject({
      prefix: z.string().min(1).max(12).optional(),
      fyStyle: z.enum(['short', 'long']).optional(),
      padding: z.number().int().min(1).max(12).optional(),
      separator: z.enum(['/', '-']).optional(),
    })
    .optional(),
  roundOffToRupee: z.boolean().optional(),
  defaultHsnSac: z.string().regex(/^(?:\d{4}|\d{6}|\d{8})$/, 'must be a 4, 6 or 8 digit HSN/SAC code').nullable().optional(),
  defaultGstRate: z.number().min(0).max(100).optional(),
  defaultDueInDays: z.number().int().min(0).max(3650).optional(),
  requireApproval: z.boolean().optional(),
  autoInvoice: z.boolean().optional(),
  invoiceTrigger: z.string().regex(EVENT_NAME, 'must be a domain event name like invoice.requested').optional(),
  reminders: z.strictObject({ beforeDueDays: days(60).optional(), afterDueDays: days(365).optional() }).optional(),
});

export type TenantBillingPatch = z.infer<typeof tenantBillingPatchSchema>;

/** A tenant's invoicing profile as billing reads it. */
export interface BillingProfile {
  supplier: BillingSettingsDoc['supplier'];
  settings: BillingSettings;
  /** Set once supplier details are complete. */
  completeSupplier?: SupplierDetails;
}

/** The tenant's invoicing profile; empty settings when none were saved. */
export async function getBillingProfile(db: TenantStore): Promise<BillingProfile> {
  return (await loadBillingProfile(db)).profile;
}

/** The profile, and whether the tenant still has a document under the shared id {@link BILLING_SETTINGS_ID}. */
async function loadBillingProfile(db: TenantStore): Promise<{ profile: BillingProfile; legacy: boolean }> {
  const docs = await db.collection(billingSettingsCollection).find({ _id: { $in: [billingSettingsId(db.tenantId), BILLING_SETTINGS_ID] } });
  const doc = docs.find((d) => d._id !== BILLING_SETTINGS_ID) ?? docs[0];
  const supplier = doc?.supplier ?? {};
  const settings = doc?.settings ?? {};
  const { legalName, gstin, stateCode, address } = supplier;
  return {
    profile: {
      supplier,
      settings,
      ...(legalName && gstin && stateCode && address ? { completeSupplier: { legalName, gstin, stateCode, address } } : {}),
    },
    legacy: docs.some((d) => d._id === BILLING_SETTINGS_ID),
  };
}

function checkSupplierPatch(supplier: BillingSettingsDoc['supplier'], patch: TenantBillingPatch): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (patch.stateCode !== undefined && (!GST_STATE_CODES.has(patch.stateCode) || patch.stateCode === '96' || patch.stateCode === '97')) {
    issues.push({ path: 'stateCode', code: 'invalid_state_code', message: `'${patch.stateCode}' is not the GST code of an Indian state or territory` });
  }
  if (supplier.gstin !== undefined) {
    const checked = validateGstin(supplier.gstin, supplier.stateCode ? { stateCode: supplier.stateCode } : {});
    if (!checked.ok) {
      const path = checked.error.code === 'gstin_state_mismatch' && patch.gstin === undefined ? 'stateCode' : 'gstin';
      issues.push({ path, code: checked.error.code === 'gstin_state_mismatch' ? 'gstin_state_mismatch' : 'invalid_gstin', message: `the GSTIN is not valid: ${checked.error.message}` });
    }
  }
  return issues;
}

/**
 * Applies `PATCH /v1/tenant`: validates the GSTIN (format, check character, state) against the
 * state code, the numbering scheme against GST's 16 characters, and stores supplier and settings
 * in the tenant's billing document; the supplier is also copied to the tenant record.
 */
export async function updateTenantBilling(store: Store, tenantId: string, input: unknown): Promise<DomainResult<BillingProfile>> {
  const parsed = tenantBillingPatchSchema.safeParse(input);
  if (!parsed.success) {
    return invalid(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code })));
  }
  const patch = parsed.data;
  const db = store.forTenant(tenantId);
  const { profile: current, legacy } = await loadBillingProfile(db);
  const supplier = { ...current.supplier };
  for (const key of ['legalName', 'gstin', 'stateCode', 'address'] as const) {
    if (patch[key] !== undefined) supplier[key] = patch[key];
  }
  // A GSTIN carries its state: fill the state code from it when none is known.
  if (supplier.gstin !== undefined && supplier.stateCode === undefined && /^\d{2}/.test(supplier.gstin)) supplier.stateCode = supplier.gstin.slice(0, 2);
  const issues = checkSupplierPatch(supplier, patch);
  const settings: BillingSettings = { ...current.settings };
  const { legalName: _l, gstin: _g, stateCode: _s, address: _a, defaultHsnSac, ...rest } = patch;
  Object.assign(settings, rest);
  if (defaultHsnSac === null) delete settings.defaultHsnSac;
  else if (defaultHsnSac !== undefined) settings.defaultHsnSac = defaultHsnSac;
  if (patch.numbering) {
    settings.numbering = { ...current.settings.numbering, ...patch.numbering };
    const scheme = resolveNumberingScheme(settings.numbering);
    if (!scheme.ok) issues.push({ path: 'numbering', code: scheme.error.code, message: scheme.error.message });
  }
  if (issues.length > 0) return invalid(issues);

  const saved = await db
    .collection(billingSettingsCollection)
    .findOneAndUpdate({ _id: billingSettingsId(tenantId) }, { $set: { supplier, settings } }, { upsert: true, returnDocument: 'after' });
  if (!saved) return failWith({ code: 'conflict', message: 'the settings could not be saved; try again' });
  // The whole profile now lives under the tenant's own id; a document under the shared id would shadow no one.
  // Nothing writes that id any more, so one absent when the profile was read stays absent.
  if (legacy) await db.collection(billingSettingsCollection).deleteOne({ _id: BILLING_SETTINGS_ID });
  await store.platform(tenantsCollection).updateOne({ _id: tenantId }, { $set: { supplier } });
  return succeed(await getBillingProfile(db));
}
