import { describe, expect, it } from 'vitest';
import {
  compileMapping,
  defaultHubSchemas,
  objectSchemaSchema,
  starterMappings,
  starterRemoteSchema,
  starterRemoteSchemaNames,
} from '../../mappings/index.ts';

const starters = starterMappings();
const byId = Object.fromEntries(starters.map((s) => [s.id, s]));

function compiled(id: string) {
  const starter = byId[id];
  if (starter === undefined) throw new Error(`no starter ${id}`);
  return compileMapping(starter.spec, { hubSchema: starter.schemas.hub });
}

describe('starter mappings', () => {
  it('ships every promised starter, each valid against its schemas', () => {
    expect(starters.map((s) => s.id)).toEqual([
      'client-quickbooks-customer',
      'client-salesforce-account',
      'invoice-quickbooks-invoice',
      'invoice-quickbooks-invoice-balance',
      'milestone-jira-issue',
      'milestone-jira-issue-progress',
      'milestone-salesforce-opportunity',
      'payment-quickbooks-payment',
    ]);
  });

  it.each(starters.map((s) => [s.id, s] as const))('%s compiles', (_id, starter) => {
    expect(() => compileMapping(starter.spec, { hubSchema: starter.schemas.hub })).not.toThrow();
  });

  it('ships the remote schemas by name, valid as object schemas', () => {
    expect(starterRemoteSchemaNames()).toEqual([
      'jira-issue', 'quickbooks-customer', 'quickbooks-invoice', 'quickbooks-payment', 'salesforce-account', 'salesforce-opportunity',
    ]);
    for (const name of starterRemoteSchemaNames()) {
      const [connector, object] = name.split('-') as [string, string];
      expect(objectSchemaSchema.safeParse(starterRemoteSchema(connector, object)).success).toBe(true);
    }
    expect(starterRemoteSchema('quickbooks', 'Invoice')?.properties.TotalAmt).toMatchObject({ type: 'number', readOnly: true });
    expect(starterRemoteSchema('jira', '../../etc')).toBeUndefined();
    expect(starterRemoteSchema('zoho', 'deal')).toBeUndefined();
  });

  it('maps a milestone to a Jira issue and back', async () => {
    const mapping = compiled('milestone-jira-issue');
    const out = await mapping.toRemote({ title: 'UAT sign-off', dueDate: '2025-04-30', tags: ['uat'], priority: 'critical' });
    expect(out).toEqual({
      output: { fields: { summary: 'UAT sign-off', duedate: '2025-04-30', labels: ['uat'], priority: { name: 'Highest' } } },
      errors: [],
      skipped: false,
    });
    const back = await mapping.toHub({ key: 'PAY-9', fields: { summary: 'UAT', duedate: null, labels: [], priority: { name: 'Low' }, updated: '2025-01-01T10:00:00.000+0530' } });
    expect(back.output).toEqual({ title: 'UAT', dueDate: null, tags: [], priority: 'low' });
  });

  it('reads Jira progress as submitted, never as verified', async () => {
    const back = await compiled('milestone-jira-issue-progress').toHub({
      key: 'PAY-9',
      fields: { status: { name: 'Done' }, progress: { progress: 3600, total: 3600, percent: 100 }, assignee: { emailAddress: 'dev@example.in' } },
    });
    expect(back.output).toEqual({ status: 'submitted', percentComplete: 100, customFields: { jiraAssigneeEmail: 'dev@example.in', jiraKey: 'PAY-9' } });
  });

  it('maps a milestone payment to an opportunity in rupees and back to paise', async () => {
    const mapping = compiled('milestone-salesforce-opportunity');
    const out = await mapping.toRemote({ title: 'Go-live', dueDate: '2025-06-30', status: 'verified', payment: { amount: 12_345_678 } });
    expect(out.output).toEqual({ Name: 'Go-live', CloseDate: '2025-06-30', Amount: 123_456.78, StageName: 'Negotiation/Review' });
    expect((await mapping.toRemote({ title: 'No payment' })).skipped).toBe(true);
    const back = await mapping.toHub({ Id: '006xx', Name: 'Go-live', CloseDate: '2025-06-30', Amount: 123_456.78, StageName: 'Closed Won', SystemModstamp: '2025-01-01T00:00:00.000+0000' });
    expect(back.output).toEqual({ title: 'Go-live', dueDate: '2025-06-30', payment: { amount: 12_345_678 } });
  });

  it('maps an invoice to a QuickBooks invoice with lines in rupees', async () => {
    const out = await compiled('invoice-quickbooks-invoice').toRemote({
      number: 'INV-2025-0042', status: 'issued', issueDate: '2025-04-01', dueDate: '2025-04-16', clientName: 'Acme Pvt Ltd',
      customFields: { quickbooksCustomerId: '58' },
      lines: [{ description: 'Milestone 2: design', quantity: 1, unitPrice: 5_000_000, amount: 5_000_000 }],
    });
    expect(out.errors).toEqual([]);
    expect(out.output).toEqual({
      DocNumber: 'INV-2025-0042', TxnDate: '2025-04-01', DueDate: '2025-04-16',
      CustomerRef: { value: '58', name: 'Acme Pvt Ltd' },
      Line: [{ LineNum: 1, Description: 'Milestone 2: design', Amount: 50_000, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { Qty: 1, UnitPrice: 50_000 } }],
      CurrencyRef: { value: 'INR' },
    });
    expect((await compiled('invoice-quickbooks-invoice').toRemote({ number: 'D-1', status: 'draft' })).skipped).toBe(true);
  });

  it('reads QuickBooks balances back in paise', async () => {
    const back = await compiled('invoice-quickbooks-invoice-balance').toHub({ Id: '130', DocNumber: 'INV-1', TotalAmt: 59_000, Balance: 9_000.5, MetaData: { LastUpdatedTime: '2025-04-02T10:00:00-07:00' } });
    expect(back.output).toEqual({ amountDue: 900_050, customFields: { quickbooksTotalPaise: 5_900_000, quickbooksInvoiceId: '130' } });
  });

  it('maps a captured payment to a QuickBooks payment dated in India', async () => {
    const out = await compiled('payment-quickbooks-payment').toRemote({
      id: 'pay_1', amount: 5_900_000, status: 'captured', receivedAt: '2025-03-31T20:00:00Z', reference: 'HDFCR52025033100012345',
      customFields: { quickbooksCustomerId: '58', quickbooksInvoiceId: '130' },
    });
    expect(out.errors).toEqual([]);
    expect(out.output).toEqual({
      TotalAmt: 59_000,
      TxnDate: '2025-04-01',
      PaymentRefNum: 'HDFCR5202503310001234',
      CustomerRef: { value: '58' },
      Line: [{ Amount: 59_000, LinkedTxn: [{ TxnId: '130', TxnType: 'Invoice' }] }],
      PrivateNote: 'Milestone Hub payment pay_1',
    });
  });

  it('maps clients to QuickBooks customers and Salesforce accounts', async () => {
    const client = { name: 'Acme Pvt Ltd', email: 'ap@acme.in', gstin: '29ABCDE1234F1Z5', address: { line1: '12 MG Road', city: 'Bengaluru', state: 'KA', postalCode: '560001', country: 'IN' } };
    expect((await compiled('client-quickbooks-customer').toRemote(client)).output).toEqual({
      DisplayName: 'Acme Pvt Ltd', PrimaryEmailAddr: { Address: 'ap@acme.in' }, GSTIN: '29ABCDE1234F1Z5',
      BillAddr: { Line1: '12 MG Road', City: 'Bengaluru', CountrySubDivisionCode: 'KA', PostalCode: '560001', Country: 'IN' },
    });
    expect((await compiled('client-salesforce-account').toRemote(client)).output).toEqual({
      Name: 'Acme Pvt Ltd', BillingStreet: '12 MG Road', BillingCity: 'Bengaluru', BillingState: 'KA', BillingPostalCode: '560001', BillingCountry: 'IN',
    });
  });

  it('validates against caller-supplied hub schemas and throws on a broken one', () => {
    expect(() => starterMappings({ hubSchemas: { ...defaultHubSchemas, milestone: { properties: {} } } })).toThrow(/milestone-jira-issue.*unknown_path|hub milestone/);
  });
});
