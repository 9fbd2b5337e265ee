import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import JiraApi from 'jira-client';
import type { CoreOptions, RequestResponse, UriOptions } from 'request';
import { afterEach, describe, expect, it } from 'vitest';
import { startJiraFake, type JiraFake, type JiraFakeOptions } from '../fakes/jira/index.ts';

// postman-request is what jira-client itself sends with; a connector that needs status codes
// and headers injects a thin wrapper around it through jira-client's `request` option.
const postmanRequest = createRequire(import.meta.url)('postman-request') as (
  options: CoreOptions & UriOptions,
  callback: (error: (Error & { code?: string }) | null, response: RequestResponse) => void,
) => void;

/** jira-client declares these private, but they are the documented way to reach unwrapped endpoints. */
interface JiraClientInternals {
  makeUri(options: { pathname: string; query?: Record<string, unknown>; intermediatePath?: string }): string;
  makeRequestHeader(uri: string, options?: Record<string, unknown>): CoreOptions & UriOptions;
  doRequest(options: CoreOptions & UriOptions): Promise<unknown>;
}
const internals = (jira: JiraApi) => jira as unknown as JiraClientInternals;

type Json = Record<string, any>;

const jiraTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/;

let fake: JiraFake | undefined;
const receivers: Server[] = [];

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function start(options: JiraFakeOptions = {}): Promise<JiraFake> {
  fake = await startJiraFake(options);
  return fake;
}

function client(
  jiraFake: JiraFake,
  overrides: Partial<ConstructorParameters<typeof JiraApi>[0]> = {},
): JiraApi {
  return new JiraApi({
    protocol: 'http',
    host: '127.0.0.1',
    port: String(jiraFake.port),
    username: jiraFake.credentials.email,
    password: jiraFake.credentials.apiToken,
    apiVersion: '2',
    strictSSL: false,
    ...overrides,
  });
}

/** jira-client turns every failure into `new Error(JSON.stringify(whatTheRequestRejectedWith))`. */
async function rejectionOf(promise: Promise<unknown>): Promise<Json> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return JSON.parse((error as Error).message) as Json;
}

/**
 * A `request` for jira-client that keeps what the default one throws away: on a status >= 400 it
 * rejects with `{ statusCode, headers, body }`, which jira-client then JSON-encodes into the
 * Error's message, so the caller can read the status and Retry-After back.
 */
function requestKeepingStatus(options: CoreOptions & UriOptions): Promise<unknown> {
  return new Promise((resolve, reject) => {
    postmanRequest(options, (error, response) => {
      if (error) return reject({ transportError: error.code ?? error.message });
      if (response.statusCode >= 400) {
        return reject({ statusCode: response.statusCode, headers: response.headers, body: response.body });
      }
      resolve(response.body);
    });
  });
}

async function searchJql(jira: JiraApi, body: Json): Promise<Json> {
  const api = internals(jira);
  return (await api.doRequest(api.makeRequestHeader(api.makeUri({ pathname: '/search/jql' }), { method: 'POST', body }))) as Json;
}

async function setProperty(jira: JiraApi, issueKey: string, key: string, value: unknown): Promise<unknown> {
  const api = internals(jira);
  return api.doRequest(api.makeRequestHeader(api.makeUri({ pathname: `/issue/${issueKey}/properties/${key}` }), { method: 'PUT', body: value }));
}

async function createTask(jira: JiraApi, summary: string, extra: Json = {}): Promise<{ id: string; key: string; self: string }> {
  return (await jira.addNewIssue({
    fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary, ...extra.fields },
    ...(extra.properties ? { properties: extra.properties } : {}),
  })) as unknown as { id: string; key: string; self: string };
}

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
}

/** A local webhook receiver; `answer` picks the status for each delivery in turn. */
async function startReceiver(answer: (index: number) => number = () => 204): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.statusCode = answer(received.length - 1);
      response.end();
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/jira`, received };
}

describe('Jira fake driven by the real jira-client', () => {
  it('answers myself and serverInfo like Jira Cloud', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake);

    const me = (await jira.getCurrentUser()) as unknown as Json;
    expect(me).toMatchObject({ accountId: jiraFake.users[0]!.accountId, emailAddress: 'hub-bot@example.com', accountType: 'atlassian', active: true });

    const info = (await jira.getServerInfo()) as unknown as Json;
    expect(info).toMatchObject({ deploymentType: 'Cloud', baseUrl: jiraFake.url });
    expect(info.serverTime).toMatch(jiraTimestamp);
  });

  it('creates an issue and returns the full issue with Jira field shapes', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake);

    const created = await createTask(jira, 'Deliver milestone 1', {
      fields: { description: 'Scope:\nfoundation work', duedate: '2026-12-15', labels: ['milestone-hub'] },
    });
    expect(created).toEqual({ id: '10000', key: 'MH-1', self: `${jiraFake.url}/rest/api/2/issue/10000` });

    const issue = (await jira.findIssue('MH-1')) as unknown as Json;
    expect(issue).toMatchObject({ id: '10000', key: 'MH-1', self: `${jiraFake.url}/rest/api/2/issue/10000` });
    expect(issue.fields).toMatchObject({
      summary: 'Deliver milestone 1',
      description: 'Scope:\nfoundation work',
      duedate: '2026-12-15',
      labels: ['milestone-hub'],
      status: { id: '10000', name: 'To Do', statusCategory: { key: 'new', name: 'To Do' } },
      issuetype: { id: '10001', name: 'Task', subtask: false },
      project: { key: 'MH', id: '10000' },
      priority: { name: 'Medium', id: '3' },
      assignee: null,
      resolution: null,
      reporter: { accountId: jiraFake.users[0]!.accountId },
    });
    expect(issue.fields.created).toMatch(jiraTimestamp);
    expect(issue.fields.updated).toMatch(/\+0000$/);
    // jira-client's findIssue() always asks for properties=*all.
    expect(issue.properties).toEqual({});

    const narrow = (await jira.findIssue('MH-1', '', 'summary,status')) as unknown as Json;
    expect(Object.keys(narrow.fields).sort()).toEqual(['status', 'summary']);
  });

  it('rejects invalid creates with Jira error collections', async () => {
    const jiraFake = await start();

    const missing = await rejectionOf(client(jiraFake).addNewIssue({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' } } }));
    expect(missing).toEqual({ errorMessages: [], errors: { summary: 'You must specify a summary of the issue.' } });

    const badProject = await rejectionOf(createTaskIn(client(jiraFake), 'NOPE'));
    expect(badProject.errors).toEqual({ project: 'Specify a valid project ID or key' });

    const v3 = client(jiraFake, { apiVersion: '3' });
    const plainDescription = await rejectionOf(createTask(v3, 'v3 needs ADF', { fields: { description: 'plain text' } }));
    expect(plainDescription.errors).toEqual({ description: 'Operation value must be an Atlassian Document' });

    const spacedLabel = await rejectionOf(createTask(client(jiraFake), 'Label', { fields: { labels: ['two words'] } }));
    expect(spacedLabel.errors.labels).toContain('contains spaces');
  });

  it('edits with fields and update operations and records the changelog', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake);
    await createTask(jira, 'Original', { fields: { labels: ['a', 'b'] } });

    const result = await jira.updateIssue('MH-1', {
      fields: { summary: 'Renamed', assignee: { accountId: jiraFake.users[1]!.accountId } },
      update: { labels: [{ add: 'c' }, { remove: 'a' }] },
    });
    expect(result).toBeUndefined();

    const issue = (await jira.findIssue('MH-1', 'changelog')) as unknown as Json;
    expect(issue.fields.summary).toBe('Renamed');
    expect(issue.fields.labels).toEqual(['b', 'c']);
    expect(issue.fields.assignee.displayName).toBe('Asha Rao');
    const items = issue.changelog.histories[0].items as Json[];
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'summary', fromString: 'Original', toString: 'Renamed' }),
        expect.objectContaining({ field: 'labels', fromString: 'a b', toString: 'b c' }),
        expect.objectContaining({ field: 'assignee', to: jiraFake.users[1]!.accountId, toString: 'Asha Rao' }),
      ]),
    );

    const statusEdit = await rejectionOf(jira.updateIssue('MH-1', { fields: { status: { name: 'Done' } } }));
    expect(statusEdit.errors.status).toBe("Field 'status' cannot be set. It is not on the appropriate screen, or unknown.");

    await jira.deleteIssue('MH-1');
    const gone = await rejectionOf(jira.findIssue('MH-1'));
    expect(gone.errorMessages).toEqual(['Issue does not exist or you do not have permission to see it.']);
  });

  it('lists and performs workflow transitions, and refuses invalid ones with 400', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake);
    await createTask(jira, 'Flow');

    const fromToDo = (await jira.listTransitions('MH-1')) as unknown as Json;
    expect(fromToDo.transitions).toEqual([
      expect.objectContaining({ id: '11', name: 'Start Progress', to: expect.objectContaining({ name: 'In Progress', statusCategory: expect.objectContaining({ key: 'indeterminate' }) }) }),
    ]);

    await jira.transitionIssue('MH-1', { transition: { id: '11' } });
    const invalid = await rejectionOf(jira.transitionIssue('MH-1', { transition: { id: '31' } }));
    expect(invalid.errorMessages).toEqual(["Transition id '31' is not valid for this issue."]);

    await jira.transitionIssue('MH-1', { transition: { id: '21' } });
    await jira.transitionIssue('MH-1', { transition: { id: '31' } });
    const done = (await jira.findIssue('MH-1')) as unknown as Json;
    expect(done.fields.status).toMatchObject({ name: 'Done', id: '10001', statusCategory: { key: 'done', name: 'Done' } });
    expect(done.fields.resolution).toMatchObject({ name: 'Done' });
    expect(done.fields.resolutiondate).toMatch(jiraTimestamp);
  });

  it('stores comments as strings on v2 and ADF on v3, each readable from the other', async () => {
    const jiraFake = await start();
    const v2 = client(jiraFake);
    const v3 = client(jiraFake, { apiVersion: '3' });
    await createTask(v2, 'Comments');

    const plain = (await v2.addComment('MH-1', 'First from v2')) as unknown as Json;
    expect(plain).toMatchObject({ body: 'First from v2', author: { accountId: jiraFake.users[0]!.accountId } });
    expect(plain.created).toMatch(jiraTimestamp);

    const adf = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Second from v3' }] }] };
    const rich = (await v3.addCommentAdvanced('MH-1', { body: adf })) as unknown as Json;
    expect(rich.body).toEqual(adf);

    const asV2 = (await v2.getComments('MH-1')) as unknown as Json;
    expect(asV2.comments.map((comment: Json) => comment.body)).toEqual(['First from v2', 'Second from v3']);
    const asV3 = (await v3.getComments('MH-1')) as unknown as Json;
    expect(asV3.comments[0].body).toEqual({
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'First from v2' }] }],
    });

    const stringOnV3 = await rejectionOf(v3.addComment('MH-1', 'not ADF'));
    expect(stringOnV3.errorMessages).toEqual(['Comment body is not valid!']);
  });

  it('round-trips an ADF description written on v3 and shows its text on v2', async () => {
    const jiraFake = await start();
    const v3 = client(jiraFake, { apiVersion: '3' });
    const description = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Line one', marks: [{ type: 'strong' }] }, { type: 'hardBreak' }, { type: 'text', text: 'line two' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Second paragraph' }] },
      ],
    };
    await createTask(v3, 'ADF', { fields: { description } });

    expect(((await v3.findIssue('MH-1')) as unknown as Json).fields.description).toEqual(description);
    expect(((await client(jiraFake).findIssue('MH-1')) as unknown as Json).fields.description).toBe('Line one\nline two\n\nSecond paragraph');
    expect(((await v3.findIssue('MH-1')) as unknown as Json).self).toBe(`${jiraFake.url}/rest/api/3/issue/10000`);
  });

  it('evaluates AND, OR, NOT and parentheses, and reports JQL syntax errors', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake);
    await createTask(jira, 'Alpha', { fields: { labels: ['x'] } });
    await createTask(jira, 'Beta', { fields: { labels: ['y'], assignee: { accountId: jiraFake.users[1]!.accountId } } });
    await createTask(jira, 'Gamma');
    await jira.transitionIssue('MH-3', { transition: { id: '11' } });

    const keys = async (jql: string) => ((await searchJql(jira, { jql, fields: ['summary'] })).issues as Json[]).map((issue) => issue.key);
    expect(await keys('project = MH AND (status = "In Progress" OR labels in (x, z)) ORDER BY key ASC')).toEqual(['MH-1', 'MH-3']);
    expect(await keys('project = MH AND NOT assignee is EMPTY')).toEqual(['MH-2']);
    expect(await keys('project = MH AND labels != x ORDER BY key')).toEqual(['MH-2']);
    expect(await keys('project = MH AND statusCategory = "To Do" ORDER BY key DESC')).toEqual(['MH-2', 'MH-1']);
    expect(await keys('summary ~ "gam" AND project = MH')).toEqual(['MH-3']);
    expect(await keys('assignee = currentUser()')).toEqual([]);

    const syntax = await rejectionOf(searchJql(jira, { jql: 'project = MH AND' }));
    expect(syntax.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
    const badDate = await rejectionOf(searchJql(jira, { jql: 'updated >= "21/11/2026"' }));
    expect(badDate.errorMessages[0]).toContain("Date value '21/11/2026' for field 'updated' is invalid");
    const badStatus = await rejectionOf(searchJql(jira, { jql: 'status = Blocked' }));
    expect(badStatus.errorMessages).toEqual(["The value 'Blocked' does not exist for the field 'status'."]);
    const badOperator = await rejectionOf(searchJql(jira, { jql: 'summary = Alpha' }));
    expect(badOperator.errorMessages).toEqual(["The operator '=' is not supported by the 'summary' field."]);
    const badToken = await rejectionOf(searchJql(jira, { jql: 'project = MH', nextPageToken: 'forged' }));
    expect(badToken.errorMessages).toEqual(['The provided next page token is invalid or expired.']);
  });

  it('refuses simulated moves the workflow does not allow', async () => {
    const jiraFake = await start();
    const key = jiraFake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Person-made' } });
    expect(() => jiraFake.simulateTransition(key, 'Done')).toThrow(/no transition from 'To Do' to 'Done'/);
    expect(() => jiraFake.simulateUserEdit(key, { fields: { status: 'Done' } })).toThrow(/cannot be set/);
    expect(() => jiraFake.simulateComment('MH-404', 'x')).toThrow(/no issue MH-404/);
    expect(jiraFake.getIssue(key)).toMatchObject({ key: 'MH-1', fields: { reporter: { displayName: 'Asha Rao' } } });
  });

  it('answers the removed legacy search with 410, as Jira Cloud does', async () => {
    const jiraFake = await start();
    const error = await rejectionOf(client(jiraFake).searchJira('project = MH'));
    expect(error.errorMessages[0]).toContain('/rest/api/3/search/jql');
  });

  it('paginates legacy search with startAt, maxResults and total when enabled', async () => {
    let clock = Date.parse('2026-11-21T10:00:00.000Z');
    const jiraFake = await start({ legacySearch: 'available', now: () => clock });
    const jira = client(jiraFake);
    for (let index = 1; index <= 5; index++) {
      await createTask(jira, `Task ${index}`);
      clock += 60_000;
    }

    const jql = 'project = MH AND updated >= "2026-11-21 10:02" ORDER BY updated ASC';
    const first = (await jira.searchJira(jql, { startAt: 0, maxResults: 2, fields: ['summary', 'updated'] })) as unknown as Json;
    expect(first).toMatchObject({ startAt: 0, maxResults: 2, total: 3 });
    expect(first.issues.map((issue: Json) => issue.key)).toEqual(['MH-3', 'MH-4']);
    expect(Object.keys(first.issues[0].fields).sort()).toEqual(['summary', 'updated']);
    const second = (await jira.searchJira(jql, { startAt: 2, maxResults: 2 })) as unknown as Json;
    expect(second.issues.map((issue: Json) => issue.key)).toEqual(['MH-5']);
    expect(second.issues[0].fields.comment).toBeUndefined();
  });

  it('polls /search/jql with updated >= at minute precision and nextPageToken pages', async () => {
    let clock = Date.parse('2026-11-21T10:15:30.000Z');
    const jiraFake = await start({ now: () => clock });
    const jira = client(jiraFake);
    for (let index = 1; index <= 4; index++) {
      await createTask(jira, `Task ${index}`);
      clock += 60_000;
    }
    jiraFake.simulateUserEdit('MH-1', { fields: { summary: 'Edited later in Jira' } });

    // Without ORDER BY, results come newest-created first.
    const idsOnly = await searchJql(jira, { jql: 'project = MH AND updated >= "2026-11-21 10:17"', maxResults: 10 });
    expect(idsOnly.issues).toEqual([{ id: '10003' }, { id: '10002' }, { id: '10000' }]);
    expect(idsOnly.isLast).toBe(true);
    expect('nextPageToken' in idsOnly).toBe(false);

    const jql = 'project = MH AND updated > "2026-11-21 10:16" ORDER BY updated ASC';
    const keys: string[] = [];
    let page = await searchJql(jira, { jql, maxResults: 2, fields: ['summary', 'updated'] });
    keys.push(...page.issues.map((issue: Json) => issue.key));
    expect(page.isLast).toBe(false);
    page = await searchJql(jira, { jql, maxResults: 2, fields: ['summary', 'updated'], nextPageToken: page.nextPageToken });
    keys.push(...page.issues.map((issue: Json) => issue.key));
    expect(page.isLast).toBe(true);
    // 10:16:30 is after "10:16" (10:16:00), so MH-2 counts; MH-1 was re-touched at 10:19:30.
    expect(keys).toEqual(['MH-2', 'MH-3', 'MH-4', 'MH-1']);
    expect(page.issues.at(-1).fields.summary).toBe('Edited later in Jira');

    const byKey = await searchJql(jira, { jql: 'key in (MH-2, MH-4) ORDER BY key ASC', fields: ['summary'] });
    expect(byKey.issues.map((issue: Json) => issue.key)).toEqual(['MH-2', 'MH-4']);

    const unbounded = await rejectionOf(searchJql(jira, { jql: 'ORDER BY updated ASC' }));
    expect(unbounded.errorMessages[0]).toContain('Unbounded JQL queries are not allowed');
    const unknownField = await rejectionOf(searchJql(jira, { jql: 'project = MH AND colour = red' }));
    expect(unknownField.errorMessages).toEqual(["Field 'colour' does not exist or you do not have permission to view it."]);
    const missingKey = await rejectionOf(searchJql(jira, { jql: 'key in (MH-2, MH-99)' }));
    expect(missingKey.errorMessages).toEqual(["An issue with key 'MH-99' does not exist for field 'key'."]);
  });

  it("reads JQL dates and renders timestamps in the caller's time zone", async () => {
    const clock = Date.parse('2026-11-21T10:15:30.000Z');
    const jiraFake = await start({
      now: () => clock,
      users: [{ email: 'ops@example.in', displayName: 'Ops', apiToken: 'ist-token', timeZone: 'Asia/Kolkata' }],
    });
    const jira = client(jiraFake);
    await createTask(jira, 'In IST');

    const issue = (await jira.findIssue('MH-1')) as unknown as Json;
    expect(issue.fields.created).toBe('2026-11-21T15:45:30.000+0530');

    // A cursor written in UTC is read as IST wall-clock time and misses the change.
    const utcWording = await searchJql(jira, { jql: 'updated >= "2026-11-21 10:15" AND updated < "2026-11-21 10:16"' });
    expect(utcWording.issues).toEqual([]);
    const istWording = await searchJql(jira, { jql: 'updated >= "2026-11-21 15:45" AND updated < "2026-11-21 15:46"' });
    expect(istWording.issues).toEqual([{ id: '10000' }]);
  });

  it('keeps entity properties, and finds by label or indexed property to avoid duplicate creates', async () => {
    const plain = await start();
    const jira = client(plain);
    await createTask(jira, 'Has hub id', { fields: { labels: ['hub-ms-42'] }, properties: [{ key: 'hubId', value: { value: 'ms-42' } }] });

    expect(await jira.getIssueProperty('MH-1', 'hubId')).toEqual({ key: 'hubId', value: { value: 'ms-42' } });
    const created = await rejectionOf(jira.getIssueProperty('MH-1', 'other'));
    expect(created.errorMessages).toEqual(["The property with key 'other' does not exist."]);

    const api = internals(jira);
    const put = (value: unknown) =>
      requestKeepingStatus({ ...api.makeRequestHeader(api.makeUri({ pathname: '/issue/MH-1/properties/sync' }), { method: 'PUT', body: value }), auth: { user: plain.credentials.email, pass: plain.credentials.apiToken } });
    await expect(put({ rev: 1 })).resolves.toBeUndefined();
    await setProperty(jira, 'MH-1', 'sync', { rev: 2 });
    expect(await jira.getIssueProperty('MH-1', 'sync')).toEqual({ key: 'sync', value: { rev: 2 } });
    const writes = plain.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/properties/sync'));
    expect(writes).toHaveLength(2);

    const byLabel = await searchJql(jira, { jql: 'project = MH AND labels = "hub-ms-42"', fields: ['labels'], properties: ['hubId'] });
    expect(byLabel.issues).toHaveLength(1);
    expect(byLabel.issues[0].properties).toEqual({ hubId: { value: 'ms-42' } });

    // Jira indexes a property for JQL only when an installed app declares it.
    const unindexed = await searchJql(jira, { jql: 'issue.property[hubId].value = "ms-42"' });
    expect(unindexed.issues).toEqual([]);
    await plain.close();

    const indexed = await start({ indexedProperties: ['hubId'] });
    const indexedClient = client(indexed);
    await createTask(indexedClient, 'Indexed', { properties: [{ key: 'hubId', value: { value: 'ms-42' } }] });
    const found = await searchJql(indexedClient, { jql: 'project = MH AND issue.property[hubId].value = "ms-42"' });
    expect(found.issues).toEqual([{ id: '10000' }]);
  });

  it('models search index lag, and reconcileIssues reads through it', async () => {
    let clock = Date.parse('2026-11-21T10:00:00.000Z');
    const jiraFake = await start({ now: () => clock, searchIndexLagMs: 5_000 });
    const jira = client(jiraFake);
    const created = await createTask(jira, 'Fresh', { fields: { labels: ['hub-ms-7'] } });

    expect((await searchJql(jira, { jql: 'labels = hub-ms-7' })).issues).toEqual([]);
    expect((await searchJql(jira, { jql: 'labels = hub-ms-7', reconcileIssues: [Number(created.id)] })).issues).toEqual([{ id: created.id }]);
    clock += 5_000;
    expect((await searchJql(jira, { jql: 'labels = hub-ms-7' })).issues).toEqual([{ id: created.id }]);
  });

  it('answers 401 to wrong credentials and to expired bearer tokens, and refreshes with rotation', async () => {
    let clock = Date.parse('2026-11-21T10:00:00.000Z');
    const jiraFake = await start({ now: () => clock });

    const wrong = await rejectionOf(client(jiraFake, { password: 'not-the-token' }).getCurrentUser());
    expect(wrong).toEqual({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 });

    const grant = jiraFake.issueToken({ expiresInSeconds: 60 });
    const bearer = new JiraApi({ protocol: 'http', host: '127.0.0.1', port: String(jiraFake.port), bearer: grant.accessToken, apiVersion: '3', base: `/ex/jira/${jiraFake.cloudId}` });
    expect(((await bearer.getCurrentUser()) as unknown as Json).accountId).toBe(jiraFake.users[0]!.accountId);
    clock += 61_000;
    expect(await rejectionOf(bearer.getCurrentUser())).toEqual({ code: 401, message: 'Unauthorized' });

    const refresh = async (refreshToken: string) =>
      fetch(`${jiraFake.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'refresh_token', client_id: 'fake-client-id', client_secret: 'fake-client-secret', refresh_token: refreshToken }),
      });
    const refreshed = await refresh(grant.refreshToken);
    expect(refreshed.status).toBe(200);
    const tokens = (await refreshed.json()) as Json;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.refresh_token).not.toBe(grant.refreshToken);
    const renewed = new JiraApi({ protocol: 'http', host: '127.0.0.1', port: String(jiraFake.port), bearer: tokens.access_token, apiVersion: '3', base: `/ex/jira/${jiraFake.cloudId}` });
    expect(((await renewed.getCurrentUser()) as unknown as Json).accountId).toBe(jiraFake.users[0]!.accountId);

    const reused = await refresh(grant.refreshToken);
    expect(reused.status).toBe(403);
    expect(await reused.json()).toEqual({ error: 'unauthorized_client', error_description: 'refresh_token is invalid' });

    const counted = jiraFake.issueToken({ maxRequests: 1 });
    const once = client(jiraFake, { username: undefined, password: undefined, bearer: counted.accessToken });
    await once.getCurrentUser();
    await rejectionOf(once.getCurrentUser());
    jiraFake.expireToken();
    await rejectionOf(renewed.getCurrentUser());
  });

  it('loses the status and Retry-After of a 429 in jira-client, unless the caller injects `request`', async () => {
    const jiraFake = await start();
    jiraFake.failNext({ status: 429, retryAfter: 7, path: '/rest/api/2/issue' });

    // Default jira-client: the Error message is the JSON body only. No status, no headers.
    const plain = await rejectionOf(client(jiraFake).findIssue('MH-1'));
    expect(plain).toEqual({ errorMessages: ['Rate limit exceeded.'], errors: {} });

    jiraFake.failNext({ status: 429, retryAfter: 7, path: '/rest/api/2/issue', count: 2 });
    const aware = client(jiraFake, { request: requestKeepingStatus });
    const first = await rejectionOf(aware.findIssue('MH-1'));
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.headers['x-ratelimit-reset']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/);
    expect(first.headers['ratelimit-reason']).toBe('jira-burst-based');
    expect((await rejectionOf(aware.findIssue('MH-1'))).statusCode).toBe(429);

    // Other paths are unaffected by a path-scoped fault, and the queue is now empty.
    expect((await rejectionOf(aware.findIssue('MH-1'))).statusCode).toBe(404);
    expect(((await aware.getCurrentUser()) as unknown as Json).accountId).toBeDefined();

    jiraFake.failNext({ status: 500 });
    expect((await rejectionOf(aware.getCurrentUser())).statusCode).toBe(500);
    jiraFake.failNext({ status: 400, body: { errorMessages: [], errors: { summary: 'injected' } } });
    expect((await rejectionOf(aware.getCurrentUser())).body).toEqual({ errorMessages: [], errors: { summary: 'injected' } });
  });

  it('can fail after the change took effect, so a retried create must look before it writes', async () => {
    const jiraFake = await start();
    const jira = client(jiraFake, { request: requestKeepingStatus });
    jiraFake.failNext({ status: 504, afterCommit: true, method: 'POST', path: '/rest/api/2/issue' });

    const lost = await rejectionOf(createTask(jira, 'Created but unacknowledged', { fields: { labels: ['hub-ms-9'] } }));
    expect(lost.statusCode).toBe(504);
    expect(jiraFake.issueKeys()).toEqual(['MH-1']);

    const existing = await searchJql(jira, { jql: 'project = MH AND labels = "hub-ms-9"', fields: ['summary'] });
    expect(existing.issues.map((issue: Json) => issue.key)).toEqual(['MH-1']);

    jiraFake.failNext({ status: 500, dropConnection: true, path: '/rest/api/2/myself' });
    const dropped = await rejectionOf(jira.getCurrentUser());
    expect(dropped.transportError).toBe('ECONNRESET');
  });

  it('logs requests and records idempotency headers without deduplicating, as Jira does', async () => {
    const jiraFake = await start();
    const auth = `Basic ${Buffer.from(`${jiraFake.credentials.email}:${jiraFake.credentials.apiToken}`).toString('base64')}`;
    const body = JSON.stringify({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Twice' } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`${jiraFake.url}/rest/api/3/issue?notifyUsers=false`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'Idempotency-Key': 'ms-1-create' },
        body,
      });
      expect(response.status).toBe(201);
    }
    expect(jiraFake.issueKeys()).toEqual(['MH-1', 'MH-2']);
    expect(jiraFake.idempotencyKeys).toEqual([
      { key: 'ms-1-create', method: 'POST', path: '/rest/api/3/issue' },
      { key: 'ms-1-create', method: 'POST', path: '/rest/api/3/issue' },
    ]);
    expect(jiraFake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/rest/api/3/issue',
      query: { notifyUsers: 'false' },
      headers: { 'idempotency-key': 'ms-1-create' },
      body: { fields: { summary: 'Twice' } },
    });
    jiraFake.clearRequests();
    expect(jiraFake.requests).toEqual([]);
  });

  it('delivers signed webhooks with Jira payloads for API changes and simulated user edits', async () => {
    const receiver = await startReceiver();
    const jiraFake = await start();
    const secret = 'whsec-jira-fake';
    jiraFake.registerWebhook({ url: receiver.url, secret, events: ['jira:issue_created', 'jira:issue_updated', 'comment_created'], jqlFilter: 'project = MH' });

    await createTask(client(jiraFake), 'Webhook me');
    jiraFake.simulateUserEdit('MH-1', { fields: { summary: 'Edited in Jira', duedate: '2026-12-01' } });
    jiraFake.simulateTransition('MH-1', 'In Progress');
    jiraFake.simulateComment('MH-1', 'Looks good');
    await jiraFake.flushWebhooks();

    for (const delivery of receiver.received) {
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(delivery.raw).digest('hex')}`);
      const actual = Buffer.from(String(delivery.headers['x-hub-signature']));
      expect(actual.length === expected.length && timingSafeEqual(actual, expected)).toBe(true);
      expect(delivery.headers['x-atlassian-webhook-identifier']).toBeTruthy();
    }
    const payloads = receiver.received.map((delivery) => JSON.parse(delivery.raw) as Json);
    expect(payloads.map((payload) => [payload.webhookEvent, payload.issue_event_type_name ?? null])).toEqual([
      ['jira:issue_created', 'issue_created'],
      ['jira:issue_updated', 'issue_updated'],
      ['jira:issue_updated', 'issue_generic'],
      ['comment_created', null],
      ['jira:issue_updated', 'issue_commented'],
    ]);
    const [created, edited, transitioned, comment] = payloads as [Json, Json, Json, Json];
    expect(created.user.accountId).toBe(jiraFake.users[0]!.accountId);
    expect(created.issue).toMatchObject({ key: 'MH-1', fields: { summary: 'Webhook me' } });
    expect(typeof created.timestamp).toBe('number');
    expect(edited.user.accountId).toBe(jiraFake.users[1]!.accountId);
    expect(edited.changelog.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'summary', fromString: 'Webhook me', toString: 'Edited in Jira' }),
        expect.objectContaining({ field: 'duedate', from: null, to: '2026-12-01' }),
      ]),
    );
    expect(transitioned.changelog.items).toEqual([
      expect.objectContaining({ field: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }),
    ]);
    expect(transitioned.issue.fields.status.name).toBe('In Progress');
    expect(comment.comment).toMatchObject({ body: 'Looks good', author: { displayName: 'Asha Rao' } });
    expect(comment.issue).toMatchObject({ key: 'MH-1' });
  });

  it('retries a failed delivery with the same identifier and a retry header', async () => {
    const receiver = await startReceiver((index) => (index === 0 ? 503 : 200));
    const jiraFake = await start({ webhookRetry: { delayMs: 1 } });
    jiraFake.registerWebhook({ url: receiver.url, events: ['jira:issue_created'] });

    jiraFake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Story' }, summary: 'From a person' } });
    await jiraFake.flushWebhooks();

    expect(receiver.received).toHaveLength(2);
    const [first, retry] = receiver.received as [Received, Received];
    expect(retry.headers['x-atlassian-webhook-identifier']).toBe(first.headers['x-atlassian-webhook-identifier']);
    expect(first.headers['x-atlassian-webhook-retry']).toBeUndefined();
    expect(retry.headers['x-atlassian-webhook-retry']).toBe('1');
    expect(first.headers['x-hub-signature']).toBeUndefined();
    expect(jiraFake.webhookDeliveries.map((delivery) => [delivery.status, delivery.ok])).toEqual([
      [503, false],
      [200, true],
    ]);
  });

  it('registers admin webhooks through jira-client and serves the OAuth gateway path', async () => {
    const receiver = await startReceiver();
    const jiraFake = await start();
    const jira = client(jiraFake);
    const hook = (await jira.registerWebhook({ name: 'hub', url: receiver.url, events: ['jira:issue_deleted'], filters: { 'issue-related-events-section': 'project = MH' } })) as unknown as Json;
    expect(hook).toMatchObject({ name: 'hub', enabled: true, events: ['jira:issue_deleted'] });

    await createTask(jira, 'To delete');
    await jira.deleteIssue('MH-1');
    await jiraFake.flushWebhooks();
    expect(receiver.received.map((delivery) => (JSON.parse(delivery.raw) as Json).webhookEvent)).toEqual(['jira:issue_deleted']);

    const unknownSite = await fetch(`${jiraFake.url}/ex/jira/not-this-site/rest/api/3/myself`);
    expect(unknownSite.status).toBe(404);
    const resources = await fetch(`${jiraFake.url}/oauth/token/accessible-resources`, { headers: { authorization: `Bearer ${jiraFake.issueToken().accessToken}` } });
    expect(((await resources.json()) as Json[])[0]!.id).toBe(jiraFake.cloudId);
  });

  it('refuses bad options at start', async () => {
    await expect(startJiraFake({ projects: [{ key: 'lower' }] })).rejects.toThrow(/invalid project key/);
    await expect(startJiraFake({ users: [{ email: 'a@example.com', timeZone: 'Mars/Olympus' }] })).rejects.toThrow(/unknown time zone/);
  });
});

function createTaskIn(jira: JiraApi, projectKey: string): Promise<unknown> {
  return jira.addNewIssue({ fields: { project: { key: projectKey }, issuetype: { name: 'Task' }, summary: 'x' } });
}
