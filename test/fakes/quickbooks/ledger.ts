import type { Company, StoredEntity } from './company.ts';
import { normalizeCustomer } from './customer-rules.ts';
import type { EntityName } from './entity-fields.ts';
import { ENTITY_FIELDS } from './entity-fields.ts';
import type { FakeClock } from '../shared/index.ts';
import { truncateToSecond } from './intuit-time.ts';
import { normalizeInvoice } from './invoice-rules.ts';
import { normalizeItem } from './item-rules.ts';
import { appliedLines, normalizePayment } from './payment-rules.ts';
import { businessValidation, fault, requiredMissing, staleObject } from './quickbooks-error.ts';
import { roundMoney } from './round-money.ts';
import type { RuleContext } from './rule-context.ts';
import { isRecord } from './rule-context.ts';

export type Operation = 'Create' | 'Update' | 'Delete' | 'Void';

export interface ChangeEvent {
  realmId: string;
  name: EntityName;
  id: string;
  operation: Operation;
  lastUpdated: number;
}

const SYSTEM_FIELDS = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse']);

/** Fields the service computes; a client may echo them back but its values are ignored. */
const COMPUTED: Record<EntityName, string[]> = {
  Customer: ['Balance', 'BalanceWithJobs', 'FullyQualifiedName', 'Level'],
  Invoice: ['TotalAmt', 'Balance', 'HomeBalance', 'HomeTotalAmt', 'LinkedTxn', 'InvoiceLink'],
  Payment: ['UnappliedAmt'],
  Item: ['FullyQualifiedName', 'Level'],
};

export interface WriteOptions {
  allowDuplicateDocNum?: boolean;
  /** A person editing in QuickBooks does not race on SyncToken the way an API client does. */
  checkSyncToken?: boolean;
  /** `POST /payment?operation=update&include=void`. */
  voidPayment?: boolean;
}

/**
 * The bookkeeping behind every write: optimistic concurrency on SyncToken, per-entity rules,
 * invoice balances kept in step with the payments applied to them, and one change event per
 * entity touched (which feeds webhooks and CDC).
 */
export class Ledger {
  readonly #clock: FakeClock;
  readonly #onChange: (event: ChangeEvent) => void;

  constructor({ clock, onChange }: { clock: FakeClock; onChange: (event: ChangeEvent) => void }) {
    this.#clock = clock;
    this.#onChange = onChange;
  }

  create(company: Company, name: EntityName, input: unknown, options: WriteOptions = {}): StoredEntity {
    const now = this.#now();
    const data = this.#normalize(company, name, this.#accept(name, input), { company, now, allowDuplicateDocNum: !!options.allowDuplicateDocNum });
    if (name === 'Invoice') Object.assign(data, { Balance: data.TotalAmt, LinkedTxn: [] });
    const entity = company.insert(name, data, now);
    this.#emit(company, entity, 'Create');
    if (name === 'Payment') this.#recomputeInvoices(company, appliedLines(data).map((l) => l.invoiceId));
    return entity;
  }

  update(company: Company, name: EntityName, input: unknown, options: WriteOptions = {}): StoredEntity {
    if (!isRecord(input)) throw requiredMissing('Id');
    if (input.Id === undefined || input.Id === null || input.Id === '') throw requiredMissing('Id');
    const entity = company.get(name, String(input.Id));
    if (options.checkSyncToken !== false) {
      if (input.SyncToken === undefined || input.SyncToken === null || input.SyncToken === '') throw requiredMissing('SyncToken');
      if (String(input.SyncToken) !== String(entity.syncToken)) throw staleObject();
    }
    const sparse = input.sparse === true || input.sparse === 'true';
    const accepted = this.#accept(name, input);
    const merged = sparse ? { ...structuredClone(entity.data), ...accepted } : accepted;
    const now = this.#now();
    const ctx: RuleContext = { company, now, selfId: entity.id, allowDuplicateDocNum: !!options.allowDuplicateDocNum };
    const previousLinks = name === 'Payment' ? appliedLines(entity.data).map((l) => l.invoiceId) : [];
    const data = this.#normalize(company, name, merged, ctx, entity);
    if (name === 'Invoice') {
      const applied = this.#applied(company, entity.id);
      const balance = entity.voided ? 0 : roundMoney(Number(data.TotalAmt) - applied);
      if (balance < 0) throw businessValidation('The invoice total cannot be less than the payments already applied to it.');
      Object.assign(data, { Balance: balance, LinkedTxn: entity.data.LinkedTxn ?? [] });
    }
    let operation: Operation = 'Update';
    if (name === 'Payment' && options.voidPayment) {
      data.Line = (data.Line as Array<Record<string, unknown>>).map((l) => ({ ...l, Amount: 0 }));
      Object.assign(data, { TotalAmt: 0, UnappliedAmt: 0, PrivateNote: 'Voided' });
      entity.voided = true;
      operation = 'Void';
    }
    // QuickBooks has no delete for names; making one inactive is the delete, and is notified as one.
    if (name === 'Customer' && entity.data.Active !== false && data.Active === false) operation = 'Delete';
    entity.data = data;
    this.#touch(entity, now);
    this.#emit(company, entity, operation);
    if (name === 'Payment') {
      this.#recomputeInvoices(company, [...previousLinks, ...appliedLines(data).map((l) => l.invoiceId)]);
    }
    return entity;
  }

  delete(company: Company, name: EntityName, input: unknown): StoredEntity {
    if (name !== 'Invoice' && name !== 'Payment') {
      throw fault(400, { message: 'Unsupported Operation', detail: `Operation Delete is not supported for ${name}.`, code: '500' });
    }
    const entity = this.#forTransactionChange(company, name, input);
    const now = this.#now();
    if (name === 'Invoice') this.#unlinkPayments(company, entity.id, now);
    entity.deletedAt = now;
    this.#touch(entity, now);
    this.#emit(company, entity, 'Delete');
    if (name === 'Payment') this.#recomputeInvoices(company, appliedLines(entity.data).map((l) => l.invoiceId));
    return entity;
  }

  void(company: Company, name: EntityName, input: unknown): StoredEntity {
    if (name !== 'Invoice') {
      throw fault(400, { message: 'Unsupported Operation', detail: `Operation Void is not supported for ${name}.`, code: '500' });
    }
    const entity = this.#forTransactionChange(company, name, input);
    const now = this.#now();
    this.#unlinkPayments(company, entity.id, now);
    const lines = (entity.data.Line as Array<Record<string, unknown>>).map((l) => ({ ...l, Amount: 0 }));
    entity.data = { ...entity.data, Line: lines, TotalAmt: 0, Balance: 0, LinkedTxn: [], PrivateNote: 'Voided' };
    entity.voided = true;
    this.#touch(entity, now);
    this.#emit(company, entity, 'Void');
    return entity;
  }

  /** What has been applied to an invoice by live payments. */
  #applied(company: Company, invoiceId: string, excludingPaymentId?: string): number {
    let sum = 0;
    for (const payment of company.list('Payment')) {
      if (payment.id === excludingPaymentId) continue;
      for (const line of appliedLines(payment.data)) if (line.invoiceId === invoiceId) sum += line.amount;
    }
    return roundMoney(sum);
  }

  #forTransactionChange(company: Company, name: EntityName, input: unknown): StoredEntity {
    if (!isRecord(input) || input.Id === undefined) throw requiredMissing('Id');
    const entity = company.get(name, String(input.Id));
    if (input.SyncToken === undefined) throw requiredMissing('SyncToken');
    if (String(input.SyncToken) !== String(entity.syncToken)) throw staleObject();
    return entity;
  }

  #accept(name: EntityName, input: unknown): Record<string, unknown> {
    if (!isRecord(input)) {
      throw fault(400, { message: 'Request has invalid or unsupported property', detail: 'The request body must be a JSON object', code: '2010' });
    }
    const allowed = new Set<string>(ENTITY_FIELDS[name]);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (!allowed.has(key)) {
        throw fault(400, {
          message: 'Request has invalid or unsupported property',
          detail: `Property Name:Unrecognized field "${key}" specified is unsupported or invalid`,
          code: '2010',
          element: key,
        });
      }
      if (SYSTEM_FIELDS.has(key) || COMPUTED[name].includes(key)) continue;
      out[key] = structuredClone(value);
    }
    return out;
  }

  #normalize(
    company: Company,
    name: EntityName,
    data: Record<string, unknown>,
    ctx: RuleContext,
    existing?: StoredEntity,
  ): Record<string, unknown> {
    switch (name) {
      case 'Customer':
        return normalizeCustomer(data, ctx);
      case 'Item':
        return normalizeItem(data, ctx);
      case 'Invoice':
        return normalizeInvoice(data, ctx);
      case 'Payment':
        return normalizePayment(data, {
          ...ctx,
          openBalance: (invoiceId) => {
            const invoice = company.find('Invoice', invoiceId);
            const total = Number(invoice?.data.TotalAmt ?? 0);
            return roundMoney(total - this.#applied(company, invoiceId, existing?.id));
          },
        });
    }
  }

  #recomputeInvoices(company: Company, invoiceIds: string[]): void {
    const now = this.#now();
    for (const id of new Set(invoiceIds)) {
      const invoice = company.find('Invoice', id);
      if (!invoice || invoice.deletedAt !== undefined) continue;
      const payments = company.list('Payment').filter((p) => appliedLines(p.data).some((l) => l.invoiceId === id));
      const balance = invoice.voided ? 0 : roundMoney(Number(invoice.data.TotalAmt) - this.#applied(company, id));
      const links = payments.map((p) => ({ TxnId: p.id, TxnType: 'Payment' }));
      const changed = balance !== invoice.data.Balance || JSON.stringify(links) !== JSON.stringify(invoice.data.LinkedTxn ?? []);
      if (!changed) continue;
      invoice.data = { ...invoice.data, Balance: balance, LinkedTxn: links };
      this.#touch(invoice, now);
      this.#emit(company, invoice, 'Update');
    }
  }

  #unlinkPayments(company: Company, invoiceId: string, now: number): void {
    for (const payment of company.list('Payment')) {
      const lines = Array.isArray(payment.data.Line) ? (payment.data.Line as Array<Record<string, unknown>>) : [];
      const kept = lines.filter((line) => !appliedLines({ Line: [line] }).some((l) => l.invoiceId === invoiceId));
      if (kept.length === lines.length) continue;
      const applied = appliedLines({ Line: kept }).reduce((sum, l) => sum + l.amount, 0);
      payment.data = { ...payment.data, Line: kept, UnappliedAmt: roundMoney(Number(payment.data.TotalAmt) - applied) };
      this.#touch(payment, now);
      this.#emit(company, payment, 'Update');
    }
  }

  #touch(entity: StoredEntity, now: number): void {
    entity.syncToken++;
    entity.updatedAt = now;
  }

  #emit(company: Company, entity: StoredEntity, operation: Operation): void {
    this.#onChange({ realmId: company.realmId, name: entity.name, id: entity.id, operation, lastUpdated: entity.updatedAt });
  }

  #now(): number {
    return truncateToSecond(this.#clock.now());
  }
}
