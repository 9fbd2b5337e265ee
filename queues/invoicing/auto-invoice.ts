import { billingInvoicesCollection, generateMilestoneInvoices, generationClaimsCollection, getBillingProfile, type BillingInvoiceDoc } from '../../core/billing/index.ts';
import type { DomainContext, DomainEvent } from '../../core/domain/index.ts';
import { DuplicateKeyError, type Store } from '../../core/store/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';

/** The trigger of automatic generation when a tenant names none: the default workflow emits it on verify. */
export const DEFAULT_INVOICE_TRIGGER = 'invoice.requested';

/** What automatic generation did with one event. */
export type AutoInvoiceOutcome =
  | { status: 'generated'; invoice: BillingInvoiceDoc }
  | { status: 'exists'; invoiceId: string }
  | { status: 'skipped'; reason: string };

// A claim left by a run that died before writing its invoice is taken over after this long.
const STALE_CLAIM_MS = 5 * 60_000;

/**
 * Generates the invoice a trigger event asks for, once: the business key `<milestone>:<event>` is
 * claimed first (a document with that `_id`) and stored on the invoice, so a redelivered or
 * concurrent event finds it and makes no second invoice. Milestones with nothing left to invoice,
 * cancelled ones and tenants without supplier details are skipped, not retried.
 */
export async function autoInvoice(store: Store, event: DomainEvent, now: Date): Promise<AutoInvoiceOutcome> {
  const milestoneId = event.aggregate.type === 'milestone' ? event.aggregate.id : undefined;
  if (!milestoneId) return { status: 'skipped', reason: 'not_a_milestone_event' };
  const db = store.forTenant(event.tenantId);
  const profile = await getBillingProfile(db);
  if (profile.settings.autoInvoice === false) return { status: 'skipped', reason: 'auto_invoice_off' };
  if (event.type !== (profile.settings.invoiceTrigger ?? DEFAULT_INVOICE_TRIGGER)) return { status: 'skipped', reason: 'not_the_trigger' };
  const key = `${milestoneId}:${event.id}`;
  const existing = await db.collection(billingInvoicesCollection).findOne({ generationKey: key }, { projection: { _id: 1 } });
  if (existing) return { status: 'exists', invoiceId: existing._id };
  const claims = db.collection(generationClaimsCollection);
  try {
    await claims.insert({ _id: key });
  } catch (err) {
    if (!(err instanceof DuplicateKeyError)) throw err;
    const claim = await claims.findById(key);
    if (claim?.outcome) return { status: 'skipped', reason: claim.outcome };
    if (claim && now.getTime() - claim.createdAt.getTime() < STALE_CLAIM_MS) throw new Error(`generation ${key} is in progress elsewhere; retry`);
  }
  const tenant = await store.platform(tenantsCollection).findById(event.tenantId);
  const ctx: DomainContext = { db, now: () => now, actor: { kind: 'system', id: 'auto-invoice', channel: 'workflow' }, timeZone: tenant?.timeZone ?? 'Asia/Kolkata' };
  const result = await generateMilestoneInvoices(ctx, profile, [{ milestoneId }], { generationKeys: new Map([[milestoneId, key]]) });
  if (!result.ok) {
    await claims.updateOne({ _id: key }, { $set: { outcome: result.error.code } });
    return { status: 'skipped', reason: result.error.message };
  }
  const invoice = result.value.invoices[0];
  if (!invoice) {
    const why = result.value.failures[0]?.error;
    const reason = why && 'details' in why && typeof why.details?.reason === 'string' ? why.details.reason : (why?.code ?? 'refused');
    await claims.updateOne({ _id: key }, { $set: { outcome: reason } });
    return { status: 'skipped', reason };
  }
  await claims.updateOne({ _id: key }, { $set: { invoiceId: invoice._id, outcome: 'generated' } });
  return { status: 'generated', invoice };
}
