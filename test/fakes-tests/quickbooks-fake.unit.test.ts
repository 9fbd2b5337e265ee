import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import QuickBooksModule from 'node-quickbooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuickBooksFake, QuickBooksFakeOptions } from '../fakes/quickbooks/index.ts';
import { startQuickBooksFake } from '../fakes/quickbooks/index.ts';

/** Real node-quickbooks (callback API, axios underneath) against the fake on 127.0.0.1. */

// The package is CommonJS (`module.exports = QuickBooks`) but its typings say `export default`, so
// under NodeNext TypeScript types the default import as the module namespace; at runtime it is the class.
const QuickBooks = QuickBooksModule as unknown as typeof QuickBooksModule.default;
type QuickBooks = InstanceType<typeof QuickBooks>;

type Entity = Record<string, any>;

/** What node-quickbooks hands a callback when the HTTP status is not 2xx: axios's error. */
interface HttpFailure {
  response: { status: number; headers: Record<string, string>; data: any };
}

let qb: QuickBooksFake;
const ORIGINAL_TOKEN_URL = QuickBooks.TOKEN_URL;

beforeEach(async () => {
  qb = await startQuickBooksFake();
});

afterEach(async () => {
  QuickBooks.TOKEN_URL = ORIGINAL_TOKEN_URL;
  await qb.close();
});

/** A fake started at a fixed instant, so tokens are issued in the same time frame the test moves through. */
async function restart(options: QuickBooksFakeOptions): Promise<void> {
  await qb.close();
  qb = await startQuickBooksFake(options);
}

/** A client for the fake's first company: OAuth 2.0 bearer tokens, this instance's endpoint moved to the fake. */
function client({ token = qb.credentials.accessToken, realmId = qb.credentials.realmId, refreshToken = qb.credentials.refreshToken } = {}) {
  const qbo = new QuickBooks(qb.credentials.clientId, qb.credentials.clientSecret, token, false, realmId, true, false, '75', '2.0', refreshToken);
  qbo.endpoint = qb.v3BaseUrl;
  return qbo;
}

/** node-quickbooks is callback-only; this turns one call into a promise of its data. */
function call<T = Entity>(invoke: (callback: (err: unknown, data?: any) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => invoke((err, data) => (err ? reject(err) : resolve(data as T))));
}

async function failureOf(promise: Promise<unknown>): Promise<HttpFailure> {
  try {
    await promise;
  } catch (error) {
    return error as HttpFailure;
  }
  throw new Error('expected the call to fail');
}

async function newCustomer(qbo: QuickBooks, name = 'Acme Infra Pvt Ltd'): Promise<Entity> {
  return call((cb) => qbo.createCustomer({ DisplayName: name, PrimaryEmailAddr: { Address: 'ap@acme.example' } } as any, cb));
}

function invoiceFor(customerId: string, amounts: number[], extra: Entity = {}): Entity {
  return {
    CustomerRef: { value: customerId },
    Line: amounts.map((amount, i) => ({
      Amount: amount,
      DetailType: 'SalesItemLineDetail',
      Description: `Milestone ${i + 1}`,
      SalesItemLineDetail: { ItemRef: { value: '1' }, Qty: 1, UnitPrice: amount },
    })),
    ...extra,
  };
}

describe('pointing node-quickbooks at the fake', () => {
  it('works through the instance endpoint, or through V3_ENDPOINT_BASE_URL set before construction', async () => {
    const viaInstance = client();
    await expect(call((cb) => viaInstance.getCompanyInfo(qb.credentials.realmId, cb))).resolves.toMatchObject({
      CompanyName: 'Milestone Hub Demo Co',
    });

    const original = QuickBooks.V3_ENDPOINT_BASE_URL;
    QuickBooks.V3_ENDPOINT_BASE_URL = qb.v3BaseUrl;
    try {
      const viaStatic = new QuickBooks(
        qb.credentials.clientId,
        qb.credentials.clientSecret,
        qb.credentials.accessToken,
        false,
        qb.credentials.realmId,
        false,
        false,
        '75',
        '2.0',
        qb.credentials.refreshToken,
      );
      expect(viaStatic.endpoint).toBe(qb.v3BaseUrl);
      await expect(call((cb) => viaStatic.getCompanyInfo(qb.credentials.realmId, cb))).resolves.toMatchObject({ Id: '1' });
    } finally {
      QuickBooks.V3_ENDPOINT_BASE_URL = original;
    }

    const [first] = qb.requests;
    expect(first).toMatchObject({
      method: 'GET',
      path: `/v3/company/${qb.credentials.realmId}/companyinfo/${qb.credentials.realmId}`,
      query: { minorversion: '75', format: 'json' },
    });
    expect(first?.headers.authorization).toBe(`Bearer ${qb.credentials.accessToken}`);
  });

  it('refuses another company\'s realm with the gateway\'s 403', async () => {
    const other = qb.connectCompany();
    const failure = await failureOf(call((cb) => client({ realmId: other.realmId }).getCompanyInfo(other.realmId, cb)));

    expect(failure.response.status).toBe(403);
    expect(failure.response.data.fault.error[0]).toMatchObject({ code: '3100', message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403' });
    const own = client({ token: other.access_token, realmId: other.realmId });
    await expect(call((cb) => own.getCompanyInfo(other.realmId, cb))).resolves.toMatchObject({ CompanyName: 'Another Company' });
  });
});

describe('customers and invoices', () => {
  it('creates, reads and updates a customer; a duplicate DisplayName is refused with 6240', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    expect(customer).toMatchObject({ DisplayName: 'Acme Infra Pvt Ltd', Active: true, Balance: 0, SyncToken: '0', domain: 'QBO' });

    const updated = await call((cb) => qbo.updateCustomer({ Id: customer.Id, SyncToken: customer.SyncToken, CompanyName: 'Acme Infra' } as any, cb));
    expect(updated).toMatchObject({ SyncToken: '1', CompanyName: 'Acme Infra', DisplayName: 'Acme Infra Pvt Ltd' });
    await expect(call((cb) => qbo.getCustomer(customer.Id, cb))).resolves.toMatchObject({ SyncToken: '1' });

    const duplicate = await failureOf(newCustomer(qbo, 'acme infra pvt ltd'));
    expect(duplicate.response.status).toBe(400);
    expect(duplicate.response.data.Fault.Error[0]).toMatchObject({ Message: 'Duplicate Name Exists Error', code: '6240' });
    expect(duplicate.response.data.Fault.type).toBe('ValidationFault');
  });

  it('creates an invoice the way QBO completes one, then updates it sparsely', async () => {
    await restart({ now: () => new Date('2026-11-21T10:15:30.400Z') });
    const qbo = client();
    const customer = await newCustomer(qbo);

    const invoice = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [1000, 250.5]) as any, cb));

    expect(invoice).toMatchObject({
      DocNumber: '1001',
      TotalAmt: 1250.5,
      Balance: 1250.5,
      SyncToken: '0',
      TxnDate: '2026-11-21',
      CustomerRef: { value: customer.Id, name: 'Acme Infra Pvt Ltd' },
      MetaData: { CreateTime: '2026-11-21T02:15:30-08:00', LastUpdatedTime: '2026-11-21T02:15:30-08:00' },
    });
    expect(invoice.Line.map((l: Entity) => [l.Id, l.DetailType, l.Amount])).toEqual([
      ['1', 'SalesItemLineDetail', 1000],
      ['2', 'SalesItemLineDetail', 250.5],
      [undefined, 'SubTotalLineDetail', 1250.5],
    ]);
    expect(invoice.Line[0].SalesItemLineDetail.ItemRef).toEqual({ value: '1', name: 'Services' });

    qb.advanceClock(60_000);
    const updated = await call((cb) =>
      qbo.updateInvoice({ Id: invoice.Id, SyncToken: invoice.SyncToken, PrivateNote: 'Milestone 3 verified' } as any, cb),
    );
    expect(updated).toMatchObject({ SyncToken: '1', PrivateNote: 'Milestone 3 verified', TotalAmt: 1250.5, DocNumber: '1001' });
    expect(updated.MetaData.LastUpdatedTime).toBe('2026-11-21T02:16:30-08:00');
    await expect(call((cb) => qbo.getInvoice(invoice.Id, cb))).resolves.toMatchObject({ SyncToken: '1' });
  });

  it('answers a stale SyncToken with 400 Stale Object Error, code 5010', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const invoice = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [500]) as any, cb));
    qb.simulateUserEdit('Invoice', invoice.Id, { CustomerMemo: { value: 'Edited in QuickBooks' } });

    const stale = await failureOf(call((cb) => qbo.updateInvoice({ Id: invoice.Id, SyncToken: invoice.SyncToken, PrivateNote: 'x' } as any, cb)));

    expect(stale.response.status).toBe(400);
    expect(stale.response.data.Fault).toEqual({
      Error: [expect.objectContaining({ Message: 'Stale Object Error', code: '5010' })],
      type: 'ValidationFault',
    });
    expect(stale.response.data.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0[78]:00$/);
  });

  it('refuses wrong line amounts (6070) and reused invoice numbers (6140) unless duplicates are allowed', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const wrongAmount = invoiceFor(customer.Id, [100]);
    wrongAmount.Line[0].SalesItemLineDetail.Qty = 2;
    const amount = await failureOf(call((cb) => qbo.createInvoice(wrongAmount as any, cb)));
    expect(amount.response.data.Fault.Error[0].code).toBe('6070');

    await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [100], { DocNumber: 'MH-7' }) as any, cb));
    const reused = await failureOf(call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [100], { DocNumber: 'MH-7' }) as any, cb)));
    expect(reused.response.data.Fault.Error[0]).toMatchObject({ Message: 'Duplicate Document Number Error', code: '6140' });

    const allowed = await call((cb) =>
      qbo.createInvoice(invoiceFor(customer.Id, [100], { DocNumber: 'MH-7', allowDuplicateDocNum: true }) as any, cb),
    );
    expect(allowed.DocNumber).toBe('MH-7');
    expect(qb.requests.at(-1)?.query.include).toBe('allowduplicatedocnum');

    const unknownField = await failureOf(call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [1], { Colour: 'red' }) as any, cb)));
    expect(unknownField.response.data.Fault.Error[0].code).toBe('2010');
    const noCustomer = await failureOf(call((cb) => qbo.createInvoice(invoiceFor('999', [1]) as any, cb)));
    expect(noCustomer.response.data.Fault.Error[0].code).toBe('2500');
  });

  it('voids and deletes invoices; a deleted invoice reads as Object Not Found', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const toVoid = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [300]) as any, cb));
    const toDelete = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [400]) as any, cb));

    const voided = await call((cb) => qbo.voidInvoice({ Id: toVoid.Id, SyncToken: toVoid.SyncToken } as any, cb));
    const deleted = await call((cb) => qbo.deleteInvoice({ Id: toDelete.Id, SyncToken: toDelete.SyncToken } as any, cb));

    expect(voided.Invoice).toMatchObject({ TotalAmt: 0, Balance: 0, PrivateNote: 'Voided', SyncToken: '1' });
    expect(deleted).toMatchObject({ Invoice: { status: 'Deleted', Id: toDelete.Id, domain: 'QBO' } });
    const gone = await failureOf(call((cb) => qbo.getInvoice(toDelete.Id, cb)));
    expect(gone.response.status).toBe(400);
    expect(gone.response.data.Fault.Error[0]).toMatchObject({ Message: 'Object Not Found', code: '610' });
  });
});

describe('payments', () => {
  it('reduces the invoice Balance, links both ways, and restores it when the payment is deleted', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const invoice = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [1000]) as any, cb));

    const payment = await call((cb) =>
      qbo.createPayment(
        {
          CustomerRef: { value: customer.Id },
          TotalAmt: 600,
          Line: [{ Amount: 400, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }],
        } as any,
        cb,
      ),
    );
    expect(payment).toMatchObject({ TotalAmt: 600, UnappliedAmt: 200 });

    const paid = await call((cb) => qbo.getInvoice(invoice.Id, cb));
    expect(paid).toMatchObject({ Balance: 600, SyncToken: '1', LinkedTxn: [{ TxnId: payment.Id, TxnType: 'Payment' }] });
    expect(await call((cb) => qbo.getCustomer(customer.Id, cb))).toMatchObject({ Balance: 600 });

    const over = await failureOf(
      call((cb) =>
        qbo.createPayment(
          { CustomerRef: { value: customer.Id }, TotalAmt: 700, Line: [{ Amount: 700, LinkedTxn: [{ TxnId: invoice.Id, TxnType: 'Invoice' }] }] } as any,
          cb,
        ),
      ),
    );
    expect(over.response.data.Fault.Error[0].code).toBe('6000');

    await call((cb) => qbo.deletePayment({ Id: payment.Id, SyncToken: payment.SyncToken } as any, cb));
    expect(await call((cb) => qbo.getInvoice(invoice.Id, cb))).toMatchObject({ Balance: 1000, LinkedTxn: [] });
  });

  it('records a payment made in QuickBooks with simulatePayment', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const invoice = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [800]) as any, cb));

    const payment = qb.simulatePayment({ invoiceId: invoice.Id, amount: 800, paymentRefNum: 'UTR-42' });

    expect(payment).toMatchObject({ TotalAmt: 800, UnappliedAmt: 0, PaymentRefNum: 'UTR-42', CustomerRef: { value: customer.Id } });
    expect(await call((cb) => qbo.getInvoice(invoice.Id, cb))).toMatchObject({ Balance: 0 });
  });
});

describe('change data capture and query', () => {
  it('returns what changed since a time, with deleted entities as stubs', async () => {
    await restart({ now: () => new Date('2026-11-21T10:00:00.000Z') });
    const qbo = client();
    const customer = await newCustomer(qbo);
    const untouched = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [100]) as any, cb));
    const edited = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [200]) as any, cb));
    const removed = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [300]) as any, cb));

    qb.advanceClock(10 * 60_000);
    const since = qb.now().toISOString();
    qb.advanceClock(1000);
    qb.simulateUserEdit('Invoice', edited.Id, { PrivateNote: 'changed in QuickBooks' });
    await call((cb) => qbo.deleteInvoice({ Id: removed.Id, SyncToken: removed.SyncToken } as any, cb));
    const payment = qb.simulatePayment({ invoiceId: edited.Id, amount: 50 });

    const cdc = await call((cb) => qbo.changeDataCapture(['Invoice', 'Payment', 'Customer'], since, cb));

    expect(Object.keys(cdc)).toEqual(['CDCResponse', 'time']);
    const [invoices, payments, customers] = cdc.CDCResponse[0].QueryResponse;
    expect(invoices.Invoice.map((i: Entity) => i.Id).sort()).toEqual([edited.Id, removed.Id].sort());
    expect(invoices.Invoice.find((i: Entity) => i.Id === removed.Id)).toEqual({
      domain: 'QBO',
      status: 'Deleted',
      Id: removed.Id,
      MetaData: { LastUpdatedTime: '2026-11-21T02:10:01-08:00' },
    });
    expect(invoices.Invoice.find((i: Entity) => i.Id === edited.Id)).toMatchObject({ Balance: 150, PrivateNote: 'changed in QuickBooks' });
    expect(invoices).toMatchObject({ startPosition: 1, maxResults: 2 });
    expect(payments.Payment.map((p: Entity) => p.Id)).toEqual([payment.Id]);
    expect(customers).toEqual({ Customer: [], startPosition: 1, maxResults: 0 });
    expect(untouched.Id).not.toBe(edited.Id);
    expect(qb.requests.at(-1)?.query).toMatchObject({ entities: 'Invoice,Payment,Customer', changedSince: since });
  });

  it('cannot read an offset whose + node-quickbooks leaves unencoded, but reads Z and -hh:mm', async () => {
    const qbo = client();
    const plus = await failureOf(call((cb) => qbo.changeDataCapture('Invoice', '2026-11-21T09:00:00+05:30', cb)));
    expect(plus.response.status).toBe(400);
    expect(plus.response.data.Fault.Error[0].Detail).toContain('2026-11-21T09:00:00 05:30');

    const at = qb.now().getTime() - 3600_000;
    await expect(call((cb) => qbo.changeDataCapture('Invoice', new Date(at).toISOString(), cb))).resolves.toHaveProperty('CDCResponse');
    await expect(call((cb) => qbo.changeDataCapture('Invoice', '2026-11-20T22:00:00-08:00', cb))).resolves.toHaveProperty('CDCResponse');
  });

  it('refuses a changedSince older than 30 days', async () => {
    const old = new Date(qb.now().getTime() - 31 * 24 * 3600_000);
    const failure = await failureOf(call((cb) => client().changeDataCapture('Invoice', old.toISOString(), cb)));
    expect(failure.response.status).toBe(400);
  });

  it('answers node-quickbooks find queries on LastUpdatedTime, with paging and counts', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    const before = qb.now().toISOString();
    qb.advanceClock(2000);
    for (const amount of [10, 20, 30]) await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [amount]) as any, cb));

    const recent = await call((cb) =>
      qbo.findInvoices([{ field: 'Metadata.LastUpdatedTime', value: before, operator: '>' }, { field: 'limit', value: 2 }], cb),
    );
    expect(recent.QueryResponse).toMatchObject({ startPosition: 1, maxResults: 2 });
    expect(recent.QueryResponse.Invoice.map((i: Entity) => i.TotalAmt)).toEqual([10, 20]);

    const all = await call((cb) => qbo.findInvoices({ fetchAll: true, limit: 2 } as any, cb));
    expect(all.QueryResponse.Invoice).toHaveLength(3);
    const counted = await call((cb) => qbo.findInvoices({ count: true } as any, cb));
    expect(counted.QueryResponse).toEqual({ totalCount: 3 });
    const none = await call((cb) => qbo.findInvoices({ DocNumber: 'nope' } as any, cb));
    expect(none.QueryResponse).toEqual({});

    qb.simulateUserDelete('Customer', customer.Id);
    expect((await call((cb) => qbo.findCustomers(cb))).QueryResponse).toEqual({});
    const withInactive = await call((cb) => qbo.findCustomers({ Active: [true, false] } as any, cb));
    expect(withInactive.QueryResponse.Customer).toHaveLength(1);

    const bad = await failureOf(call((cb) => qbo.findInvoices({ Colour: 'red' } as any, cb)));
    expect(bad.response.data.Fault.Error[0].code).toBe('4001');
  });
});

describe('idempotency, tokens and throttling', () => {
  it('replays a write sent twice with the same requestid instead of creating a duplicate', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);

    const first = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [999], { requestId: 'mh-inv-42' }) as any, cb));
    const second = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [999], { requestId: 'mh-inv-42' }) as any, cb));

    expect(second.Id).toBe(first.Id);
    expect(qb.entities('Invoice')).toHaveLength(1);
    expect(qb.requestIdReplays).toBe(1);
    expect(qb.requests.filter((r) => r.method === 'POST').at(-1)?.query.requestid).toBe('mh-inv-42');
  });

  it('answers an expired token with Intuit\'s 401 and refreshes through refreshAccessToken at TOKEN_URL', async () => {
    QuickBooks.TOKEN_URL = qb.tokenUrl;
    const qbo = client();
    qb.expireAccessTokens();

    const expired = await failureOf(call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb)));
    expect(expired.response.status).toBe(401);
    expect(expired.response.data.fault).toEqual({
      error: [expect.objectContaining({ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200' })],
      type: 'AUTHENTICATION',
    });

    const tokens = await call((cb) => qbo.refreshAccessToken(cb));
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600, x_refresh_token_expires_in: 8726400 });
    expect(qbo.token).toBe(tokens.access_token);
    expect(qbo.refreshToken).toBe(tokens.refresh_token);
    expect(tokens.refresh_token).not.toBe(qb.credentials.refreshToken);
    expect(qb.tokenRefreshCount).toBe(1);
    const tokenRequest = qb.requests.find((r) => r.path === '/oauth2/v1/tokens/bearer');
    expect(tokenRequest?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${qb.credentials.clientId}:${qb.credentials.clientSecret}`).toString('base64')}`,
    );
    await expect(call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb))).resolves.toMatchObject({ Id: '1' });

    const stale = client({ refreshToken: qb.credentials.refreshToken });
    const rotatedAway = await failureOf(call((cb) => stale.refreshAccessToken(cb)));
    expect(rotatedAway.response).toMatchObject({ status: 400, data: { error: 'invalid_grant' } });
  });

  it('expires access tokens after an hour of fake time', async () => {
    const qbo = client();
    await call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb));
    qb.advanceClock(3601_000);
    const failure = await failureOf(call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb)));
    expect(failure.response.status).toBe(401);
  });

  it('throttles at the per-company rate, and injected 429s carry Retry-After for the connector to read', async () => {
    await restart({ requestsPerMinute: 2 });
    const qbo = client();
    await call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb));
    await call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb));
    const throttled = await failureOf(call((cb) => qbo.getCompanyInfo(qb.credentials.realmId, cb)));
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.data.fault.error[0].code).toBe('3001');

    qb.advanceClock(61_000);
    qb.failNext({ status: 429, retryAfter: 12, path: '/invoice' });
    const injected = await failureOf(call((cb) => qbo.createInvoice(invoiceFor('1', [1]) as any, cb)));
    expect(injected.response.status).toBe(429);
    expect(injected.response.headers['retry-after']).toBe('12');
  });

  it('does not replay an injected failure: a retry with the same requestid runs for real', async () => {
    const qbo = client();
    const customer = await newCustomer(qbo);
    qb.failNext({ status: 503, path: '/invoice' });

    const failed = await failureOf(call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [5], { requestId: 'retry-1' }) as any, cb)));
    const retried = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [5], { requestId: 'retry-1' }) as any, cb));

    expect(failed.response.status).toBe(503);
    expect(failed.response.data.Fault.type).toBe('SystemFault');
    expect(retried.TotalAmt).toBe(5);
    expect(qb.entities('Invoice')).toHaveLength(1);
  });
});

describe('webhooks', () => {
  it('delivers signed change notifications that a receiver verifies over the raw body', async () => {
    const verifierToken = 'verifier-token-7f3a';
    const received: Array<{ verified: boolean; payload: any }> = [];
    let answer = 500;
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const expected = createHmac('sha256', verifierToken).update(raw).digest();
        const given = Buffer.from(String(req.headers['intuit-signature'] ?? ''), 'base64');
        const verified = given.length === expected.length && timingSafeEqual(given, expected);
        received.push({ verified, payload: JSON.parse(raw.toString('utf8')) });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/quickbooks`;
    qb.registerWebhook({ url, verifierToken, entities: ['Invoice', 'Payment'] });

    try {
      const qbo = client();
      const customer = await newCustomer(qbo);
      const invoice = await call((cb) => qbo.createInvoice(invoiceFor(customer.Id, [1200]) as any, cb));
      const payment = qb.simulatePayment({ invoiceId: invoice.Id, amount: 1200 });
      expect(qb.pendingWebhookEvents).toBe(3);

      const refused = await qb.flushWebhooks();
      expect(refused[0]).toMatchObject({ status: 500, ok: false });
      expect(qb.pendingWebhookEvents).toBe(3);

      answer = 200;
      const [delivery] = await qb.flushWebhooks();
      expect(delivery).toMatchObject({ status: 200, ok: true });
      expect(qb.pendingWebhookEvents).toBe(0);

      expect(received.map((r) => r.verified)).toEqual([true, true]);
      const [notification] = received[1]!.payload.eventNotifications;
      expect(notification.realmId).toBe(qb.credentials.realmId);
      expect(notification.dataChangeEvent.entities.map((e: Entity) => [e.name, e.id, e.operation])).toEqual([
        ['Invoice', invoice.Id, 'Create'],
        ['Payment', payment.Id, 'Create'],
        ['Invoice', invoice.Id, 'Update'],
      ]);
      expect(notification.dataChangeEvent.entities[0].lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);

      const tampered = createHmac('sha256', 'wrong-token').update(delivery!.rawBody).digest('base64');
      expect(tampered).not.toBe(delivery!.signature);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
