import { starterRemoteSchema, type ObjectSchema } from '../../mappings/index.ts';
import type { ObjectType } from '../sdk/index.ts';

/** The QuickBooks entities the connector serves, by object name (QuickBooks' own entity names). */
export const QUICKBOOKS_ENTITIES = ['Invoice', 'Payment', 'Customer'] as const;
export type QuickBooksEntity = (typeof QUICKBOOKS_ENTITIES)[number];

export function isQuickBooksEntity(name: string): name is QuickBooksEntity {
  return (QUICKBOOKS_ENTITIES as readonly string[]).includes(name);
}

const META = { CreateTime: '2025-04-01T02:15:30-07:00', LastUpdatedTime: '2025-04-02T03:00:00-07:00' };

const SAMPLES: Record<QuickBooksEntity, Record<string, unknown>> = {
  Invoice: {
    Id: '145',
    SyncToken: '1',
    domain: 'QBO',
    DocNumber: 'MH-2025-0042',
    TxnDate: '2025-04-01',
    DueDate: '2025-04-16',
    CustomerRef: { value: '58', name: 'Acme Infra Pvt Ltd' },
    Line: [
      { Id: '1', LineNum: 1, Description: 'Milestone 3: slab casting', Amount: 50000, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1', name: 'Services' }, Qty: 1, UnitPrice: 50000 } },
      { Amount: 50000, DetailType: 'SubTotalLineDetail' },
    ],
    CurrencyRef: { value: 'INR', name: 'Indian Rupee' },
    TotalAmt: 50000,
    Balance: 20000,
    LinkedTxn: [{ TxnId: '146', TxnType: 'Payment' }],
    MetaData: META,
  },
  Payment: {
    Id: '146',
    SyncToken: '0',
    domain: 'QBO',
    TotalAmt: 30000,
    TxnDate: '2025-04-02',
    CustomerRef: { value: '58', name: 'Acme Infra Pvt Ltd' },
    PaymentRefNum: 'UTR2025040212345',
    Line: [{ Amount: 30000, LinkedTxn: [{ TxnId: '145', TxnType: 'Invoice' }] }],
    UnappliedAmt: 0,
    CurrencyRef: { value: 'INR', name: 'Indian Rupee' },
    MetaData: META,
  },
  Customer: {
    Id: '58',
    SyncToken: '0',
    domain: 'QBO',
    DisplayName: 'Acme Infra Pvt Ltd',
    CompanyName: 'Acme Infra Private Limited',
    PrimaryEmailAddr: { Address: 'accounts@acme-infra.example.in' },
    PrimaryPhone: { FreeFormNumber: '+91 80 4000 1234' },
    BillAddr: { Line1: '14 MG Road', City: 'Bengaluru', CountrySubDivisionCode: 'KA', PostalCode: '560001', Country: 'India' },
    Active: true,
    Balance: 20000,
    MetaData: META,
  },
};

const DESCRIPTIONS: Record<QuickBooksEntity, string> = {
  Invoice: 'Invoices; deleting one voids it unless the connection says delete',
  Payment: 'Payments received, applied to invoices through Line[].LinkedTxn',
  Customer: 'Clients; QuickBooks cannot delete a customer, so deleting one makes it inactive',
};

// The shipped starter schemas describe these entities as node-quickbooks returns them; the
// connector serves the same ones, so starter mappings and connections agree.
let schemas: Record<QuickBooksEntity, ObjectSchema> | undefined;

/** The object types of a QuickBooks connection. */
export function quickbooksObjects(): Record<QuickBooksEntity, ObjectType> {
  schemas ??= Object.fromEntries(QUICKBOOKS_ENTITIES.map((name) => [name, starterRemoteSchema('quickbooks', name)!])) as Record<QuickBooksEntity, ObjectSchema>;
  const loaded = schemas;
  const objectType = (name: QuickBooksEntity): ObjectType => ({ schema: loaded[name], samples: [SAMPLES[name]], description: DESCRIPTIONS[name] });
  return { Invoice: objectType('Invoice'), Payment: objectType('Payment'), Customer: objectType('Customer') };
}
