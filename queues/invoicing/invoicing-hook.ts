import type { DomainEvent } from '../../core/domain/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { HubQueues } from '../create-queues.ts';
import { takingPlatformEvents, type DomainEventHook } from '../domain-event-hook.ts';
import { autoInvoice } from './auto-invoice.ts';
import { distributeInvoice } from './distribute-invoice.ts';
import type { InvoiceDistributor } from './invoice-distributor.ts';
import { sweepInvoices } from './sweep-invoices.ts';

/** The job (an event-shaped job on the `outbox` queue) that runs {@link sweepInvoices}. */
export const INVOICING_SWEEP_EVENT = 'invoicing.sweep';
export const INVOICING_SWEEP_SCHEDULER_ID = 'invoicing-sweep';

/** What the invoicing hook needs. */
export interface InvoicingHookDeps {
  store: Store;
  now: () => Date;
  publicUrl: string;
  /** Without one, invoices are not distributed (sending still freezes them and reminders are recorded). */
  distributor?: InvoiceDistributor;
}

/**
 * Follows domain events for invoicing: the workflow's invoicing trigger (verified, by default)
 * generates the milestone's invoice once; `invoice.sent` queues the invoice to the client's
 * recipients; the scheduled `invoicing.sweep` sends scheduled invoices and payment reminders.
 * Idempotent by business keys, as the outbox delivers at least once.
 */
export function createInvoicingHook(deps: InvoicingHookDeps): DomainEventHook {
  // The sweep is scheduled platform-wide: it names no tenant and goes through every tenant itself.
  return takingPlatformEvents(async function invoicing(event: DomainEvent) {
    if (event.type === INVOICING_SWEEP_EVENT) {
      await sweepInvoices({ store: deps.store, now: deps.now(), publicUrl: deps.publicUrl, ...(deps.distributor ? { distributor: deps.distributor } : {}) });
      return;
    }
    if (typeof event.tenantId !== 'string' || event.tenantId === '') return;
    if (event.type === 'invoice.sent') {
      const invoiceId = event.data.invoiceId;
      if (deps.distributor && typeof invoiceId === 'string') {
        await distributeInvoice({ store: deps.store, distributor: deps.distributor, publicUrl: deps.publicUrl }, { tenantId: event.tenantId, invoiceId, kind: 'invoice', round: event.id, at: deps.now() });
      }
      return;
    }
    // Invoicing's own events name their invoice; any other milestone event may be the tenant's trigger.
    if (event.aggregate.type === 'milestone' && typeof event.data.invoiceId !== 'string') {
      await autoInvoice(deps.store, event, deps.now());
    }
  });
}

/** Upserts the job scheduler that runs the invoicing sweep. Call at start. */
export async function scheduleInvoicingSweep(queues: HubQueues, { everyMs = 60_000 }: { everyMs?: number } = {}): Promise<void> {
  await queues.get('outbox').upsertJobScheduler(
    INVOICING_SWEEP_SCHEDULER_ID,
    { every: everyMs },
    {
      name: INVOICING_SWEEP_EVENT,
      data: {
        id: INVOICING_SWEEP_SCHEDULER_ID,
        type: INVOICING_SWEEP_EVENT,
        at: new Date(0).toISOString(),
        tenantId: '',
        platform: true,
        aggregate: { type: 'project', id: '' },
        actor: { kind: 'system', id: 'scheduler' },
        data: {},
      },
      opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 },
    },
  );
}
