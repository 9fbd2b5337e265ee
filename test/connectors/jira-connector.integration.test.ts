import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  AuthExpiredError,
  connectorRegistry,
  createConnectorContext,
  createOutboundHttp,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type ConnectorContext,
  type RemoteRecord,
  type WebhookInput,
} from '../../connectors/index.ts';
import { addComment, idempotencyLabel, jiraConnector, listComments, type JiraWebhookChange } from '../../connectors/jira/index.ts';
import { starterMappings, validateMapping } from '../../mappings/index.ts';
import { verifierFor } from '../../webhooks/verifiers/index.ts';
import { startJiraFake, type JiraFake, type JiraFakeOptions } from '../fakes/jira/index.ts';
import { describeConformance } from './conformance.ts';

type Json = Record<string, any>;

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const outbound = createOutboundHttp({ allowPrivate: true });
const fakes: JiraFake[] = [];
const receivers: Server[] = [];

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
  await Promise.all(receivers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(() => outbound.close());

async function start(options: JiraFakeOptions = {}): Promise<JiraFake> {
  const fake = await startJiraFake(options);
  fakes.push(fake);
  return fake;
}

function context(
  fake: JiraFake,
  { config = {}, credentials = fake.credentials, saved = [], now }: { config?: Json; credentials?: Json; saved?: Json[]; now?: () => Date } = {},
): ConnectorContext {
  const made = createConnectorContext({
    connector: jiraConnector,
    config: { baseUrl: fake.url, projectKey: 'MH', issueType: 'Task', ...config },
    credentials,
    fetch: outbound.fetch,
    logger: silent,
    saveCredentials: async (updated) => void saved.push(updated as Json),
    ...(now === undefined ? {} : { now }),
  });
  if (!made.ok) throw new Error(`${made.error}: ${JSON.stringify(made.issues)}`);
  return made.context;
}

const push = (ctx: ConnectorContext, request: Parameters<NonNullable<typeof jiraConnector.push>>[1]) => jiraConnector.push!(ctx, request);
const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a failure'), (err: unknown) => err);

async function sweep(ctx: ConnectorContext, cursor: string | null, limit: number) {
  const records: RemoteRecord[] = [];
  let pages = 0;
  for (;;) {
    const page = await jiraConnector.pull!(ctx, { object: 'issue', cursor, limit });
    pages += 1;
    expect(page.records.length).toBeLessThanOrEqual(limit);
    records.push(...page.records);
    cursor = page.nextCursor;
    if (page.done) return { records, cursor, pages };
    if (pages > 50) throw new Error('runaway pull');
  }
}

interface Received {
  raw: Buffer;
  headers: IncomingHttpHeaders;
}

/** A local receiver for the fake's webhook deliveries. */
async function startReceiver(): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), headers: request.headers });
      response.statusCode = 204;
      response.end();
    });
  });
  receivers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/jira`, received };
}

const asInput = (delivery: Received): WebhookInput => ({
  headers: Object.fromEntries(Object.entries(delivery.headers).map(([name, value]) => [name, String(value)])),
  rawBody: delivery.raw,
  receivedAt: new Date(),
});

describeConformance({
  connector: jiraConnector,
  holdsCredentials: true,
  setup: async () => {
    const fake = await startJiraFake();
    const receiver = await startReceiver();
    fake.registerWebhook({ url: receiver.url, secret: 'conformance-secret', events: ['jira:issue_created', 'jira:issue_updated', 'comment_created'] });
    for (let i = 1; i <= 7; i += 1) fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: `Seeded milestone ${i}` } });
    fake.simulateComment('MH-1', 'Seeded reply');
    await fake.flushWebhooks();
    const samples = receiver.received.slice(-3).map(asInput);
    return {
      config: { baseUrl: fake.url, projectKey: 'MH', issueType: 'Task' },
      credentials: fake.credentials,
      badCredentials: { email: fake.credentials.email, apiToken: 'not-the-token' },
      pull: {
        object: 'issue',
        expected: 7,
        limit: 3,
        change: () => {
          fake.simulateUserEdit('MH-2', { fields: { summary: 'Edited in Jira' } });
          return 'MH-2';
        },
      },
      push: {
        object: 'issue',
        create: { fields: { summary: 'Conformance milestone', description: 'Made by the suite' } },
        update: { fields: { summary: 'Conformance milestone, renamed', labels: ['phase-1'] } },
        count: () => fake.issueKeys().length,
      },
      fail: (status, retryAfter) => fake.failNext({ status, ...(retryAfter === undefined ? {} : { retryAfter }) }),
      webhook: { samples, invalid: { headers: {}, rawBody: Buffer.from('{"webhookEvent": '), receivedAt: new Date() } },
      teardown: async () => {
        await fake.close();
      },
    };
  },
});

describe('jira connector: registry and schemas', () => {
  it('is registered, declares the jira webhook scheme, publishes rate limits and fits the starter mappings', () => {
    expect(connectorRegistry.get('jira')).toBe(jiraConnector);
    const described = jiraConnector.describe();
    expect(described.webhookScheme).toBe('jira');
    expect(described.capabilities).toEqual({ pull: true, get: true, push: ['create', 'update', 'delete'], webhook: true, messages: { send: false, receive: false } });
    expect(described.rateLimits.length).toBeGreaterThan(0);
    expect(described.objects.map((o) => o.name)).toEqual(['issue', 'comment']);
    for (const starter of starterMappings().filter((s) => s.connector === 'jira')) {
      const remote = jiraConnector.objectSchema(undefined, starter.spec.remoteObject)!;
      expect(validateMapping(starter.spec, { hub: starter.schemas.hub, remote }), starter.id).toMatchObject({ ok: true });
    }
  });

  it('refuses configs and credentials it cannot use', () => {
    expect(jiraConnector.parseConfig({ baseUrl: 'ftp://jira.example.com', projectKey: 'MH' }).ok).toBe(false);
    expect(jiraConnector.parseConfig({ baseUrl: 'https://acme.atlassian.net', projectKey: 'mh' }).ok).toBe(false);
    const parsed = jiraConnector.parseConfig({ baseUrl: 'https://acme.atlassian.net', projectKey: 'PAY' });
    expect(parsed).toMatchObject({ ok: true, value: { apiVersion: '3', issueType: 'Task', deleteMode: 'delete' } });
    expect(jiraConnector.parseCredentials({ bearer: 'at', refreshToken: 'rt' }, undefined).ok).toBe(false);
    expect(jiraConnector.parseCredentials({ bearer: 'at' }, undefined).ok).toBe(true);
    expect(jiraConnector.parseCredentials({ email: 'ops@example.in', apiToken: 'x', bearer: 'y' }, undefined).ok).toBe(false);
  });
});

describe('jira connector: writes', () => {
  it('creates an issue with POST /rest/api/3/issue and renames it with PUT /rest/api/3/issue/{key}', async () => {
    const fake = await start();
    const ctx = context(fake);
    const created = await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Milestone 1', description: 'Scope:\nfoundation', duedate: '2026-12-15', labels: ['phase-1'] } }, idempotencyKey: 'ms_1:create' });
    expect(created).toMatchObject({ id: 'MH-1', version: expect.stringMatching(/Z$/), data: { key: 'MH-1', fields: { summary: 'Milestone 1', description: 'Scope:\nfoundation', labels: ['phase-1'] } } });
    expect(created.data).toMatchObject({ properties: { milestoneHub: { idempotencyKey: 'ms_1:create' } } });
    const post = fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')!;
    expect(post.body).toMatchObject({
      fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, description: { type: 'doc', version: 1 }, labels: ['phase-1', idempotencyLabel('ms_1:create')] },
      properties: [{ key: 'milestoneHub', value: { idempotencyKey: 'ms_1:create' } }],
    });

    fake.clearRequests();
    const renamed = await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { summary: 'Milestone 1: foundation' } }, idempotencyKey: 'ms_1:update:1' });
    expect(renamed).toMatchObject({ id: 'MH-1', data: { fields: { summary: 'Milestone 1: foundation' } } });
    expect(fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)).toEqual(['PUT /rest/api/3/issue/MH-1']);
    expect(fake.getIssue('MH-1')!.fields).toMatchObject({ summary: 'Milestone 1: foundation', labels: ['phase-1', idempotencyLabel('ms_1:create')] });
  });

  it('stores the hub id a create names in the issue property, and leaves an empty one out', async () => {
    const fake = await start();
    const ctx = context(fake);
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Linked' } }, idempotencyKey: 'mh-map-ms_7-c1', hubId: 'ms_7' });
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Unlinked' } }, idempotencyKey: 'mh-map-ms_8-c1', hubId: '' });
    expect(fake.getIssue('MH-1')!.properties).toEqual({ milestoneHub: { idempotencyKey: 'mh-map-ms_7-c1', hubId: 'ms_7' } });
    expect(fake.getIssue('MH-2')!.properties).toEqual({ milestoneHub: { idempotencyKey: 'mh-map-ms_8-c1' } });
  });

  it('takes the edited issue from the PUT answer (returnIssue), and sends only the PUT when the caller needs nothing back', async () => {
    const fake = await start();
    const ctx = context(fake);
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Milestone 1' } }, idempotencyKey: 'ms_1:create' });

    fake.clearRequests();
    const renamed = await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { summary: 'Milestone 1, renamed' } }, idempotencyKey: 'ms_1:update:1' });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.query.returnIssue ?? '-'}`)).toEqual(['PUT /rest/api/3/issue/MH-1 true']);
    // The version is the issue's `updated`, as a read of the issue would give it.
    expect(renamed.version).toBe((await jiraConnector.get!(ctx, { object: 'issue', id: 'MH-1' }))!.version);
    expect(renamed).toMatchObject({ id: 'MH-1', data: { fields: { summary: 'Milestone 1, renamed' } } });

    fake.clearRequests();
    const quiet = { object: 'issue', op: 'update' as const, id: 'MH-1', data: { fields: { summary: 'Milestone 1, again' } }, idempotencyKey: 'ms_1:update:2', readBack: false };
    expect(await push(ctx, quiet)).toEqual({ id: 'MH-1' });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.query.returnIssue ?? '-'}`)).toEqual(['PUT /rest/api/3/issue/MH-1 -']);
    expect(fake.getIssue('MH-1')!.fields).toMatchObject({ summary: 'Milestone 1, again' });
  });

  it('speaks REST v2 with plain-string descriptions when configured', async () => {
    const fake = await start();
    const ctx = context(fake, { config: { apiVersion: '2' } });
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'On v2', description: 'plain' } }, idempotencyKey: 'v2:create' });
    await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { summary: 'On v2, renamed' } }, idempotencyKey: 'v2:update' });
    const writes = fake.requests.filter((r) => r.method === 'POST' || r.method === 'PUT').map((r) => `${r.method} ${r.path}`);
    expect(writes).toEqual(['POST /rest/api/2/search/jql', 'POST /rest/api/2/issue', 'PUT /rest/api/2/issue/MH-1']);
    expect(fake.requests.find((r) => r.path === '/rest/api/2/issue')!.body).toMatchObject({ fields: { description: 'plain' } });
  });

  it('keeps its own label when a mapping rewrites the labels, and never shows it to mappings', async () => {
    const fake = await start();
    const ctx = context(fake);
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Labelled', labels: ['a'] } }, idempotencyKey: 'labels:create' });
    const updated = await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { labels: ['b', 'c'] } }, idempotencyKey: 'labels:update' });
    expect(updated.data).toMatchObject({ fields: { labels: ['b', 'c'] } });
    expect(fake.getIssue('MH-1')!.fields).toMatchObject({ labels: ['b', 'c', idempotencyLabel('labels:create')] });
  });

  it('moves status through the transition whose target matches, and refuses a status the workflow cannot reach', async () => {
    const fake = await start();
    const ctx = context(fake, { config: { statusMap: [{ from: 'Started', to: 'In Progress' }] } });
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Flow' } }, idempotencyKey: 'flow:create' });

    fake.clearRequests();
    const started = await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { summary: 'Flow, started', status: { name: 'Started' } } }, idempotencyKey: 'flow:1' });
    expect(started.data).toMatchObject({ fields: { summary: 'Flow, started', status: { name: 'In Progress' } } });
    expect(fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue/MH-1/transitions')!.body).toEqual({ transition: { id: '11' } });
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path === '/rest/api/3/issue/MH-1' && JSON.stringify(r.body).includes('status'))).toBe(false);

    fake.clearRequests();
    const refused = await failure(push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { summary: 'Should not be written', status: { name: 'Done' } } }, idempotencyKey: 'flow:2' }));
    expect(refused).toBeInstanceOf(UnrecoverableVendorError);
    expect((refused as Error).message).toBe('MH-1: Jira\'s workflow has no transition from "In Progress" to "Done"; available from "In Progress": Submit for Review → In Review, Stop Progress → To Do');
    expect(fake.requests.filter((r) => r.method === 'PUT' || r.method === 'POST')).toEqual([]);
    expect(fake.getIssue('MH-1')!.fields).toMatchObject({ summary: 'Flow, started' });

    const sameStatus = await push(ctx, { object: 'issue', op: 'update', id: 'MH-1', data: { fields: { status: { name: 'in progress' } } }, idempotencyKey: 'flow:3' });
    expect(sameStatus.data).toMatchObject({ fields: { status: { name: 'In Progress' } } });
  });

  it('reaches a status asked for on create through a transition', async () => {
    const fake = await start();
    const created = await push(context(fake), { object: 'issue', op: 'create', data: { fields: { summary: 'Already started', status: { name: 'In Progress' } } }, idempotencyKey: 'started:create' });
    expect(created.data).toMatchObject({ fields: { status: { name: 'In Progress' } } });
  });

  it('closes an issue by walking the workflow to a done status, or deletes it, as configured or asked', async () => {
    const fake = await start();
    const closing = context(fake, { config: { deleteMode: 'close' } });
    await push(closing, { object: 'issue', op: 'create', data: { fields: { summary: 'To close' } }, idempotencyKey: 'close:create' });
    const closed = await push(closing, { object: 'issue', op: 'delete', id: 'MH-1', idempotencyKey: 'close:delete' });
    expect(closed.data).toMatchObject({ fields: { status: { name: 'Done', statusCategory: { key: 'done' } }, resolution: { name: 'Done' } } });
    expect(fake.requests.filter((r) => r.path.endsWith('/transitions') && r.method === 'POST').map((r) => (r.body as Json).transition.id)).toEqual(['11', '21', '31']);
    // Closing a closed issue changes nothing.
    expect(await push(closing, { object: 'issue', op: 'delete', id: 'MH-1', idempotencyKey: 'close:delete' })).toMatchObject({ id: 'MH-1' });

    const custom = context(fake, { config: { doneStatuses: ['In Review'] } });
    await push(custom, { object: 'issue', op: 'create', data: { fields: { summary: 'Review is done enough' } }, idempotencyKey: 'review:create' });
    const reviewed = await push(custom, { object: 'issue', op: 'delete', id: 'MH-2', data: { deleteMode: 'close' }, idempotencyKey: 'review:close' });
    expect(reviewed.data).toMatchObject({ fields: { status: { name: 'In Review' } } });

    const deleting = context(fake);
    expect(await push(deleting, { object: 'issue', op: 'delete', id: 'MH-2', idempotencyKey: 'review:delete' })).toEqual({ id: 'MH-2' });
    expect(fake.issueKeys()).toEqual(['MH-1']);
    // Already gone is what a delete wants.
    expect(await push(deleting, { object: 'issue', op: 'delete', id: 'MH-2', idempotencyKey: 'review:delete' })).toEqual({ id: 'MH-2' });
  });

  it('creates exactly one issue when Jira created it but the answer was lost, and retries with the same key', async () => {
    const fake = await start();
    const ctx = context(fake);
    const request = { object: 'issue', op: 'create' as const, data: { fields: { summary: 'Created once' } }, idempotencyKey: 'sync-out:ms_9:create' };
    fake.failNext({ status: 504, afterCommit: true, method: 'POST', path: '/rest/api/3/issue' });
    expect(await failure(push(ctx, request))).toBeInstanceOf(TransientVendorError);
    expect(fake.issueKeys()).toEqual(['MH-1']);

    const retried = await push(ctx, request);
    expect(retried).toMatchObject({ id: 'MH-1', data: { fields: { summary: 'Created once' } } });
    expect(fake.issueKeys()).toEqual(['MH-1']);
    expect(fake.getIssue('MH-1')!.properties).toEqual({ milestoneHub: { idempotencyKey: 'sync-out:ms_9:create' } });
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')).toHaveLength(1);

    // A label alone is not proof: only the property with the same key is.
    fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Copied label', labels: [idempotencyLabel('sync-out:ms_10:create')] } });
    const other = await push(ctx, { ...request, idempotencyKey: 'sync-out:ms_10:create' });
    expect(other.id).toBe('MH-3');
    expect(fake.issueKeys()).toEqual(['MH-1', 'MH-2', 'MH-3']);
  });
});

describe('jira connector: other Jira-compatible servers', () => {
  it('looks for an earlier create through the legacy /search where /search/jql is missing (Data Center)', async () => {
    const fake = await start({ legacySearch: 'available' });
    fake.failNext({ status: 404, path: /\/search\/jql$/, count: 100 });
    const ctx = context(fake, { config: { apiVersion: '2' } });
    const request = { object: 'issue', op: 'create' as const, data: { fields: { summary: 'On Data Center' } }, idempotencyKey: 'dc:create' };
    fake.failNext({ status: 502, afterCommit: true, method: 'POST', path: '/rest/api/2/issue' });
    expect(await failure(push(ctx, request))).toBeInstanceOf(TransientVendorError);
    expect(await push(ctx, request)).toMatchObject({ id: 'MH-1' });
    expect(fake.issueKeys()).toEqual(['MH-1']);
    expect(fake.requests.filter((r) => r.path === '/rest/api/2/search')).toHaveLength(2);
  });

  it('creates with POST and renames with PUT on a server that serves nothing else', async () => {
    const seen: { method: string; path: string; body: Json }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        // Like any server, it ignores query parameters it does not know (`returnIssue`).
        const path = new URL(request.url!, 'http://127.0.0.1').pathname;
        seen.push({ method: request.method!, path, body: text === '' ? {} : (JSON.parse(text) as Json) });
        response.setHeader('content-type', 'application/json');
        if (request.method === 'POST' && path === '/rest/api/3/issue') {
          response.statusCode = 201;
          response.end(JSON.stringify({ id: '20001', key: 'MH-7', self: 'http://127.0.0.1/rest/api/3/issue/20001' }));
        } else if (request.method === 'PUT' && path === '/rest/api/3/issue/MH-7') {
          response.statusCode = 204;
          response.end();
        } else {
          response.statusCode = 404;
          response.end(JSON.stringify({ errorMessages: ['Not here'] }));
        }
      });
    });
    receivers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const made = createConnectorContext({
      connector: jiraConnector,
      config: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, projectKey: 'MH' },
      credentials: { email: 'ops@example.in', apiToken: 'token' },
      fetch: outbound.fetch,
      logger: silent,
    });
    if (!made.ok) throw new Error(made.error);
    expect(await push(made.context, { object: 'issue', op: 'create', data: { fields: { summary: 'Milestone' } }, idempotencyKey: 'stub:create' })).toEqual({ id: 'MH-7' });
    expect(await push(made.context, { object: 'issue', op: 'update', id: 'MH-7', data: { fields: { summary: 'Milestone, renamed' } }, idempotencyKey: 'stub:update' })).toEqual({ id: 'MH-7' });
    const writes = seen.filter((r) => r.method === 'POST' || r.method === 'PUT').filter((r) => !r.path.includes('/search'));
    expect(writes.map((r) => [r.method, r.path, r.body.fields.summary])).toEqual([
      ['POST', '/rest/api/3/issue', 'Milestone'],
      ['PUT', '/rest/api/3/issue/MH-7', 'Milestone, renamed'],
    ]);
    // A server that answers the PUT with 204 and no issue is asked for the issue after it.
    const put = seen.findIndex((r) => r.method === 'PUT');
    expect(seen.slice(put + 1).map((r) => `${r.method} ${r.path}`)).toContain('GET /rest/api/3/issue/MH-7');
  });
});

describe('jira connector: pull', () => {
  const at = (text: string) => Date.parse(text);

  it("pages with the cursor and picks up only changes since it, reading JQL dates in the API user's zone", async () => {
    let clock = at('2026-11-21T10:15:30.000Z');
    const fake = await start({
      now: () => clock,
      users: [
        { email: 'ops@example.in', displayName: 'Ops', apiToken: 'ops-token', timeZone: 'Asia/Kolkata' },
        { email: 'asha@example.in', displayName: 'Asha Rao', timeZone: 'Asia/Kolkata' },
      ],
    });
    for (let i = 1; i <= 5; i += 1) {
      fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: `Milestone ${i}` } });
      clock += 20_000;
    }
    const ctx = context(fake);
    const first = await sweep(ctx, null, 2);
    expect(first.pages).toBeGreaterThanOrEqual(3);
    expect(first.records.map((r) => r.id)).toEqual(['MH-1', 'MH-2', 'MH-3', 'MH-4', 'MH-5']);
    expect(first.records[0]).toMatchObject({ version: '2026-11-21T10:15:30.000Z', updatedAt: '2026-11-21T10:15:30.000Z', data: { fields: { updated: '2026-11-21T15:45:30.000+0530' } } });

    // Nothing changed: the overlap minute comes back from Jira and is left out.
    fake.clearRequests();
    expect((await sweep(ctx, first.cursor, 2)).records).toEqual([]);
    const jql = (fake.requests.find((r) => r.path.endsWith('/search/jql'))!.body as Json).jql as string;
    // The newest change was 10:16:50 UTC, i.e. 15:46 in Kolkata; the cursor starts a minute before it.
    expect(jql).toBe('project = "MH" AND updated >= "2026-11-21 15:45" ORDER BY updated ASC');

    clock = at('2026-11-21T10:16:55.000Z');
    fake.simulateUserEdit('MH-4', { fields: { summary: 'Milestone 4, edited in the same minute' } });
    clock = at('2026-11-21T10:25:00.000Z');
    fake.simulateUserEdit('MH-2', { fields: { summary: 'Milestone 2, edited later' } });
    const second = await sweep(ctx, first.cursor, 2);
    expect(second.records.map((r) => [r.id, (r.data.fields as Json).summary])).toEqual([
      ['MH-4', 'Milestone 4, edited in the same minute'],
      ['MH-2', 'Milestone 2, edited later'],
    ]);
    expect((await sweep(ctx, second.cursor, 2)).records).toEqual([]);
  });

  it('starts from `since` on a first call and refuses a cursor it did not make', async () => {
    let clock = at('2026-11-21T10:00:00.000Z');
    const fake = await start({ now: () => clock });
    fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Old' } });
    clock = at('2026-11-21T12:00:00.000Z');
    fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'New' } });
    const ctx = context(fake);
    const page = await jiraConnector.pull!(ctx, { object: 'issue', cursor: null, since: '2026-11-21T11:00:00Z', limit: 10 });
    expect(page.records.map((r) => r.id)).toEqual(['MH-2']);
    expect(await failure(jiraConnector.pull!(ctx, { object: 'issue', cursor: 'forged', limit: 10 }))).toBeInstanceOf(UnrecoverableVendorError);
    expect(await failure(jiraConnector.pull!(ctx, { object: 'comment', cursor: null }))).toBeInstanceOf(UnrecoverableVendorError);
  });

  it('loses nothing when an issue already read is edited in the middle of a sweep', async () => {
    let clock = at('2026-11-21T10:00:00.000Z');
    const fake = await start({ now: () => clock });
    for (let i = 1; i <= 6; i += 1) {
      fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: `Milestone ${i}` } });
      clock += 60_000;
    }
    const ctx = context(fake);
    const first = await jiraConnector.pull!(ctx, { object: 'issue', cursor: null, limit: 2 });
    expect(first.records.map((r) => r.id)).toEqual(['MH-1', 'MH-2']);
    clock += 60_000;
    // Moves MH-1 to the end of `ORDER BY updated`: offsets shift by one under a plain page token.
    fake.simulateUserEdit('MH-1', { fields: { summary: 'Milestone 1, edited mid-sweep' } });
    const rest = await sweep(ctx, first.nextCursor, 2);
    expect(rest.records.map((r) => r.id)).toEqual(['MH-3', 'MH-4', 'MH-5', 'MH-6', 'MH-1']);
    expect((rest.records.at(-1)!.data.fields as Json).summary).toBe('Milestone 1, edited mid-sweep');
  });

  it('reads an issue by key, as pull returns it, and null when Jira has none', async () => {
    const fake = await start();
    fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Readable', description: 'Line one\nline two' } });
    const ctx = context(fake);
    expect(await jiraConnector.get!(ctx, { object: 'issue', id: 'MH-1' })).toMatchObject({ id: 'MH-1', data: { fields: { summary: 'Readable', description: 'Line one\nline two' } } });
    expect(await jiraConnector.get!(ctx, { object: 'issue', id: 'MH-404' })).toBeNull();
  });
});

describe('jira connector: webhooks', () => {
  it('parses signed deliveries into issue and comment changes, versions matching what pull reads', async () => {
    const receiver = await startReceiver();
    const fake = await start({
      projects: [{ key: 'MH' }, { key: 'OPS' }],
      users: [
        { email: 'ops@example.in', displayName: 'Ops', apiToken: 'ops-token', timeZone: 'Asia/Kolkata' },
        { email: 'asha@example.in', displayName: 'Asha Rao', timeZone: 'Asia/Kolkata' },
      ],
    });
    const secret = 'whsec-jira-connector';
    fake.registerWebhook({ url: receiver.url, secret, events: ['jira:issue_created', 'jira:issue_updated', 'jira:issue_deleted', 'comment_created'] });
    const ctx = context(fake);
    await push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Hooked', labels: ['x'] } }, idempotencyKey: 'hook:create' });
    fake.simulateTransition('MH-1', 'In Progress');
    fake.simulateComment('MH-1', 'Done on my side');
    fake.simulateCreate({ fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'Another project' } });
    const pulled = await jiraConnector.get!(ctx, { object: 'issue', id: 'MH-1' });
    fake.simulateDelete('MH-1');
    await fake.flushWebhooks();

    const verifier = verifierFor('jira')!;
    const config = (jiraConnector.parseConfig({ baseUrl: fake.url, projectKey: 'MH' }) as { value: unknown }).value;
    const parsed: JiraWebhookChange[] = [];
    for (const delivery of receiver.received) {
      const verified = verifier.verify({ rawBody: delivery.raw, headers: delivery.headers as Record<string, string>, url: receiver.url, secrets: [{ value: secret }], now: new Date() });
      expect(verified).toMatchObject({ ok: true, eventId: delivery.headers['x-atlassian-webhook-identifier'] });
      const result = await jiraConnector.parseWebhook!(asInput(delivery), config);
      expect(result.ok).toBe(true);
      if (result.ok) parsed.push(...(result.changes as JiraWebhookChange[]));
    }
    // Deliveries run concurrently, so they arrive in any order.
    const summary = parsed.map((c) => [c.type, c.object ?? null, c.id ?? null, c.deleted ?? false]);
    expect(summary).toHaveLength(6);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['jira:issue_created', 'issue', 'MH-1', false],
        ['jira:issue_updated', 'issue', 'MH-1', false],
        ['comment_created', 'comment', expect.any(String), false],
        ['jira:issue_created', null, null, false],
        ['jira:issue_deleted', 'issue', 'MH-1', true],
      ]),
    );
    const created = parsed.find((c) => c.type === 'jira:issue_created' && c.object === 'issue')!;
    const delivery = receiver.received.find((d) => d.raw.toString('utf8').includes('"jira:issue_created"') && d.raw.toString('utf8').includes('"MH-1"'))!;
    expect(created.eventId).toBe(delivery.headers['x-atlassian-webhook-identifier']);
    expect(created.record).toMatchObject({ key: 'MH-1', fields: { summary: 'Hooked', labels: ['x'] } });
    const transitioned = parsed.find((c) => (c.data as Json).issue_event_type_name === 'issue_generic')!;
    expect(transitioned.record).toMatchObject({ fields: { status: { name: 'In Progress' } } });
    // Webhooks render times in UTC, the API user reads them in Kolkata: versions still agree.
    const commented = parsed.find((c) => (c.data as Json).issue_event_type_name === 'issue_commented')!;
    expect(commented.version).toBe(pulled!.version);
    expect((commented.record as Json).fields.updated).toMatch(/\+0000$/);
    expect((pulled!.data.fields as Json).updated).toMatch(/\+0530$/);
    const comment = parsed.find((c) => c.object === 'comment')!;
    expect(comment.record).toMatchObject({ issueKey: 'MH-1', body: 'Done on my side', author: { displayName: 'Asha Rao' } });
    expect(comment.occurredAt).toMatch(/Z$/);
  });

  it('refuses bodies it cannot read, without throwing', async () => {
    const parse = (body: string) => jiraConnector.parseWebhook!({ headers: {}, rawBody: Buffer.from(body), receivedAt: new Date() }, { projectKey: 'MH' });
    expect(await parse('')).toMatchObject({ ok: false, error: { code: 'invalid_body', message: expect.stringContaining('Exclude body') } });
    expect(await parse('<xml/>')).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect(await parse('{"issue": {}}')).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect(await parse('{"webhookEvent": "jira:issue_updated", "issue": {}}')).toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    expect(await parse('{"webhookEvent": "jira:worklog_updated"}')).toEqual({ ok: true, changes: [{ type: 'jira:worklog_updated', data: { webhookEvent: 'jira:worklog_updated' } }] });
  });
});

describe('jira connector: failures', () => {
  it('429 → RateLimitedError with Retry-After, then the same push succeeds once', async () => {
    const fake = await start();
    const ctx = context(fake);
    fake.failNext({ status: 429, retryAfter: 7, method: 'POST', path: '/rest/api/3/issue' });
    const request = { object: 'issue', op: 'create' as const, data: { fields: { summary: 'Throttled' } }, idempotencyKey: 'throttled:create' };
    const limited = await failure(push(ctx, request));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterMs: 7000, status: 429, message: expect.stringContaining('jira-burst-based') });
    expect(await push(ctx, request)).toMatchObject({ id: 'MH-1' });
    expect(fake.issueKeys()).toEqual(['MH-1']);

    const now = new Date('2026-11-21T10:00:00.000Z');
    fake.failNext({ status: 429, headers: { 'X-RateLimit-Reset': '2026-11-21T10:01Z' } });
    const reset = await failure(jiraConnector.pull!(context(fake, { now: () => now }), { object: 'issue', cursor: null }));
    expect(reset).toMatchObject({ retryAfterMs: 60_000 });
  });

  it("400 → UnrecoverableVendorError carrying Jira's errors; 404 on update likewise", async () => {
    const fake = await start();
    const ctx = context(fake);
    const spaced = await failure(push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'Bad label', labels: ['two words'] } }, idempotencyKey: 'bad:create' }));
    expect(spaced).toBeInstanceOf(UnrecoverableVendorError);
    expect(spaced).toMatchObject({ status: 400, message: "POST /rest/api/3/issue: Jira refused the request (400): labels: The label 'two words' contains spaces which is invalid." });
    expect(JSON.parse((spaced as UnrecoverableVendorError).body)).toEqual({ errorMessages: [], errors: { labels: "The label 'two words' contains spaces which is invalid." } });

    const noSummary = await failure(push(ctx, { object: 'issue', op: 'create', data: { fields: { duedate: '2026-12-01' } }, idempotencyKey: 'bad:summary' }));
    expect((noSummary as Error).message).toContain('summary: You must specify a summary of the issue.');

    const missing = await failure(push(ctx, { object: 'issue', op: 'update', id: 'MH-404', data: { fields: { summary: 'Ghost' } }, idempotencyKey: 'ghost' }));
    expect(missing).toMatchObject({ status: 404, message: expect.stringContaining('Issue does not exist or you do not have permission to see it.') });
    expect(missing).toBeInstanceOf(UnrecoverableVendorError);
  });

  it('5xx and dropped connections → TransientVendorError', async () => {
    const fake = await start();
    const ctx = context(fake);
    fake.failNext({ status: 503, retryAfter: 2 });
    expect(await failure(jiraConnector.pull!(ctx, { object: 'issue', cursor: null }))).toMatchObject({ name: 'TransientVendorError', status: 503, retryAfterMs: 2000 });
    fake.failNext({ status: 500, dropConnection: true });
    expect(await failure(jiraConnector.pull!(ctx, { object: 'issue', cursor: null }))).toBeInstanceOf(TransientVendorError);
  });
});

describe('jira connector: OAuth 2.0', () => {
  const oauth = (fake: JiraFake, accessToken: string, refreshToken?: string) => ({
    bearer: accessToken,
    ...(refreshToken === undefined ? {} : { refreshToken, clientId: 'fake-client-id', clientSecret: 'fake-client-secret', tokenUrl: `${fake.url}/oauth/token` }),
  });
  const tokenCalls = (fake: JiraFake) => fake.requests.filter((r) => r.path === '/oauth/token').length;

  it('refreshes an expired bearer token exactly once, saves the rotated tokens and repeats the call', async () => {
    const fake = await start();
    const grant = fake.issueToken();
    const saved: Json[] = [];
    const ctx = context(fake, { config: { baseUrl: fake.gatewayUrl }, credentials: oauth(fake, grant.accessToken, grant.refreshToken), saved });
    expect(await jiraConnector.check(ctx)).toMatchObject({ ok: true });
    fake.expireToken(grant.accessToken);

    // Two calls see the 401 together; Atlassian would refuse a second use of the refresh token.
    const [created] = await Promise.all([
      push(ctx, { object: 'issue', op: 'create', data: { fields: { summary: 'After expiry' } }, idempotencyKey: 'oauth:create' }),
      jiraConnector.pull!(ctx, { object: 'issue', cursor: null }),
    ]);
    expect(created.id).toBe('MH-1');
    expect(tokenCalls(fake)).toBe(1);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ bearer: expect.any(String), refreshToken: expect.any(String), clientId: 'fake-client-id' });
    expect([saved[0]!.bearer, saved[0]!.refreshToken]).not.toContain(grant.accessToken);
    expect(saved[0]!.refreshToken).not.toBe(grant.refreshToken);
    expect((ctx.credentials as Json).bearer).toBe(saved[0]!.bearer);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/ex/jira/${fake.cloudId}/rest/api/3/issue`)).toBe(true);

    await jiraConnector.pull!(ctx, { object: 'issue', cursor: null });
    expect(tokenCalls(fake)).toBe(1);
  });

  it('raises AuthExpiredError when the token cannot be refreshed, or no refresh token is held', async () => {
    const fake = await start();
    const grant = fake.issueToken();
    fake.expireToken();
    fake.revokeRefreshToken(grant.refreshToken);
    const revoked = await failure(jiraConnector.pull!(context(fake, { credentials: oauth(fake, grant.accessToken, grant.refreshToken) }), { object: 'issue', cursor: null }));
    expect(revoked).toBeInstanceOf(AuthExpiredError);
    expect((revoked as Error).message).toContain('403 unauthorized_client');
    expect(tokenCalls(fake)).toBe(1);

    const bare = await failure(jiraConnector.pull!(context(fake, { credentials: oauth(fake, grant.accessToken) }), { object: 'issue', cursor: null }));
    expect(bare).toBeInstanceOf(AuthExpiredError);
    expect(tokenCalls(fake)).toBe(1);
    expect(await jiraConnector.check(context(fake, { credentials: oauth(fake, grant.accessToken) }))).toMatchObject({ ok: false, code: 'auth_failed' });
  });
});

describe('jira connector: comments and check', () => {
  it('adds comments (ADF on v3, strings on v2) and lists replies since an instant', async () => {
    let clock = Date.parse('2026-11-21T10:00:00.000Z');
    const fake = await start({ now: () => clock });
    fake.simulateCreate({ fields: { project: { key: 'MH' }, issuetype: { name: 'Task' }, summary: 'Probed' } });
    const ctx = context(fake);
    const probe = await addComment(ctx, 'MH-1', 'Is milestone 1 on track?\nReply here.');
    expect(probe).toMatchObject({ id: expect.any(String), updatedAt: '2026-11-21T10:00:00.000Z', data: { issueKey: 'MH-1', body: 'Is milestone 1 on track?\nReply here.' } });
    expect(fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/3/issue/MH-1/comment')!.body).toMatchObject({ body: { type: 'doc', version: 1 } });

    clock += 60_000;
    fake.simulateComment('MH-1', 'Yes, shipping Friday.');
    clock += 60_000;
    await addComment(context(fake, { config: { apiVersion: '2' } }), 'MH-1', 'Thanks');
    expect(fake.requests.find((r) => r.method === 'POST' && r.path === '/rest/api/2/issue/MH-1/comment')!.body).toEqual({ body: 'Thanks' });

    const replies = await listComments(ctx, { issueKey: 'MH-1', since: '2026-11-21T10:00:30.000Z' });
    expect(replies.map((r) => [r.data.body, (r.data.author as Json).displayName])).toEqual([
      ['Yes, shipping Friday.', 'Asha Rao'],
      ['Thanks', 'Milestone Hub'],
    ]);
    expect(await listComments(ctx, { issueKey: 'MH-1' })).toHaveLength(3);
    expect(await failure(listComments(ctx, { issueKey: 'MH-404' }))).toMatchObject({ status: 404 });
    expect(await failure(addComment(ctx, 'not a key', 'x'))).toBeInstanceOf(UnrecoverableVendorError);
  });

  it('check() names the user, and reports a missing project or issue type as misconfigured', async () => {
    const fake = await start();
    expect(await jiraConnector.check(context(fake))).toEqual({ ok: true, message: 'Signed in to Jira as Milestone Hub; project MH (Milestone Hub) takes Task issues' });
    expect(await jiraConnector.check(context(fake, { config: { projectKey: 'NOPE' } }))).toMatchObject({ ok: false, code: 'misconfigured', message: expect.stringContaining('project NOPE') });
    expect(await jiraConnector.check(context(fake, { config: { issueType: 'Milestone' } }))).toMatchObject({ ok: false, code: 'misconfigured', message: expect.stringContaining('no issue type "Milestone"') });
  });
});
