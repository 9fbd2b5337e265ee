import {
  billingInvoicesCollection,
  getBillingProfile,
  paymentRemindersCollection,
  sendBillingInvoice,
  type BillingInvoiceDoc,
  type PaymentReminderDoc,
} from '../../core/billing/index.ts';
import { dateInZone, type DomainContext } from '../../core/domain/index.ts';
import { DuplicateKeyError, type Store } from '../../core/store/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';
import { distributeInvoice } from './distribute-invoice.ts';
import type { InvoiceDistributor } from './invoice-distributor.ts';

/** Reminder days when a tenant sets none: three days before the due day, then 1, 7 and 30 days after it. */
export const DEFAULT_REMINDERS = { beforeDueDays: [3], afterDueDays: [1, 7, 30] };

/** What one sweep did. */
export interface InvoiceSweepResult {
  sent: string[];
  reminders: Array<Pick<PaymentReminderDoc, 'invoiceId' | 'trigger' | 'offsetDays'>>;
}

const DAY_MS = 86_400_000;

/** Days from the due day to `today` (negative before it). */
function daysFromDue(invoice: Pick<BillingInvoiceDoc, 'dueOn'>, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${invoice.dueOn}T00:00:00Z`)) / DAY_MS);
}

/**
 * The reminder an invoice is due for today, if any: the closest "before" day already reached
 * while the due day is ahead, or the furthest "after" day already passed. A missed sweep catches
 * up with one reminder, not a burst.
 */
export function reminderDue(offset: number, reminders: { beforeDueDays?: number[]; afterDueDays?: number[] }): { trigger: PaymentReminderDoc['trigger']; offsetDays: number } | undefined {
  if (offset < 0) {
    const before = (reminders.beforeDueDays ?? []).filter((d) => -offset <= d);
    return before.length > 0 ? { trigger: 'payment_due_soon', offsetDays: -Math.min(...before) } : undefined;
  }
  const after = (reminders.afterDueDays ?? []).filter((d) => offset >= d);
  return after.length > 0 ? { trigger: 'payment_overdue', offsetDays: Math.max(...after) } : undefined;
}

/**
 * One pass over every active tenant: sends invoices whose scheduled time has come, and records a
 * payment reminder (an escalation trigger: `payment_due_soon`, `payment_overdue`) for open
 * invoices on the tenant's reminder days, handing each to the distributor. Reminders are keyed
 * `<invoice>:<trigger>:<days>`, so running the sweep again sends nothing twice.
 */
export async function sweepInvoices(deps: { store: Store; now: Date; distributor?: InvoiceDistributor; publicUrl: string; tenantIds?: string[] }): Promise<InvoiceSweepResult> {
  const result: InvoiceSweepResult = { sent: [], reminders: [] };
  const tenants = await deps.store.platform(tenantsCollection).find({ status: 'active', ...(deps.tenantIds ? { _id: { $in: deps.tenantIds } } : {}) }, { projection: { _id: 1, timeZone: 1 } });
  for (const tenant of tenants) {
    const db = deps.store.forTenant(tenant._id);
    const ctx: DomainContext = { db, now: () => deps.now, actor: { kind: 'system', id: 'invoice-sweep', channel: 'scheduler' }, timeZone: tenant.timeZone };
    const profile = await getBillingProfile(db);
    const invoices = db.collection(billingInvoicesCollection);
    const due = await invoices.find({ scheduledSendAt: { $lte: deps.now }, status: { $in: ['draft', 'approved'] } }, { projection: { _id: 1 } });
    for (const { _id } of due) {
      const sent = await sendBillingInvoice(ctx, profile, _id);
      if (sent.ok) result.sent.push(_id);
    }
    const reminders = { ...DEFAULT_REMINDERS, ...(profile.settings.reminders ?? {}) };
    const today = dateInZone(deps.now, tenant.timeZone);
    const open = await invoices.find({ status: { $in: ['sent', 'partially_paid'] }, balance: { $gt: 0 } }, { projection: { outbox: 0, history: 0, deliveries: 0 } });
    for (const invoice of open) {
      const offset = daysFromDue(invoice, today);
      const reminder = reminderDue(offset, reminders);
      if (!reminder) continue;
      const id = `${invoice._id}:${reminder.trigger}:${reminder.offsetDays}`;
      try {
        await db.collection(paymentRemindersCollection).insert({
          _id: id,
          invoiceId: invoice._id,
          invoiceNumber: invoice.number,
          milestoneId: invoice.milestoneId,
          ...reminder,
          balance: invoice.balance,
          at: deps.now,
        });
      } catch (err) {
        if (err instanceof DuplicateKeyError) continue;
        throw err;
      }
      result.reminders.push({ invoiceId: invoice._id, ...reminder });
      if (deps.distributor) {
        await distributeInvoice({ store: deps.store, distributor: deps.distributor, publicUrl: deps.publicUrl }, { tenantId: tenant._id, invoiceId: invoice._id, kind: 'reminder', round: `${reminder.trigger}-${reminder.offsetDays}`, at: deps.now, daysFromDue: offset });
      }
    }
  }
  return result;
}
