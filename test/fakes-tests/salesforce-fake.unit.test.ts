import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection, SfDate } from 'jsforce';
import type { ConnectionConfig, SaveResult, UpsertResult } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SalesforceFake, SalesforceFakeOptions } from '../fakes/salesforce/index.ts';
import { startSalesforceFake } from '../fakes/salesforce/index.ts';

/** Real jsforce against the fake. Nothing here mocks jsforce: it speaks HTTP to 127.0.0.1. */

let sf: SalesforceFake;

/** A fresh fake with options; a fixed `now` keeps tokens and records in the same time frame. */
async function restart(options: SalesforceFakeOptions = {}): Promise<void> {
  await sf?.close();
  sf = await startSalesforceFake(options);
}

beforeEach(async () => {
  sf = await startSalesforceFake();
});

afterEach(async () => {
  await sf.close();
});

function connect(extra: ConnectionConfig = {}): Connection {
  return new Connection({
    oauth2: { loginUrl: sf.url, clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret },
    instanceUrl: sf.url,
    refreshToken: sf.credentials.refreshToken,
    version: '58.0',
    ...extra,
  });
}

/**
 * jsforce's errors carry `errorCode` and the body but not the HTTP status or headers; a connector
 * that needs them (429 vs 403, Retry-After) can observe the transport, as here.
 */
function observeResponses(conn: Connection): Array<{ status: number; headers: Record<string, string> }> {
  const seen: Array<{ status: number; headers: Record<string, string> }> = [];
  const transport = conn._transport;
  const original = transport.httpRequest.bind(transport);
  transport.httpRequest = (request, options) => {
    const pending = original(request, options);
    pending.then(
      (response) => seen.push({ status: response.statusCode, headers: response.headers }),
      () => undefined,
    );
    return pending;
  };
  return seen;
}

function savedId(result: SaveResult | UpsertResult): string {
  if (!result.success) throw new Error(`save failed: ${JSON.stringify(result.errors)}`);
  return result.id;
}

async function rejectionOf(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; data?: any }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { errorCode?: string; data?: any };
  }
  throw new Error('expected the call to fail');
}

async function newAccount(conn: Connection, name = 'Acme Infra Pvt Ltd'): Promise<string> {
  return savedId(await conn.sobject('Account').create({ Name: name }));
}

describe('OAuth2 and sessions', () => {
  it('logs in from a refresh token alone: the first call gets 401 and jsforce refreshes once', async () => {
    const conn = connect();
    const refreshed: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshed.push(accessToken));

    const result = await conn.query('SELECT Id FROM Account');

    expect(result.totalSize).toBe(0);
    expect(refreshed).toHaveLength(1);
    expect(sf.tokenRefreshCount).toBe(1);
    expect(conn.instanceUrl).toBe(sf.url);
    expect(conn.userInfo?.organizationId).toBe(sf.credentials.orgId);
    const statuses = sf.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(statuses).toEqual([
      'GET /services/data/v58.0/query 401',
      'POST /services/oauth2/token 200',
      'GET /services/data/v58.0/query 200',
    ]);
  });

  it('returns the token response fields Salesforce returns, with instance_url pointing at the fake', async () => {
    const conn = connect();
    const response = await conn.oauth2.refreshToken(sf.credentials.refreshToken);

    expect(response).toMatchObject({ instance_url: sf.url, token_type: 'Bearer', scope: 'api refresh_token' });
    expect(response.id).toBe(`${sf.url}/id/${sf.credentials.orgId}/${sf.credentials.userId}`);
    expect(response.access_token.startsWith(sf.credentials.orgId.slice(0, 15) + '!')).toBe(true);
    expect(Number(response.issued_at)).toBeGreaterThan(0);
    expect(response.signature).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(response).not.toHaveProperty('refresh_token');
  });

  it('refreshes an expired access token exactly once, even for concurrent calls', async () => {
    const conn = connect();
    const accountId = await newAccount(conn);
    const refreshes: string[] = [];
    conn.on('refresh', (token: string) => refreshes.push(token));
    const before = sf.tokenRefreshCount;

    sf.expireAccessTokens();
    const [a, b, c] = await Promise.all([
      conn.sobject('Account').retrieve(accountId),
      conn.sobject('Account').retrieve(accountId),
      conn.query('SELECT Id FROM Account'),
    ]);

    expect(a.Id).toBe(accountId);
    expect(b.Id).toBe(accountId);
    expect(c.totalSize).toBe(1);
    expect(refreshes).toHaveLength(1);
    expect(sf.tokenRefreshCount - before).toBe(1);
  });

  it('expires sessions with time, and answers 401 INVALID_SESSION_ID in Salesforce\'s shape', async () => {
    const conn = connect();
    await conn.query('SELECT Id FROM Account');
    sf.advanceClock(2 * 3600_000 + 1000);
    sf.clearRequests();

    await conn.query('SELECT Id FROM Account');

    const [expired] = sf.requests;
    expect(expired?.status).toBe(401);
    const raw = await fetch(`${sf.url}/services/data/v58.0/sobjects`, { headers: { Authorization: 'Bearer nope' } });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('fails the call with a clear error when the refresh token was revoked', async () => {
    sf.revokeToken(sf.credentials.refreshToken);
    const conn = connect();

    const error = await rejectionOf(conn.query('SELECT Id FROM Account'));

    expect(error.message).toContain('expired access/refresh token');
    expect(sf.tokenStats.rejected).toBe(1);
  });

  it('supports the password grant through jsforce login()', async () => {
    const conn = new Connection({
      oauth2: { loginUrl: sf.url, clientId: sf.credentials.clientId, clientSecret: sf.credentials.clientSecret },
      version: '58.0',
    });

    const user = await conn.login(sf.credentials.username, sf.credentials.password);

    expect(user.organizationId).toBe(sf.credentials.orgId);
    expect(conn.instanceUrl).toBe(sf.url);
    await expect(rejectionOf(connect().login(sf.credentials.username, 'wrong'))).resolves.toMatchObject({
      name: 'invalid_grant',
    });
  });

  it('supports the client-credentials and authorization-code grants', async () => {
    const conn = connect({ refreshToken: undefined });
    await conn.authorize({ grant_type: 'client_credentials' });
    expect((await conn.query('SELECT Id FROM Account')).done).toBe(true);

    const codeConn = new Connection({
      oauth2: {
        loginUrl: sf.url,
        clientId: sf.credentials.clientId,
        clientSecret: sf.credentials.clientSecret,
        redirectUri: sf.credentials.redirectUri,
      },
      version: '58.0',
    });
    const authorize = await fetch(codeConn.oauth2.getAuthorizationUrl({ state: 'xyz' }), { redirect: 'manual' });
    const location = new URL(authorize.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('xyz');
    await codeConn.authorize(location.searchParams.get('code') ?? '');
    expect(codeConn.refreshToken).toMatch(/^5Aep861/);
    expect((await codeConn.query('SELECT Id FROM Account')).done).toBe(true);
  });
});

describe('records', () => {
  it('creates, retrieves, updates and deletes with Salesforce ids, prefixes and timestamps', async () => {
    const conn = connect();
    const accountId = await newAccount(conn);
    const created = await conn.sobject('Opportunity').create({
      Name: 'Tower B — foundation',
      AccountId: accountId,
      StageName: 'Prospecting',
      CloseDate: '2026-12-31',
      Amount: 250000,
    });
    expect(created).toEqual({ id: expect.stringMatching(/^006[A-Za-z0-9]{15}$/), success: true, errors: [] });
    expect(accountId).toMatch(/^001[A-Za-z0-9]{15}$/);
    const oppId = savedId(created);

    const opp = await conn.sobject('Opportunity').retrieve(oppId);
    expect(opp.attributes).toEqual({ type: 'Opportunity', url: `/services/data/v58.0/sobjects/Opportunity/${oppId}` });
    expect(opp).toMatchObject({ Name: 'Tower B — foundation', Amount: 250000, Probability: 10, IsClosed: false, IsDeleted: false });
    expect(opp.SystemModstamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    expect(opp.CreatedById).toBe(sf.credentials.userId);

    const byShortId = await conn.sobject('Opportunity').retrieve(oppId.slice(0, 15));
    expect(byShortId.Id).toBe(oppId);

    sf.advanceClock(5000);
    const updated = await conn.sobject('Opportunity').update({ Id: oppId, StageName: 'Closed Won' });
    expect(updated).toEqual({ id: oppId, success: true, errors: [] });
    const after = await conn.sobject('Opportunity').retrieve(oppId);
    expect(after).toMatchObject({ StageName: 'Closed Won', IsWon: true, Probability: 100 });
    expect(Date.parse(after.SystemModstamp)).toBeGreaterThan(Date.parse(opp.SystemModstamp));

    await conn.sobject('Opportunity').destroy(oppId);
    const gone = await rejectionOf(conn.sobject('Opportunity').retrieve(oppId));
    expect(gone.errorCode).toBe('ENTITY_IS_DELETED');
    const recycleBin = await conn.query(`SELECT Id, IsDeleted FROM Opportunity WHERE Id = '${oppId}'`, { scanAll: true });
    expect(recycleBin.records).toMatchObject([{ Id: oppId, IsDeleted: true }]);
    expect((await conn.query(`SELECT Id FROM Opportunity WHERE Id = '${oppId}'`)).totalSize).toBe(0);
  });

  it('upserts by external id: a retried create updates the same record instead of duplicating', async () => {
    const conn = connect();
    const milestone = { Hub_Milestone_Id__c: 'ms_01HZX', Name: 'Slab casting', Amount__c: 120000.5, Status__c: 'Planned' };

    const first = await conn.sobject('Milestone__c').upsert(milestone, 'Hub_Milestone_Id__c');
    const second = await conn.sobject('Milestone__c').upsert({ ...milestone, Status__c: 'Completed' }, 'Hub_Milestone_Id__c');

    expect(first).toEqual({ id: expect.stringMatching(/^a0X/), success: true, errors: [], created: true });
    expect(second).toEqual({ id: first.id, success: true, errors: [], created: false });
    expect(sf.records('Milestone__c')).toHaveLength(1);
    expect(sf.getRecord('Milestone__c', savedId(first))).toMatchObject({ Status__c: 'Completed', Amount__c: 120000.5 });
    const patches = sf.requests.filter((r) => r.method === 'PATCH' && r.status !== 401);
    expect(patches.map((r) => [r.path, r.status])).toEqual([
      ['/services/data/v58.0/sobjects/Milestone__c/Hub_Milestone_Id__c/ms_01HZX', 201],
      ['/services/data/v58.0/sobjects/Milestone__c/Hub_Milestone_Id__c/ms_01HZX', 200],
    ]);

    const byExternalId = await conn.request<{ Id: string }>('/sobjects/Milestone__c/Hub_Milestone_Id__c/ms_01HZX');
    expect(byExternalId.Id).toBe(first.id);
  });

  it('answers an upsert-update with 204 on API versions before 46.0', async () => {
    const conn = connect({ version: '45.0' });
    await conn.sobject('Account').upsert({ Hub_External_Id__c: 'acc-1', Name: 'Old API' }, 'Hub_External_Id__c');
    const again = await conn.sobject('Account').upsert({ Hub_External_Id__c: 'acc-1', Name: 'Old API 2' }, 'Hub_External_Id__c');

    expect(again).toEqual({ success: true, errors: [] });
    expect(sf.requests.at(-1)?.status).toBe(204);
  });

  it('rejects an external id that is not an external-id field, and refuses duplicate external ids', async () => {
    const conn = connect();
    const notExternal = await rejectionOf(conn.sobject('Account').upsert({ Name: 'X', Phone: '1' }, 'Phone'));
    expect(notExternal.errorCode).toBe('NOT_FOUND');

    await conn.sobject('Account').create({ Name: 'A', Hub_External_Id__c: 'dup' });
    const duplicate = await rejectionOf(conn.sobject('Account').create({ Name: 'B', Hub_External_Id__c: 'DUP' }));
    expect(duplicate.errorCode).toBe('DUPLICATE_VALUE');
  });

  it('maps 400 errors to jsforce errors with Salesforce error codes and fields', async () => {
    const conn = connect();
    const missing = await rejectionOf(conn.sobject('Opportunity').create({ Name: 'No stage' }));
    expect(missing.errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(missing.message).toBe('Required fields are missing: [StageName, CloseDate]');
    expect(missing.data).toEqual({
      message: 'Required fields are missing: [StageName, CloseDate]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['StageName', 'CloseDate'],
    });

    const unknown = await rejectionOf(conn.sobject('Account').create({ Name: 'X', Colour__c: 'red' }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toBe("No such column 'Colour__c' on sobject of type Account");

    const picklist = await rejectionOf(conn.sobject('Milestone__c').create({ Name: 'M', Status__c: 'Done-ish' }));
    expect(picklist.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');

    const readOnly = await rejectionOf(conn.sobject('Account').create({ Name: 'X', SystemModstamp: '2026-01-01T00:00:00Z' }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const badDate = await rejectionOf(
      conn.sobject('Opportunity').create({ Name: 'D', StageName: 'Prospecting', CloseDate: '31/12/2026' }),
    );
    expect(badDate.errorCode).toBe('JSON_PARSER_ERROR');

    const wrongLookup = await rejectionOf(
      conn.sobject('Milestone__c').create({ Name: 'M', Opportunity__c: await newAccount(conn, 'Lookup target') }),
    );
    expect(wrongLookup.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');

    const notThere = await rejectionOf(conn.sobject('Account').retrieve('001000000000000AAA'));
    expect(notThere.errorCode).toBe('NOT_FOUND');
  });

  it('describes Opportunity, Account and Milestone__c with field metadata', async () => {
    const conn = connect();
    const milestone = await conn.sobject('Milestone__c').describe();
    expect(milestone).toMatchObject({ name: 'Milestone__c', keyPrefix: 'a0X', custom: true });
    const external = milestone.fields.find((f) => f.name === 'Hub_Milestone_Id__c');
    expect(external).toMatchObject({ type: 'string', externalId: true, unique: true, createable: true, updateable: true });
    const modstamp = milestone.fields.find((f) => f.name === 'SystemModstamp');
    expect(modstamp).toMatchObject({ type: 'datetime', createable: false, updateable: false });

    const opportunity = await conn.sobject('Opportunity').describe();
    expect(opportunity.keyPrefix).toBe('006');
    expect(opportunity.fields.find((f) => f.name === 'StageName')?.picklistValues?.map((p) => p.value)).toContain('Closed Won');
    expect(opportunity.childRelationships).toContainEqual(
      expect.objectContaining({ childSObject: 'Milestone__c', field: 'Opportunity__c', relationshipName: 'Milestones__r' }),
    );
    const account = await conn.sobject('Account').describe();
    expect(account.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Id', 'Name', 'Hub_External_Id__c', 'SystemModstamp']));
  });

  it('writes and retrieves many records through sObject Collections, honouring allOrNone', async () => {
    const conn = connect();
    const results = await conn.sobject('Account').create([{ Name: 'One' }, { Name: 'Two' }]);
    expect(results.map((r) => r.success)).toEqual([true, true]);
    expect(sf.requests.at(-1)?.path).toBe('/services/data/v58.0/composite/sobjects');

    const partial = await conn.sobject('Account').create([{ Name: 'Three' }, { Phone: 'no name' }]);
    expect(partial[0]?.success).toBe(true);
    expect(partial[1]).toMatchObject({ success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }] });

    const rolledBack = await conn.sobject('Account').create([{ Name: 'Four' }, { Phone: 'no name' }], { allOrNone: true });
    expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
    expect(rolledBack[0]?.errors[0]).toMatchObject({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' });
    expect(sf.records('Account').map((a) => a.Name)).toEqual(['One', 'Two', 'Three']);

    const upserted = await conn
      .sobject('Account')
      .upsert([{ Hub_External_Id__c: 'x1', Name: 'X1' }, { Hub_External_Id__c: 'x1', Name: 'X1 again' }], 'Hub_External_Id__c');
    expect(upserted.map((r) => r.created)).toEqual([true, false]);

    const ids = results.map((r) => (r.success ? r.id : ''));
    const fetched = await conn.sobject('Account').retrieve(ids, { fields: ['Name'] });
    expect(fetched.map((r) => r?.Name)).toEqual(['One', 'Two']);
  });
});

describe('SOQL', () => {
  it('polls by SystemModstamp with unquoted datetime literals, seeing a user\'s edit made later', async () => {
    await restart({ now: () => new Date('2026-11-21T10:00:00.250Z') });
    const conn = connect();
    const ids = [];
    for (const name of ['A', 'B', 'C']) {
      ids.push((await conn.sobject('Milestone__c').create({ Name: name, Status__c: 'Planned' })).id);
    }
    const first = await conn.query<{ Id: string; SystemModstamp: string }>(
      'SELECT Id, Name, SystemModstamp FROM Milestone__c WHERE SystemModstamp > 2026-11-21T09:59:00.000Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 200',
    );
    expect(first.records.map((r) => r.Id)).toEqual(ids);
    expect(first.records[0]?.SystemModstamp).toBe('2026-11-21T10:00:00.000+0000');
    const cursor = first.records.at(-1)!.SystemModstamp;

    sf.advanceClock(90_000);
    sf.simulateUserEdit('Milestone__c', ids[1]!, { Status__c: 'Completed' });

    const since = SfDate.toDateTimeLiteral(new Date(Date.parse(cursor))).toString();
    const changed = await conn.query<{ Id: string; Status__c: string; LastModifiedById: string }>(
      `SELECT Id, Status__c, LastModifiedById FROM Milestone__c WHERE SystemModstamp > ${since} AND Status__c IN ('Completed', 'Verified') ORDER BY SystemModstamp ASC`,
    );
    expect(changed.records).toHaveLength(1);
    expect(changed.records[0]).toMatchObject({ Id: ids[1], Status__c: 'Completed' });
    expect(changed.records[0]?.LastModifiedById).not.toBe(sf.credentials.userId);
  });

  it('builds queries through jsforce find() and follows parent relationships', async () => {
    const conn = connect();
    const accountId = await newAccount(conn, 'Parent Co');
    await conn.sobject('Opportunity').create({ Name: 'Big', AccountId: accountId, StageName: 'Prospecting', CloseDate: '2026-12-01', Amount: 500 });
    await conn.sobject('Opportunity').create({ Name: 'Small', StageName: 'Prospecting', CloseDate: '2026-12-01', Amount: 5 });

    const rows = await conn
      .sobject('Opportunity')
      .find({ Amount: { $gte: 10 }, Name: { $like: 'b%' } }, ['Id', 'Name', 'Account.Name'])
      .sort({ Amount: -1 })
      .execute();

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ Name: 'Big', Account: { attributes: { type: 'Account' }, Name: 'Parent Co' } });
    const orphan = await conn.query<{ Account: unknown }>("SELECT Account.Name FROM Opportunity WHERE Name = 'small'");
    expect(orphan.records[0]?.Account).toBeNull();
    const count = await conn.query('SELECT COUNT() FROM Opportunity');
    expect(count).toMatchObject({ totalSize: 2, done: true, records: [] });
  });

  it('pages large results with nextRecordsUrl, queryMore and autoFetch', async () => {
    await restart({ queryBatchSize: 2 });
    const conn = connect();
    for (let i = 1; i <= 5; i++) await conn.sobject('Account').create({ Name: `Acct ${i}` });

    const page1 = await conn.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name');
    expect(page1).toMatchObject({ totalSize: 5, done: false });
    expect(page1.nextRecordsUrl).toMatch(/\/services\/data\/v58\.0\/query\/01g[A-Za-z0-9]{15}-2$/);
    const raw = await fetch(`${sf.url}/services/data/v58.0/query?q=${encodeURIComponent('SELECT Name FROM Account')}`, {
      headers: { Authorization: `Bearer ${sf.issueAccessToken()}` },
    });
    const body = (await raw.json()) as { nextRecordsUrl: string; records: Array<{ attributes: { url: string } }> };
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v58\.0\/query\/01g[A-Za-z0-9]{15}-2$/);
    expect(body.records[0]?.attributes.url).toMatch(/^\/services\/data\/v58\.0\/sobjects\/Account\/001/);
    const page2 = await conn.queryMore<{ Name: string }>(page1.nextRecordsUrl!);
    expect(page2.records.map((r) => r.Name)).toEqual(['Acct 3', 'Acct 4']);

    const all = await conn.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name', { autoFetch: true });
    expect(all.records.map((r) => r.Name)).toEqual(['Acct 1', 'Acct 2', 'Acct 3', 'Acct 4', 'Acct 5']);

    sf.advanceClock(16 * 60_000);
    const stale = await rejectionOf(conn.queryMore(page2.nextRecordsUrl!));
    expect(stale.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('rejects malformed SOQL the way Salesforce does', async () => {
    const conn = connect();
    const quoted = await rejectionOf(conn.query("SELECT Id FROM Account WHERE SystemModstamp > '2026-11-21T10:00:00Z'"));
    expect(quoted.errorCode).toBe('MALFORMED_QUERY');
    expect(quoted.message).toContain("must be of type dateTime and should not be enclosed in quotes");

    const column = await rejectionOf(conn.query('SELECT Id, Colour__c FROM Account'));
    expect(column.errorCode).toBe('INVALID_FIELD');
    expect(column.message).toContain("No such column 'Colour__c' on entity 'Account'");

    const duplicate = await rejectionOf(conn.query('SELECT Id, id FROM Account'));
    expect(duplicate.message).toContain('duplicate field selected: id');

    const type = await rejectionOf(conn.query('SELECT Id FROM Invoice__c'));
    expect(type.errorCode).toBe('INVALID_TYPE');
  });

  it('reports updated and deleted ids for a time window', async () => {
    const conn = connect();
    const start = sf.now();
    const keep = await newAccount(conn, 'Keep');
    const drop = await newAccount(conn, 'Drop');
    await conn.sobject('Account').destroy(drop);
    sf.advanceClock(120_000);

    const updated = await conn.sobject('Account').updated(start, sf.now());
    const deleted = await conn.sobject('Account').deleted(start, sf.now());

    expect(updated.ids).toEqual([keep]);
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([drop]);
  });
});

describe('limits and injected failures', () => {
  it('surfaces a 429 REQUEST_LIMIT_EXCEEDED with the status and Retry-After a connector can read', async () => {
    const conn = connect();
    await newAccount(conn);
    const responses = observeResponses(conn);
    sf.failNext({ status: 429, retryAfter: 30, path: '/sobjects/Opportunity', method: 'POST' });

    const error = await rejectionOf(
      conn.sobject('Opportunity').create({ Name: 'Throttled', StageName: 'Prospecting', CloseDate: '2026-12-31' }),
    );

    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(error).not.toHaveProperty('statusCode');
    expect(responses.at(-1)).toMatchObject({ status: 429, headers: { 'retry-after': '30' } });
    expect(sf.records('Opportunity')).toHaveLength(0);
  });

  it('shows that jsforce itself retries a GET answered 429 before the caller sees anything', async () => {
    const conn = connect();
    await conn.query('SELECT Id FROM Account');
    sf.clearRequests();
    sf.failNext({ status: 429, path: '/query' });

    const result = await conn.query('SELECT Id FROM Account');

    expect(result.done).toBe(true);
    expect(sf.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('enforces the daily API allowance with 403 and reports usage in Sforce-Limit-Info', async () => {
    await restart({ dailyApiRequests: 3 });
    const conn = connect();
    await conn.query('SELECT Id FROM Account');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 3 });
    await conn.query('SELECT Id FROM Account');
    await conn.query('SELECT Id FROM Account');

    const error = await rejectionOf(conn.query('SELECT Id FROM Account'));

    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(error.message).toBe('TotalRequests Limit exceeded.');
    expect(sf.requests.at(-1)?.status).toBe(403);
  });

  it('injects a 503 with a custom body on a chosen path only', async () => {
    const conn = connect();
    const accountId = await newAccount(conn);
    sf.failNext({ status: 400, path: /\/sobjects\/Account\/001/, body: [{ message: 'Record locked', errorCode: 'UNABLE_TO_LOCK_ROW' }] });

    const locked = await rejectionOf(conn.sobject('Account').update({ Id: accountId, Name: 'Renamed' }));
    expect(locked.errorCode).toBe('UNABLE_TO_LOCK_ROW');
    await expect(conn.sobject('Account').update({ Id: accountId, Name: 'Renamed' })).resolves.toMatchObject({ success: true });
  });
});

describe('outbound messages', () => {
  it('POSTs the SOAP notifications envelope and reports whether the listener acked', async () => {
    const conn = connect();
    const opp = await conn.sobject('Opportunity').create({ Name: 'Notify me', StageName: 'Closed Won', CloseDate: '2026-12-31', Amount: 999.5 });
    const received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];
    let ack = 'true';
    const listener = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
            `<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>${ack}</Ack></notificationsResponse>` +
            '</soapenv:Body></soapenv:Envelope>',
        );
      });
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/hooks/salesforce`;

    try {
      const result = await sf.sendOutboundMessage({ url, sObject: 'Opportunity', id: opp.id, fields: ['Name', 'StageName', 'Amount'] });
      ack = 'false';
      const refused = await sf.sendOutboundMessage({ url, sObject: 'Opportunity', fields: { Id: opp.id, Name: 'A & B <co>' } });

      expect(result.acked).toBe(true);
      expect(refused.acked).toBe(false);
      const [first, second] = received;
      expect(first?.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(first?.headers.soapaction).toBe('""');
      expect(first?.body).toContain('<notifications xmlns="http://soap.sforce.com/2005/09/outbound">');
      expect(first?.body).toContain(`<OrganizationId>${sf.credentials.orgId}</OrganizationId>`);
      expect(first?.body).toContain('<SessionId xsi:nil="true"/>');
      expect(first?.body).toMatch(/<Notification><Id>04l[A-Za-z0-9]{15}<\/Id><sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">/);
      expect(first?.body).toContain(`<sf:Id>${opp.id}</sf:Id><sf:Name>Notify me</sf:Name><sf:StageName>Closed Won</sf:StageName><sf:Amount>999.5</sf:Amount>`);
      expect(second?.body).toContain('<sf:Name>A &amp; B &lt;co&gt;</sf:Name>');
      expect(result.notificationIds).not.toEqual(refused.notificationIds);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
