import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsCollection } from '../../core/notifications/index.ts';
import { createNotifyInvoiceDistributor, distributeInvoice } from '../../queues/invoicing/index.ts';
import { startSmtpFake, type SmtpFake } from '../fakes/smtp/index.ts';
import { CLIENT_KA, SUPPLIER_KA, type InvoiceBody } from '../invoices-api/invoice-fixture.ts';
import { expectStatus, notifyFixture } from '../notify/notify-fixture.ts';
import { waitFor } from '../webhooks/hook-fixture.ts';

interface Delivery {
  key: string;
  channel: string;
  to: string;
  kind: string;
  status: string;
  at: string;
  error?: string;
  notificationId?: string;
}

let hub: Awaited<ReturnType<typeof notifyFixture>>;
let smtp: SmtpFake;

beforeAll(async () => {
  smtp = await startSmtpFake();
  // 11:00 in Bengaluru: outside the default 21:00–08:00 quiet hours, whatever time the suite runs.
  hub = await notifyFixture('invoice-delivery', { start: new Date('2026-03-03T05:30:00Z') });
});

afterAll(async () => {
  await hub.close();
  await smtp.close();
});

describe('invoice delivery status on the invoice', () => {
  it('records each distribution queued, then sent or failed per channel with time and error, and words reminders as reminders', async () => {
    const t = await hub.tenant('inv-delivery');
    await t.connection({ connector: 'email', config: { host: smtp.host, port: smtp.port, secure: false, from: 'Tanvi Build Tech <billing@tanvi.example.in>' }, credentials: {} });
    await expectStatus(t.call('PATCH', '/v1/tenant', SUPPLIER_KA), 200);
    const accounts = 'accounts@kaveri.example.in';
    const p = await expectStatus<{ id: string }>(t.call('POST', '/v1/projects', { name: 'Tower B', client: { ...CLIENT_KA, contacts: [{ name: 'Accounts', email: accounts }] }, contractValue: 5_00_00_000_00 }), 201);
    const m = await expectStatus<{ id: string }>(t.call('POST', '/v1/milestones', { projectId: p.id, kind: 'milestone', title: 'Foundation and plinth', payment: { amount: 10_000_000, gstRate: 18, dueInDays: 30 } }), 201);
    const inv = await expectStatus<InvoiceBody>(t.call('POST', '/v1/invoices', { milestoneId: m.id }), 201);
    const issued = await expectStatus<InvoiceBody>(t.call('POST', `/v1/invoices/${inv.id}/send`, {}), 200);

    const deps = { store: hub.services.store, distributor: createNotifyInvoiceDistributor({ store: hub.services.store, queues: hub.queues, now: hub.now }), publicUrl: hub.publicUrl };
    const deliveriesOf = async () => (await expectStatus<InvoiceBody & { deliveries?: Delivery[] }>(t.call('GET', `/v1/invoices/${inv.id}`), 200)).deliveries ?? [];
    const settledEntry = (key: string) =>
      waitFor(async () => {
        const entry = (await deliveriesOf()).find((d) => d.key === key);
        return entry !== undefined && entry.status !== 'queued' && entry;
      });

    const queued = await distributeInvoice(deps, { tenantId: t.id, invoiceId: inv.id, kind: 'invoice', round: 'evt_sent', at: hub.now() });
    expect(queued).toEqual([expect.objectContaining({ key: `invoice:evt_sent:${accounts}`, channel: 'email', status: 'queued', notificationId: expect.any(String) })]);
    const sent = await settledEntry(`invoice:evt_sent:${accounts}`);
    expect(sent).toMatchObject({ channel: 'email', to: accounts, kind: 'invoice', status: 'sent', notificationId: queued[0]!.notificationId });
    expect(Number.isNaN(Date.parse(sent.at))).toBe(false);
    expect(sent.error).toBeUndefined();

    // An overdue reminder: its own wording, the balance outstanding and the days overdue.
    const overdue = await distributeInvoice(deps, { tenantId: t.id, invoiceId: inv.id, kind: 'reminder', round: 'payment_overdue-7', at: hub.now(), daysFromDue: 9 });
    expect(await settledEntry(overdue[0]!.key)).toMatchObject({ kind: 'reminder', status: 'sent', channel: 'email' });
    const overdueMessage = await t.notification(overdue[0]!.notificationId!);
    expect(overdueMessage.templateKey).toBe('payment.reminder.after_due');
    expect(overdueMessage.rendered?.subject).toContain('Payment overdue');
    expect(overdueMessage.rendered?.text).toContain('9 days ago');
    expect(overdueMessage.rendered?.text).toContain('1,18,000');

    // A reminder the mail server refuses: failed on its channel, with the error, and the earlier entries kept.
    smtp.setMode('reject');
    try {
      const soon = await distributeInvoice(deps, { tenantId: t.id, invoiceId: inv.id, kind: 'reminder', round: 'payment_due_soon--3', at: hub.now(), daysFromDue: -3 });
      const failed = await settledEntry(soon[0]!.key);
      expect(failed).toMatchObject({ kind: 'reminder', status: 'failed', channel: 'email', to: accounts });
      expect(failed.error).toEqual(expect.any(String));
      expect((await t.notification(soon[0]!.notificationId!)).templateKey).toBe('payment.reminder.before_due');
    } finally {
      smtp.setMode('accept');
    }
    const all = await deliveriesOf();
    expect(all.map((d) => [d.key.split(':')[1], d.status])).toEqual([
      ['evt_sent', 'sent'],
      ['payment_overdue-7', 'sent'],
      ['payment_due_soon--3', 'failed'],
    ]);
    // The invoice's version is untouched: delivery status is not an edit.
    expect((await expectStatus<InvoiceBody>(t.call('GET', `/v1/invoices/${inv.id}`), 200)).version).toBe(issued.version);
    expect(await t.db.collection(notificationsCollection).count({ invoiceId: inv.id })).toBe(3);
  });
});
