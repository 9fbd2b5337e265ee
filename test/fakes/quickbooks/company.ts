import type { EntityName } from './entity-fields.ts';
import { objectNotFound } from './quickbooks-error.ts';
import { formatIntuitTime } from './intuit-time.ts';

export interface StoredEntity {
  name: EntityName;
  id: string;
  /** The entity body without Id, SyncToken, MetaData, domain and sparse. */
  data: Record<string, unknown>;
  syncToken: number;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  voided?: boolean;
}

/** Names (customers, items) and transactions (invoices, payments) draw ids from separate sequences, as in QBO. */
const SEQUENCE: Record<EntityName, 'name' | 'txn'> = { Customer: 'name', Item: 'name', Invoice: 'txn', Payment: 'txn' };

/** One QuickBooks Online company (a realm) and everything in it. */
export class Company {
  readonly realmId: string;
  readonly companyName: string;
  readonly timeZone: string;
  readonly currency: { value: string; name: string };
  readonly createdAt: number;
  readonly #entities = new Map<EntityName, Map<string, StoredEntity>>();
  readonly #next = { name: 58, txn: 145 };
  #nextDocNumber = 1001;

  constructor({
    realmId,
    companyName,
    timeZone,
    currency,
    createdAt,
  }: { realmId: string; companyName: string; timeZone: string; currency: { value: string; name: string }; createdAt: number }) {
    this.realmId = realmId;
    this.companyName = companyName;
    this.timeZone = timeZone;
    this.currency = currency;
    this.createdAt = createdAt;
  }

  #table(name: EntityName): Map<string, StoredEntity> {
    let table = this.#entities.get(name);
    if (!table) {
      table = new Map();
      this.#entities.set(name, table);
    }
    return table;
  }

  list(name: EntityName, { includeDeleted = false } = {}): StoredEntity[] {
    return [...this.#table(name).values()].filter((e) => includeDeleted || e.deletedAt === undefined);
  }

  find(name: EntityName, id: string): StoredEntity | undefined {
    return this.#table(name).get(id);
  }

  get(name: EntityName, id: string): StoredEntity {
    const entity = this.find(name, String(id));
    if (!entity || entity.deletedAt !== undefined) throw objectNotFound(name, String(id));
    return entity;
  }

  insert(name: EntityName, data: Record<string, unknown>, now: number, id?: string): StoredEntity {
    const entityId = id ?? String(this.#next[SEQUENCE[name]]++);
    const entity: StoredEntity = { name, id: entityId, data, syncToken: 0, createdAt: now, updatedAt: now };
    this.#table(name).set(entityId, entity);
    return entity;
  }

  nextDocNumber(): string {
    return String(this.#nextDocNumber++);
  }

  /** The entity as the API returns it, MetaData in the company's zone. */
  render(entity: StoredEntity): Record<string, unknown> {
    if (entity.deletedAt !== undefined) {
      return {
        domain: 'QBO',
        status: 'Deleted',
        Id: entity.id,
        MetaData: { LastUpdatedTime: formatIntuitTime(entity.deletedAt, this.timeZone) },
      };
    }
    const extra: Record<string, unknown> = {};
    if (entity.name === 'Customer') {
      const open = this.list('Invoice')
        .filter((inv) => (inv.data.CustomerRef as { value?: string } | undefined)?.value === entity.id)
        .reduce((sum, inv) => sum + Number(inv.data.Balance ?? 0), 0);
      extra.Balance = Math.round(open * 100) / 100;
      extra.BalanceWithJobs = extra.Balance;
    }
    return {
      ...structuredClone(entity.data),
      ...extra,
      domain: 'QBO',
      sparse: false,
      Id: entity.id,
      SyncToken: String(entity.syncToken),
      MetaData: {
        CreateTime: formatIntuitTime(entity.createdAt, this.timeZone),
        LastUpdatedTime: formatIntuitTime(entity.updatedAt, this.timeZone),
      },
    };
  }
}
