import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthExpiredError,
  createConnectorContext,
  createOutboundHttp,
  OutboundUrlRefusedError,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type ConnectorContext,
  type ConnectorFetch,
  type RemoteRecord,
  type WebhookInput,
} from '../../connectors/index.ts';
import { linkedInvoicesOf, quickbooksConnector, readPaymentApplication, VersionConflictVendorError } from '../../connectors/quickbooks/index.ts';
import { verifierFor } from '../../webhooks/verifiers/index.ts';
import { startQuickBooksFake, type QuickBooksFake, type QuickBooksFakeOptions } from '../fakes/quickbooks/index.ts';
import { describeConformance } from './conformance.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const outbound = createOutboundHttp({ allowPrivate: true });
afterAll(() => outbound.close());

const notification = (realmId: string, entities: Array<Record<string, unknown>>) => JSON.stringify({ eventNotifications: [{ realmId, dataChangeEvent: { entities } }] });
const hook = (body: string): WebhookInput => ({ headers: { 'content-type': 'application/json' }, rawBody: Buffer.from(body), receivedAt: new Date() });

describeConformance({
  connector: quickbooksConnector,
  holdsCredentials: true,
  setup: async () => {
    const qb = await startQuickBooksFake();
    const ids = Array.from({ length: 7 }, (_, i) => qb.insert('Customer', { DisplayName: `Client ${i + 1}` }).Id as string);
    const { clientId, clientSecret, accessToken, refreshToken, realmId } = qb.credentials;
    return {
      config: { baseUrl: qb.url, realmId, tokenUrl: qb.tokenUrl },
      credentials: { clientId, clientSecret, accessToken, refreshToken },
      badCredentials: { clientId, clientSecret, accessToken: 'expired-token', refreshToken: 'retired-refresh-token' },
      pull: {
        object: 'Customer',
        expected: 7,
        limit: 3,
        change: () => {
          qb.simulateUserEdit('Customer', ids[3]!, { CompanyName: 'Client Four Pvt Ltd' });
          return ids[3]!;
        },
      },
      push: {
        object: 'Customer',
        create: { DisplayName: 'Conformance Infra' },
        update: { CompanyName: 'Conformance Infra Pvt Ltd' },
        count: () => qb.entities('Customer').length,
      },
      fail: (status, retryAfterSeconds) => qb.failNext({ status, ...(retryAfterSeconds === undefined ? {} : { retryAfter: retryAfterSeconds }) }),
      webhook: {
        samples: [hook(notification(realmId, [{ name: 'Customer', id: ids[0], operation: 'Update', lastUpdated: '2026-11-21T10:00:00.000Z' }]))],
        invalid: hook('{"eventNotifications": '),
      },
      teardown: () => qb.close(),
    };
  },
});

let qb: QuickBooksFake;
const T0 = new Date('2026-11-21T10:00:00.000Z');

async function start(options: QuickBooksFakeOptions = {}): Promise<void> {
  qb = await startQuickBooksFake({ now: () => T0, ...options });
}

afterEach(async () => {
  await qb?.close();
});

function context({
  config = {},
  credentials = {},
  saved = [],
  fetch = outbound.fetch,
}: { config?: Record<string, unknown>; credentials?: Record<string, unknown>; saved?: Record<string, unknown>[]; fetch?: ConnectorFetch } = {}): ConnectorContext {
  const { clientId, clientSecret, accessToken, refreshToken, realmId } = qb.credentials;
  const made = createConnectorContext({
    connector: quickbooksConnector,
    config: { baseUrl: qb.url, realmId, tokenUrl: qb.tokenUrl, ...config },
    credentials: { clientId, clientSecret, accessToken, refreshToken, ...credentials },
    fetch,
    logger: silent,
    now: () => qb.now(),
    saveCredentials: async (c) => void saved.push(c as Record<string, unknown>),
    connectionId: 'conn_qbo',
    tenantId: 'tn_1',
  });
  if (!made.ok) throw new Error(`${made.error}: ${JSON.stringify(made.issues)}`);
  return made.context;
}

async function sweep(ctx: ConnectorContext, object: string, cursor: string | null, { limit = 200, since }: { limit?: number; since?: string } = {}) {
  const records: RemoteRecord[] = [];
  let pages = 0;
  for (;;) {
    const page = await quickbooksConnector.pull!(ctx, { object, cursor, limit, ...(cursor === null && since !== undefined ? { since } : {}) });
    pages += 1;
    records.push(...page.records);
    cursor = page.nextCursor;
    if (page.done) return { records, cursor, pages };
    if (pages > 50) throw new Error('runaway pull');
  }
}

const failureOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );

const push = (ctx: ConnectorContext, request: Parameters<NonNullable<typeof quickbooksConnector.push>>[1]) => quickbooksConnector.push!(ctx, request);

async function customerAndInvoice(ctx: ConnectorContext, amount = 1000, key = 'inv-1') {
  const customer = await push(ctx, { object: 'Customer', op: 'create', data: { DisplayName: `Acme Infra ${key}` }, idempotencyKey: `cust-${key}` });
  const invoice = await push(ctx, {
    object: 'Invoice',
    op: 'create',
    data: {
      DocNumber: `MH-${key}`,
      CustomerRef: { value: customer.id },
      Line: [{ Amount: amount, DetailType: 'SalesItemLineDetail', Description: 'Milestone 1', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: amount } }],
    },
    idempotencyKey: key,
  });
  return { customer, invoice };
}

describe('quickbooks connector: change data capture', () => {
  beforeEach(() => start());

  it('reads what changed since the cursor, deletions included, and nothing twice', async () => {
    const ctx = context();
    const { invoice: a } = await customerAndInvoice(ctx, 100, 'a');
    const b = await push(ctx, { object: 'Invoice', op: 'create', data: { CustomerRef: a.data!.CustomerRef, Line: a.data!.Line }, idempotencyKey: 'b' });
    const c = await push(ctx, { object: 'Invoice', op: 'create', data: { CustomerRef: a.data!.CustomerRef, Line: a.data!.Line }, idempotencyKey: 'c' });

    const first = await sweep(ctx, 'Invoice', null, { since: new Date(T0.getTime() - 3600_000).toISOString(), limit: 2 });
    expect(first.records.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    expect(first.records[0]).toMatchObject({ version: '0', updatedAt: '2026-11-21T10:00:00.000Z', data: { DocNumber: 'MH-a', TotalAmt: 100 } });
    expect(qb.requests.find((r) => r.path.endsWith('/cdc'))?.query).toMatchObject({ entities: 'Invoice', changedSince: '2026-11-21T09:00:00.000Z' });

    qb.advanceClock(5 * 60_000);
    qb.simulateUserEdit('Invoice', b.id, { PrivateNote: 'changed in QuickBooks' });
    qb.simulateUserDelete('Invoice', c.id);
    const changes = await sweep(ctx, 'Invoice', first.cursor);
    expect(changes.records).toEqual([
      expect.objectContaining({ id: b.id, version: '1', data: expect.objectContaining({ PrivateNote: 'changed in QuickBooks' }) }),
      expect.objectContaining({ id: c.id, deleted: true, updatedAt: '2026-11-21T10:05:00.000Z' }),
    ]);

    qb.advanceClock(20_000);
    expect((await sweep(ctx, 'Invoice', changes.cursor)).records).toEqual([]);
  });

  it('resyncs by query when the cursor is older than CDC reaches, then hands over to CDC', async () => {
    const ctx = context();
    const { invoice } = await customerAndInvoice(ctx);
    const old = await sweep(ctx, 'Invoice', null, { since: new Date(T0.getTime() - 60_000).toISOString() });
    expect(old.records.map((r) => r.id)).toEqual([invoice.id]);

    qb.advanceClock(31 * 24 * 3600_000);
    const edited = qb.simulateUserEdit('Invoice', invoice.id, { PrivateNote: 'a month later' });
    qb.clearRequests();
    const resync = await sweep(ctx, 'Invoice', old.cursor);
    expect(resync.records.map((r) => [r.id, r.version])).toEqual([[invoice.id, edited.SyncToken]]);
    // A month on the access token has expired too: one refresh, then the query again.
    expect(qb.requests.map((r) => `${r.path.split('/').at(-1)} ${r.status}`)).toEqual(['query 401', 'bearer 200', 'query 200']);

    qb.advanceClock(60_000);
    qb.simulateUserEdit('Invoice', invoice.id, { PrivateNote: 'and again' });
    const next = await sweep(ctx, 'Invoice', resync.cursor);
    expect(next.records.map((r) => r.data.PrivateNote)).toEqual(['and again']);
    expect(qb.requests.at(-1)?.path.endsWith('/cdc')).toBe(true);
  });

  it('lists everything by query on a first pull without since, inactive customers as deletions', async () => {
    const ctx = context();
    const kept = qb.insert('Customer', { DisplayName: 'Kept' });
    const gone = qb.insert('Customer', { DisplayName: 'Gone' });
    qb.simulateUserDelete('Customer', gone.Id as string);
    const all = await sweep(ctx, 'Customer', null, { limit: 1 });
    expect(all.records.map((r) => [r.id, r.deleted ?? false])).toEqual([
      [kept.Id, false],
      [gone.Id, true],
    ]);
    expect(all.pages).toBe(2);
  });
});

describe('quickbooks connector: writes', () => {
  beforeEach(() => start());

  it('sends the idempotency key as requestid: a replayed create returns the original, no duplicate', async () => {
    const ctx = context();
    const { invoice } = await customerAndInvoice(ctx, 500, 'ms_01HZX');
    const replay = await push(ctx, {
      object: 'Invoice',
      op: 'create',
      data: { DocNumber: 'MH-ms_01HZX', CustomerRef: invoice.data!.CustomerRef, Line: [{ Amount: 500, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 500 } }] },
      idempotencyKey: 'ms_01HZX',
    });
    expect(replay).toEqual(invoice);
    expect(qb.entities('Invoice')).toHaveLength(1);
    expect(qb.requestIdReplays).toBe(1);
    expect(qb.requests.filter((r) => r.path.endsWith('/invoice')).map((r) => r.query.requestid)).toEqual(['ms_01HZX', 'ms_01HZX']);
    expect(invoice).toMatchObject({ version: '0', data: { TotalAmt: 500, Balance: 500 } });
  });

  it('updates sparsely with the SyncToken it read, and writes nothing when QuickBooks already holds the data', async () => {
    const ctx = context();
    const { invoice } = await customerAndInvoice(ctx);
    qb.clearRequests();
    const updated = await push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'Milestone verified' }, idempotencyKey: 'u1' });
    expect(updated).toMatchObject({ id: invoice.id, version: '1', data: { PrivateNote: 'Milestone verified', TotalAmt: 1000 } });
    const write = qb.requests.find((r) => r.method === 'POST')!;
    expect(write.query).toMatchObject({ operation: 'update', requestid: expect.any(String) });
    expect(JSON.parse(write.body)).toEqual({ PrivateNote: 'Milestone verified', Id: invoice.id, SyncToken: '0', sparse: true });

    qb.clearRequests();
    const again = await push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'Milestone verified' }, idempotencyKey: 'u1' });
    expect(again).toEqual(updated);
    // The lines as the mapping sends them, without the ids and sub-total QuickBooks adds.
    const lines = [{ Amount: 1000, DetailType: 'SalesItemLineDetail', Description: 'Milestone 1', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: 1000 } }];
    expect(await push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'Milestone verified', Line: lines }, idempotencyKey: 'u1b' })).toEqual(updated);
    expect(qb.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('treats an expectedVersion QuickBooks has moved past as a conflict', async () => {
    const ctx = context();
    const { invoice } = await customerAndInvoice(ctx);
    qb.simulateUserEdit('Invoice', invoice.id, { CustomerMemo: { value: 'Edited in QuickBooks' } });
    const err = await failureOf(push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'x' }, idempotencyKey: 'u2', expectedVersion: '0' }));
    expect(err).toBeInstanceOf(VersionConflictVendorError);
    expect(err).toBeInstanceOf(UnrecoverableVendorError);
    expect(err).toMatchObject({ name: 'VersionConflictVendorError', expectedVersion: '0', currentVersion: '1', fields: ['PrivateNote'], remote: { CustomerMemo: { value: 'Edited in QuickBooks' } } });
    expect(await push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'x' }, idempotencyKey: 'u2', expectedVersion: '1' })).toMatchObject({ version: '2' });
  });

  it('on a stale SyncToken (5010) retries once when only other fields changed, and reports a conflict when ours did', async () => {
    let race: (() => void) | undefined;
    const racing: ConnectorFetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (race !== undefined && url.includes('operation=update')) {
        race();
        race = undefined;
      }
      return outbound.fetch(input, init);
    };
    const ctx = context({ fetch: racing });
    const { invoice } = await customerAndInvoice(ctx);

    // A payment recorded in QuickBooks between our read and our write moves the SyncToken but not PrivateNote.
    race = () => qb.simulatePayment({ invoiceId: invoice.id, amount: 400 });
    const retried = await push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'Verified' }, idempotencyKey: 'u3' });
    expect(retried).toMatchObject({ version: '2', data: { PrivateNote: 'Verified', Balance: 600 } });
    expect(qb.requests.filter((r) => r.query.operation === 'update').map((r) => r.status)).toEqual([400, 200]);

    race = () => qb.simulateUserEdit('Invoice', invoice.id, { PrivateNote: 'Disputed by the client' });
    const conflict = await failureOf(push(ctx, { object: 'Invoice', op: 'update', id: invoice.id, data: { PrivateNote: 'Paid' }, idempotencyKey: 'u4' }));
    expect(conflict).toBeInstanceOf(VersionConflictVendorError);
    expect(conflict).toMatchObject({ fields: ['PrivateNote'], remote: { PrivateNote: 'Disputed by the client' }, status: 400 });
    expect(qb.getEntity('Invoice', invoice.id)).toMatchObject({ PrivateNote: 'Disputed by the client' });
  });

  it('voids invoices on delete by default, deletes them when configured, and makes customers inactive; all idempotent', async () => {
    const ctx = context();
    const { customer, invoice } = await customerAndInvoice(ctx);
    const voided = await push(ctx, { object: 'Invoice', op: 'delete', id: invoice.id, idempotencyKey: 'd1' });
    expect(voided).toMatchObject({ id: invoice.id, data: { TotalAmt: 0, Balance: 0, PrivateNote: 'Voided' } });
    expect(await push(ctx, { object: 'Invoice', op: 'delete', id: invoice.id, idempotencyKey: 'd1' })).toEqual(voided);

    const deleting = context({ config: { deleteMode: 'delete' } });
    const other = await push(deleting, { object: 'Invoice', op: 'create', data: { CustomerRef: { value: customer.id }, Line: invoice.data!.Line }, idempotencyKey: 'd2' });
    expect(await push(deleting, { object: 'Invoice', op: 'delete', id: other.id, idempotencyKey: 'd3' })).toEqual({ id: other.id });
    expect(await push(deleting, { object: 'Invoice', op: 'delete', id: other.id, idempotencyKey: 'd3' })).toEqual({ id: other.id });
    expect(await quickbooksConnector.get!(ctx, { object: 'Invoice', id: other.id })).toBeNull();

    const inactive = await push(ctx, { object: 'Customer', op: 'delete', id: customer.id, idempotencyKey: 'd4' });
    expect(inactive.data).toMatchObject({ Active: false });
    expect(await quickbooksConnector.get!(ctx, { object: 'Customer', id: customer.id })).toMatchObject({ deleted: true });
  });
});

describe('quickbooks connector: payments', () => {
  beforeEach(() => start());

  it('reads a payment made in QuickBooks back with its linked invoice and the invoice balance reduced', async () => {
    const ctx = context();
    const { invoice } = await customerAndInvoice(ctx, 50_000, 'inv-pay');
    const cursor = (await sweep(ctx, 'Payment', null, { since: T0.toISOString() })).cursor;

    qb.advanceClock(60_000);
    const made = qb.simulatePayment({ invoiceId: invoice.id, amount: 30_000, paymentRefNum: 'UTR-42' });
    const [payment] = (await sweep(ctx, 'Payment', cursor)).records;
    expect(payment).toMatchObject({ id: made.Id, version: '0', data: { TotalAmt: 30_000, PaymentRefNum: 'UTR-42' } });
    expect(linkedInvoicesOf(payment!.data)).toEqual([{ invoiceId: invoice.id, amount: 30_000 }]);

    const applied = await readPaymentApplication(ctx, payment!.id);
    expect(applied).toMatchObject({
      payment: { id: made.Id },
      invoices: [{ invoiceId: invoice.id, amount: 30_000, invoice: { id: invoice.id, version: '1', data: { TotalAmt: 50_000, Balance: 20_000, LinkedTxn: [{ TxnId: made.Id, TxnType: 'Payment' }] } } }],
    });
    expect(await readPaymentApplication(ctx, '99999')).toBeNull();

    const voided = await push(ctx, { object: 'Payment', op: 'delete', id: payment!.id, idempotencyKey: 'void-payment' });
    expect(voided).toMatchObject({ id: made.Id, data: { TotalAmt: 0, PrivateNote: 'Voided' } });
    expect(await push(ctx, { object: 'Payment', op: 'delete', id: payment!.id, idempotencyKey: 'void-payment' })).toEqual(voided);
    expect((await quickbooksConnector.get!(ctx, { object: 'Invoice', id: invoice.id }))?.data).toMatchObject({ Balance: 50_000 });
  });

  it('sums lines applied to the same invoice and ignores what is not an invoice', () => {
    expect(
      linkedInvoicesOf({
        Line: [
          { Amount: 0.1, LinkedTxn: [{ TxnId: '7', TxnType: 'Invoice' }] },
          { Amount: 0.2, LinkedTxn: [{ TxnId: '7', TxnType: 'Invoice' }] },
          { Amount: 5, LinkedTxn: [{ TxnId: '9', TxnType: 'CreditMemo' }] },
          { Amount: 3 },
        ],
      }),
    ).toEqual([{ invoiceId: '7', amount: 0.3 }]);
    expect(linkedInvoicesOf({})).toEqual([]);
  });
});

describe('quickbooks connector: tokens', () => {
  beforeEach(() => start());

  it('refreshes an expired token exactly once for concurrent calls and stores the rotated refresh token', async () => {
    const saved: Record<string, unknown>[] = [];
    const ctx = context({ saved });
    const { invoice, customer } = await customerAndInvoice(ctx);
    qb.expireAccessTokens();
    const [a, b, page] = await Promise.all([
      quickbooksConnector.get!(ctx, { object: 'Invoice', id: invoice.id }),
      quickbooksConnector.get!(ctx, { object: 'Customer', id: customer.id }),
      quickbooksConnector.pull!(ctx, { object: 'Invoice', cursor: null, since: T0.toISOString() }),
    ]);
    expect([a?.id, b?.id, page.records.length]).toEqual([invoice.id, customer.id, 1]);
    expect(qb.tokenRefreshCount).toBe(1);
    expect(saved).toEqual([expect.objectContaining({ accessToken: expect.any(String), refreshToken: expect.not.stringMatching(qb.credentials.refreshToken), accessTokenExpiresAt: '2026-11-21T11:00:00.000Z' })]);
    expect(ctx.credentials).toEqual(saved[0]);

    // Another job's context built before the store still holds the retired refresh token.
    const stale = context();
    expect(await quickbooksConnector.check(stale)).toMatchObject({ ok: true, message: 'connected to Milestone Hub Demo Co (realm 9341452912345678)' });
    expect(qb.tokenRefreshCount).toBe(1);
  });

  it('refreshes ahead of expiry, and fails with AuthExpiredError when the refresh token is refused', async () => {
    const saved: Record<string, unknown>[] = [];
    const ctx = context({ saved, credentials: { accessTokenExpiresAt: '2026-11-21T10:00:30.000Z' } });
    expect(await quickbooksConnector.check(ctx)).toMatchObject({ ok: true });
    expect(qb.tokenRefreshCount).toBe(1);
    expect(saved).toHaveLength(1);

    const refused = context({ credentials: { accessToken: 'expired', refreshToken: 'retired' } });
    const err = await failureOf(quickbooksConnector.get!(refused, { object: 'Invoice', id: '1' }));
    expect(err).toBeInstanceOf(AuthExpiredError);
    expect((err as Error).message).toContain('invalid_grant');
    expect(await quickbooksConnector.check(refused)).toMatchObject({ ok: false, code: 'auth_failed' });

    const before = qb.tokenRefreshCount;
    qb.failNext({ status: 401, count: 2, path: '/v3/' });
    expect(await failureOf(quickbooksConnector.get!(ctx, { object: 'Customer', id: '1' }))).toBeInstanceOf(AuthExpiredError);
    expect(qb.tokenRefreshCount - before).toBe(1);
  });
});

describe('quickbooks connector: vendor failures and outbound guard', () => {
  it('maps ThrottleExceeded to RateLimitedError, validation faults to Unrecoverable and system faults to Transient', async () => {
    await start({ requestsPerMinute: 3 });
    const ctx = context();
    const customer = await push(ctx, { object: 'Customer', op: 'create', data: { DisplayName: 'Acme' }, idempotencyKey: 'c1' });
    const duplicate = await failureOf(push(ctx, { object: 'Customer', op: 'create', data: { DisplayName: 'acme' }, idempotencyKey: 'c2' }));
    expect(duplicate).toBeInstanceOf(UnrecoverableVendorError);
    expect(duplicate).toMatchObject({ status: 400, message: expect.stringContaining('6240') });
    await quickbooksConnector.check(ctx);
    const throttled = await failureOf(quickbooksConnector.get!(ctx, { object: 'Customer', id: customer.id }));
    expect(throttled).toBeInstanceOf(RateLimitedError);
    expect(throttled).toMatchObject({ status: 429, message: expect.stringContaining('3001') });

    qb.advanceClock(61_000);
    qb.failNext({ status: 429, retryAfter: 12 });
    expect(await failureOf(quickbooksConnector.get!(ctx, { object: 'Customer', id: customer.id }))).toMatchObject({ name: 'RateLimitedError', retryAfterMs: 12_000 });
    qb.failNext({ status: 500 });
    expect(await failureOf(quickbooksConnector.get!(ctx, { object: 'Customer', id: customer.id }))).toBeInstanceOf(TransientVendorError);
    const badLine = await failureOf(push(ctx, { object: 'Invoice', op: 'create', data: { CustomerRef: { value: customer.id }, Line: [{ Amount: 10, DetailType: 'SalesItemLineDetail', SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 2, UnitPrice: 10 } }] }, idempotencyKey: 'i1' }));
    expect(badLine).toMatchObject({ name: 'UnrecoverableVendorError', message: expect.stringContaining('6070') });
  });

  it('sends node-quickbooks traffic through the context fetch, so the address guard applies to it', async () => {
    await start();
    const seen: string[] = [];
    const recording: ConnectorFetch = async (input, init) => {
      seen.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
      return outbound.fetch(input, init);
    };
    expect(await quickbooksConnector.check(context({ fetch: recording }))).toMatchObject({ ok: true });
    expect(seen).toEqual([`GET /v3/company/${qb.credentials.realmId}/companyinfo/${qb.credentials.realmId}`]);

    const guarded = createOutboundHttp({ allowPrivate: false });
    try {
      const err = await failureOf(quickbooksConnector.get!(context({ fetch: guarded.fetch }), { object: 'Invoice', id: '1' }));
      expect(err).toBeInstanceOf(OutboundUrlRefusedError);
    } finally {
      guarded.close();
    }
  });
});

describe('quickbooks connector: webhooks', () => {
  beforeEach(() => start());

  it('parses an intuit-signed notification into changes that need a fetch', async () => {
    const verifierToken = 'verifier-token-7f3a';
    const received: Array<{ body: Buffer; signature: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), signature: String(req.headers['intuit-signature']) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/conn_qbo`;
    qb.registerWebhook({ url, verifierToken });
    try {
      const ctx = context();
      const { customer, invoice } = await customerAndInvoice(ctx);
      const payment = qb.simulatePayment({ invoiceId: invoice.id, amount: 1000 });
      await qb.flushWebhooks();
      const [{ body, signature }] = received as [{ body: Buffer; signature: string }];

      const settings = quickbooksConnector.webhookSettings(ctx.config)!;
      expect(settings).toEqual({ scheme: 'intuit', options: {} });
      const verify = verifierFor(settings.scheme)!;
      expect(verify.verify({ rawBody: body, headers: { 'intuit-signature': signature }, url, secrets: [{ value: verifierToken }], now: new Date(), options: settings.options })).toMatchObject({ ok: true });

      const parsed = await quickbooksConnector.parseWebhook!({ headers: { 'intuit-signature': signature }, rawBody: body, receivedAt: new Date() }, ctx.config);
      expect(parsed.ok && parsed.changes.map((c) => [c.type, c.object, c.id, c.record, (c.data as { needsFetch: boolean }).needsFetch])).toEqual([
        ['Customer.Create', 'Customer', customer.id, undefined, true],
        ['Invoice.Create', 'Invoice', invoice.id, undefined, true],
        ['Payment.Create', 'Payment', payment.Id, undefined, true],
        ['Invoice.Update', 'Invoice', invoice.id, undefined, true],
      ]);
      expect(parsed.ok && parsed.changes[0]).toMatchObject({ occurredAt: '2026-11-21T10:00:00.000Z', data: { realmId: qb.credentials.realmId } });
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('leaves out other companies and other entities, reports deletes and merges, reads CloudEvents, and refuses bad bodies', async () => {
    const config = context().config;
    const { realmId } = qb.credentials;
    const legacy = JSON.stringify({
      eventNotifications: [
        { realmId: '1111', dataChangeEvent: { entities: [{ name: 'Invoice', id: '1', operation: 'Create', lastUpdated: '2026-11-21T10:00:00Z' }] } },
        {
          realmId,
          dataChangeEvent: {
            entities: [
              { name: 'Item', id: '3', operation: 'Update', lastUpdated: '2026-11-21T10:00:00Z' },
              { name: 'Invoice', id: '145', operation: 'Delete', lastUpdated: '2026-11-21T10:00:00Z' },
              { name: 'Customer', id: '58', operation: 'Merge', deletedId: '59', lastUpdated: '2026-11-21T10:00:00Z' },
            ],
          },
        },
      ],
    });
    const parsed = await quickbooksConnector.parseWebhook!(hook(legacy), config);
    expect(parsed.ok && parsed.changes.map((c) => [c.type, c.id, c.deleted ?? false])).toEqual([
      ['Invoice.Delete', '145', true],
      ['Customer.Merge', '58', false],
      ['Customer.Delete', '59', true],
    ]);

    const cloud = JSON.stringify([
      { specversion: '1.0', id: 'evt-1', source: 'intuit', type: 'qbo.payment.created.v1', time: '2026-11-21T10:00:00.000Z', intuitentityid: '150', intuitaccountid: realmId, data: {} },
      { specversion: '1.0', id: 'evt-2', source: 'intuit', type: 'qbo.invoice.updated.v1', time: '2026-11-21T10:00:00.000Z', intuitentityid: '145', intuitaccountid: '1111', data: {} },
    ]);
    const events = await quickbooksConnector.parseWebhook!(hook(cloud), config);
    expect(events).toEqual({ ok: true, changes: [expect.objectContaining({ eventId: 'evt-1', type: 'Payment.Create', object: 'Payment', id: '150', occurredAt: '2026-11-21T10:00:00.000Z' })] });

    for (const bad of ['', '{"eventNotifications": {}}', '{"eventNotifications": [{"realmId": 5}]}', '[{"type": "qbo.invoice.created.v1"}]', '\u00ff']) {
      expect((await quickbooksConnector.parseWebhook!(hook(bad), config)).ok, bad).toBe(false);
    }
  });
});
