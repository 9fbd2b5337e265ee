import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickbooksConnector } from '../../connectors/quickbooks/index.ts';
import { paymentsCollection } from '../../core/billing/index.ts';
import { invoicesCollection } from '../../core/invoicing/index.ts';
import { milestonesCollection } from '../../core/milestones/index.ts';
import { cursorId, syncCursorsCollection } from '../../core/sync/index.ts';
import { startQuickBooksFake, type QuickBooksFake } from '../fakes/quickbooks/index.ts';
import { sent } from '../invoicing/fixtures.ts';
import { createMilestone, createProject, drained, expectStatus, syncFixture, waitFor, type FixtureTenant, type SyncFixture } from './sync-fixture.ts';

let fx: SyncFixture;
let qb: QuickBooksFake;
let t: FixtureTenant;

beforeAll(async () => {
  qb = await startQuickBooksFake();
  fx = await syncFixture('qb-payment');
  fx.startWorkers();
  t = await fx.tenant('qb-payment');
});
afterAll(async () => {
  await fx?.close();
  await qb?.close();
});

describe('QuickBooks payments reconcile hub invoices', () => {
  it('pushes an invoice, then records a payment made in QuickBooks against it', async () => {
    const customer = qb.insert('Customer', { DisplayName: 'Kaveri Foods Pvt Ltd' });
    // A milestone invoiced in full, waiting for its money.
    const projectId = await createProject(t);
    const milestone = await createMilestone(t, projectId, { title: 'Foundation and plinth' });
    await t.db.collection(milestonesCollection).updateOne({ _id: milestone.id }, { $set: { status: 'invoiced' } });
    const built = sent({ number: 'INV/26-27/000101', milestone: { id: milestone.id, title: 'Foundation and plinth', projectId, payment: { amount: 10_000_000, gstRate: 18, dueInDays: 30, hsnSac: '995411' } } });
    const invoice = await t.db.collection(invoicesCollection).insert(built);
    expect(invoice.total).toBe(11_800_000);
    const { clientId, clientSecret, accessToken, refreshToken, realmId } = qb.credentials;
    const conn = await expectStatus<{ id: string }>(
      t.call('POST', '/v1/connections', { connector: 'quickbooks', name: 'Books', config: { baseUrl: qb.url, realmId, tokenUrl: qb.tokenUrl }, credentials: { clientId, clientSecret, accessToken, refreshToken } }),
      201,
    );
    const out = await expectStatus<{ id: string }>(
      t.call('POST', '/v1/mappings', {
        connectionId: conn.id,
        hubObject: 'invoice',
        remoteObject: 'Invoice',
        direction: 'out',
        fields: [
          { hub: 'number', remote: 'DocNumber' },
          { hub: 'clientName', remote: 'CustomerRef.value', toRemote: `"${customer.Id as string}"` },
          {
            hub: 'total',
            remote: 'Line',
            toRemote: '[{ "Amount": $value / 100, "Description": "Milestone invoice", "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": { "Qty": 1, "UnitPrice": $value / 100 } }]',
          },
        ],
      }),
      201,
    );
    await expectStatus(
      t.call('POST', '/v1/mappings', {
        connectionId: conn.id,
        hubObject: 'payment',
        remoteObject: 'Payment',
        direction: 'in',
        fields: [
          { hub: 'amount', remote: 'TotalAmt', toHub: '$round($value * 100)' },
          { hub: 'reference', remote: 'PaymentRefNum' },
          { hub: 'receivedAt', remote: 'TxnDate' },
        ],
      }),
      201,
    );
    // Invoices raise no domain events yet: the invoice goes out through a resync.
    await expectStatus(t.call('POST', '/v1/sync/resync', { mappingId: out.id, hubIds: [invoice._id] }), 202);
    const qbInvoice = await waitFor(() => qb.entities('Invoice')[0], 20_000, 'invoice in QuickBooks');
    expect(qbInvoice).toMatchObject({ DocNumber: 'INV/26-27/000101', TotalAmt: 118000 });

    // The polling scheduler's first sweep sets the Payment cursor; the payment comes after it.
    await waitFor(() => t.db.collection(syncCursorsCollection).findById(cursorId(conn.id, 'Payment')), 20_000, 'first Payment sweep');
    qb.simulatePayment({ invoiceId: qbInvoice.Id as string, amount: 118000, paymentRefNum: 'UTR2026070112345' });
    // A sweep that finds the scheduler's sweep still running steps aside; ask again.
    const sweep = async (jobId: string) => {
      for (let n = 0; ; n += 1) {
        await fx.queues.get('sync-in').add('poll', { tenantId: t.id, connectionId: conn.id, remoteObject: 'Payment' }, { jobId: `${jobId}-${n}` });
        const job = await waitFor(async () => {
          const j = await fx.queues.get('sync-in').getJob(`${jobId}-${n}`);
          return j?.finishedOn !== undefined && j;
        });
        if (job.returnvalue?.skipped !== 'sweep_running') return job;
      }
    };
    const done = await sweep('payments');
    expect(done.failedReason).toBeUndefined();
    expect(done.returnvalue).toMatchObject({ records: 1 });

    const paid = await waitFor(async () => {
      const doc = await t.db.collection(invoicesCollection).findById(invoice._id);
      return doc?.status === 'paid' && doc;
    });
    expect(paid).toMatchObject({ amountPaid: 11_800_000, balance: 0 });
    expect(paid.payments).toEqual([expect.objectContaining({ amount: 11_800_000, reference: 'UTR2026070112345', source: 'quickbooks', applied: 11_800_000 })]);
    // Recorded as any payment is, and the settled invoice moves its milestone to paid, as the connection.
    const recorded = await t.db.collection(paymentsCollection).find({ source: 'quickbooks' });
    expect(recorded).toEqual([expect.objectContaining({ amount: 11_800_000, reference: 'UTR2026070112345' })]);
    const settled = await expectStatus<{ status: string }>(t.call('GET', `/v1/milestones/${milestone.id}`), 200);
    expect(settled.status).toBe('paid');

    // The same payment again, as Intuit's webhook reports it (no data: the engine reads it with get), changes nothing.
    const payment = qb.entities('Payment')[0]!;
    const body = JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities: [{ name: 'Payment', id: payment.Id, operation: 'Create', lastUpdated: new Date().toISOString() }] } }] });
    const parsed = await quickbooksConnector.parseWebhook!({ headers: {}, rawBody: Buffer.from(body), receivedAt: new Date() }, { baseUrl: qb.url, realmId, minorVersion: 75, tokenUrl: qb.tokenUrl, deleteMode: 'void' });
    expect(parsed.ok).toBe(true);
    const outcome = await fx.engine.webhookHandler.handle(
      { tenantId: t.id, connectionId: conn.id, connectorId: 'quickbooks', envelopeId: 'wh_test_1', eventKey: 'intuit-1', receivedAt: new Date(), changes: parsed.ok ? parsed.changes : [], attempt: 1 },
      { db: t.db, now: new Date() },
    );
    expect(outcome).toEqual({ status: 'processed' });
    await drained(fx.queues, ['sync-in']);
    expect(qb.requests.some((r) => r.method === 'GET' && r.path.includes(`/payment/${payment.Id as string}`))).toBe(true);
    const again = await t.db.collection(invoicesCollection).findById(invoice._id);
    expect(again!.payments).toHaveLength(1);
    expect(again!.amountPaid).toBe(11_800_000);
    expect(await t.db.collection(paymentsCollection).count({ source: 'quickbooks' })).toBe(1);
  });
});
