import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { isAdfDoc, richTextFromAdf, richTextFromString } from './adf.ts';
import { AuthRegistry, type IssueTokenOptions, type OAuthClient, type TokenGrant } from './auth-registry.ts';
import { createJiraApp } from './create-jira-app.ts';
import type { FakeDeps, RecordedRequest } from './fake-context.ts';
import { FaultPlan, type FaultSpec } from './fault-plan.ts';
import { JiraStore, type FakeProject, type FakeUser, type StoreEvent } from './jira-store.ts';
import { compileJql } from './jql-evaluate.ts';
import { parseJql } from './jql-parse.ts';
import { parseIssueInput } from './parse-issue-fields.ts';
import { availableTransitions, renderIssue, type RenderContext } from './render-issue.ts';
import { WebhookDispatcher, type RegisteredWebhook, type WebhookDelivery, type WebhookRegistration, type WebhookRetryPolicy } from './webhook-dispatcher.ts';
import { webhookEventsFor } from './webhook-payloads.ts';
import { statusById } from './workflow.ts';

export interface FakeUserInput {
  email: string;
  displayName?: string;
  /** Without one the user exists (assignable, mentionable) but cannot call the API with Basic auth. */
  apiToken?: string;
  accountId?: string;
  /** IANA zone; Jira renders timestamps and reads JQL dates in it. @default 'UTC' */
  timeZone?: string;
  active?: boolean;
}

export interface JiraFakeOptions {
  /** @default [{ key: 'MH', name: 'Milestone Hub' }] */
  projects?: { key: string; name?: string }[];
  /**
   * The first user is the API caller the defaults describe. @default a bot user
   * (`hub-bot@example.com` / `fake-api-token`, UTC) and a person, Asha Rao (Asia/Kolkata), who
   * makes the simulated edits.
   */
  users?: FakeUserInput[];
  /** Clients allowed at `/oauth/token`. @default [{ clientId: 'fake-client-id', clientSecret: 'fake-client-secret' }] */
  oauthClients?: OAuthClient[];
  /** @default 3600 */
  accessTokenTtlSeconds?: number;
  /** Added before every answer. @default 0 */
  latencyMs?: number;
  /** The fake's clock for `created`, `updated`, token expiry and relative JQL dates. @default Date.now */
  now?: () => number;
  /**
   * Jira Cloud answers `/rest/api/{2,3}/search` with 410 Gone since 2025; `available` emulates
   * Jira Data Center, which still serves it. @default 'removed'
   */
  legacySearch?: 'removed' | 'available';
  /**
   * Entity property keys JQL can search (`issue.property[key].path`). Jira indexes a property only
   * when an installed app declares it, so an API-token integration has none. @default []
   */
  indexedProperties?: string[];
  /** How long a change takes to reach search results; Jira Cloud's index is eventually consistent. @default 0 */
  searchIndexLagMs?: number;
  /** Page cap for searches that return fields. @default 100 */
  searchMaxResults?: number;
  webhookRetry?: WebhookRetryPolicy;
  /** @default a random UUID */
  cloudId?: string;
}

export interface SimulatedEdit {
  /** Fields as a REST body would carry them; descriptions may be strings or ADF. */
  fields?: Record<string, unknown>;
  update?: Record<string, unknown>;
  /** Account id of the person editing. @default the second user, else the first */
  actor?: string;
}

export interface JiraFake {
  /** Site URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  readonly cloudId: string;
  /** `${url}/ex/jira/${cloudId}`: where OAuth 2.0 callers send REST requests. */
  readonly gatewayUrl: string;
  /** Basic credentials of the first user, when it has an API token. */
  readonly credentials: { email: string; apiToken: string };
  readonly users: readonly FakeUser[];
  readonly requests: readonly RecordedRequest[];
  /** Idempotency headers seen; Jira ignores them, and so does the fake. */
  readonly idempotencyKeys: readonly { key: string; method: string; path: string }[];
  readonly webhookDeliveries: readonly WebhookDelivery[];
  clearRequests(): void;
  failNext(fault: FaultSpec): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  issueToken(options?: IssueTokenOptions): TokenGrant;
  expireToken(accessToken?: string): void;
  revokeRefreshToken(refreshToken?: string): void;
  registerWebhook(registration: WebhookRegistration): RegisteredWebhook;
  flushWebhooks(): Promise<void>;
  /** The issue as REST would return it (`expand=changelog`, all properties), or undefined. */
  getIssue(idOrKey: string, apiVersion?: '2' | '3'): Record<string, unknown> | undefined;
  issueKeys(): string[];
  /** A person creating an issue in Jira's UI. Returns the key. */
  simulateCreate(edit: SimulatedEdit & { fields: Record<string, unknown> }): string;
  simulateUserEdit(idOrKey: string, edit: SimulatedEdit): void;
  simulateTransition(idOrKey: string, toStatusName: string, actor?: string): void;
  /** Returns the new comment's id. */
  simulateComment(idOrKey: string, body: string | Record<string, unknown>, author?: string): string;
  simulateDelete(idOrKey: string, actor?: string): void;
  close(): Promise<void>;
}

const defaultUsers: FakeUserInput[] = [
  { email: 'hub-bot@example.com', displayName: 'Milestone Hub', apiToken: 'fake-api-token', timeZone: 'UTC' },
  { email: 'asha@example.com', displayName: 'Asha Rao', timeZone: 'Asia/Kolkata' },
];

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Options are checked up front, so a bad fixture fails at start and not inside a request. */
function buildUsers(inputs: FakeUserInput[]): { users: FakeUser[]; tokens: { email: string; apiToken: string; accountId: string }[] } {
  if (inputs.length === 0) throw new TypeError('startJiraFake: users must not be empty');
  const seen = new Set<string>();
  const users: FakeUser[] = [];
  const tokens: { email: string; apiToken: string; accountId: string }[] = [];
  inputs.forEach((input, index) => {
    const email = input.email.toLowerCase();
    if (seen.has(email)) throw new TypeError(`startJiraFake: duplicate user email ${input.email}`);
    seen.add(email);
    const timeZone = input.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) throw new TypeError(`startJiraFake: unknown time zone ${timeZone}`);
    const accountId = input.accountId ?? `712020:00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
    users.push({ accountId, emailAddress: input.email, displayName: input.displayName ?? input.email, timeZone, active: input.active ?? true, locale: 'en_US' });
    if (input.apiToken) tokens.push({ email: input.email, apiToken: input.apiToken, accountId });
  });
  return { users, tokens };
}

function buildProjects(inputs: { key: string; name?: string }[], leadAccountId: string): FakeProject[] {
  if (inputs.length === 0) throw new TypeError('startJiraFake: projects must not be empty');
  const keys = new Set<string>();
  return inputs.map((input, index) => {
    if (!/^[A-Z][A-Z0-9_]{1,9}$/.test(input.key)) throw new TypeError(`startJiraFake: invalid project key ${input.key}`);
    if (keys.has(input.key)) throw new TypeError(`startJiraFake: duplicate project key ${input.key}`);
    keys.add(input.key);
    return { id: String(10000 + index), key: input.key, name: input.name ?? input.key, leadAccountId };
  });
}

/** Starts a local Jira Cloud emulation on 127.0.0.1 with an ephemeral port. */
export async function startJiraFake(options: JiraFakeOptions = {}): Promise<JiraFake> {
  const {
    projects: projectInputs = [{ key: 'MH', name: 'Milestone Hub' }],
    users: userInputs = defaultUsers,
    oauthClients = [{ clientId: 'fake-client-id', clientSecret: 'fake-client-secret' }],
    accessTokenTtlSeconds = 3600,
    latencyMs = 0,
    now = Date.now,
    legacySearch = 'removed',
    indexedProperties = [],
    searchIndexLagMs = 0,
    searchMaxResults = 100,
    webhookRetry,
    cloudId = randomUUID(),
  } = options;
  if (latencyMs < 0 || searchIndexLagMs < 0) throw new RangeError('startJiraFake: latencyMs and searchIndexLagMs must be >= 0');
  if (!Number.isInteger(searchMaxResults) || searchMaxResults < 1) throw new RangeError('startJiraFake: searchMaxResults must be a positive integer');

  const { users, tokens } = buildUsers(userInputs);
  const projects = buildProjects(projectInputs, users[0]!.accountId);
  let siteUrl = '';
  const webhookRenderContext = (): RenderContext => ({ store, base: siteUrl, apiVersion: '2', timeZone: 'UTC' });

  const store: JiraStore = new JiraStore({
    projects,
    users,
    now,
    indexLagMs: searchIndexLagMs,
    onEvent: (event: StoreEvent) => webhooks.dispatch(webhookEventsFor(event, webhookRenderContext())),
  });
  const webhooks: WebhookDispatcher = new WebhookDispatcher({
    retry: webhookRetry,
    projectKeyOf: (issue) => store.projects.get(issue.projectId)?.key ?? '',
    matchesFilter: (jql, issue) => {
      try {
        const compiled = compileJql(parseJql(jql), { store, viewer: users[0]!, now: now(), indexedProperties: new Set(indexedProperties) });
        return compiled.problems.length === 0 && compiled.matches(issue);
      } catch {
        return false;
      }
    },
  });
  const auth = new AuthRegistry({ now, clients: oauthClients, accessTokenTtlSeconds, defaultAccountId: users[0]!.accountId });
  for (const token of tokens) auth.addBasic(token.email, token.apiToken, token.accountId);

  const deps: FakeDeps = {
    store,
    auth,
    faults: new FaultPlan(),
    webhooks,
    requests: [],
    idempotencyKeys: [],
    settings: { latencyMs, legacySearch, indexedProperties: new Set(indexedProperties), searchMaxResults },
    siteUrl: () => siteUrl,
    cloudId,
  };
  const app = createJiraApp(deps);

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const port = (server.address() as AddressInfo).port;
  siteUrl = `http://127.0.0.1:${port}`;

  const defaultActor = (users[1] ?? users[0]!).accountId;
  const mustFind = (idOrKey: string) => {
    const issue = store.findIssue(idOrKey);
    if (!issue) throw new Error(`Jira fake: no issue ${idOrKey}`);
    return issue;
  };
  const mustParse = (edit: SimulatedEdit, mode: 'create' | 'edit', issueKey?: string) => {
    const parsed = parseIssueInput(
      { fields: edit.fields, update: edit.update },
      { store, dialect: 'any', mode, issue: issueKey === undefined ? undefined : mustFind(issueKey) },
    );
    if (Object.keys(parsed.errors).length > 0) throw new Error(`Jira fake: invalid simulated edit: ${JSON.stringify(parsed.errors)}`);
    return parsed;
  };

  return {
    url: siteUrl,
    port,
    cloudId,
    gatewayUrl: `${siteUrl}/ex/jira/${cloudId}`,
    credentials: tokens[0] ? { email: tokens[0].email, apiToken: tokens[0].apiToken } : { email: users[0]!.emailAddress, apiToken: '' },
    users,
    requests: deps.requests,
    idempotencyKeys: deps.idempotencyKeys,
    webhookDeliveries: webhooks.deliveries,
    clearRequests: () => {
      deps.requests.length = 0;
      deps.idempotencyKeys.length = 0;
    },
    failNext: (fault) => deps.faults.add(fault),
    clearFaults: () => deps.faults.clear(),
    setLatency: (ms) => {
      if (ms < 0) throw new RangeError('setLatency: ms must be >= 0');
      deps.settings.latencyMs = ms;
    },
    issueToken: (tokenOptions) => auth.issueToken(tokenOptions),
    expireToken: (accessToken) => auth.expireToken(accessToken),
    revokeRefreshToken: (refreshToken) => auth.revokeRefreshToken(refreshToken),
    registerWebhook: (registration) => webhooks.register(registration),
    flushWebhooks: () => webhooks.flush(),
    getIssue: (idOrKey, apiVersion = '2') => {
      const issue = store.findIssue(idOrKey);
      if (!issue) return undefined;
      return renderIssue(issue, { store, base: siteUrl, apiVersion, timeZone: users[0]!.timeZone }, { defaultFields: '*all', expand: ['changelog'], properties: ['*all'] });
    },
    issueKeys: () => [...store.issues.values()].map((issue) => issue.key),
    simulateCreate: (edit) => {
      const parsed = mustParse(edit, 'create');
      return store.createIssue({ projectId: parsed.projectId!, issueTypeId: parsed.issueTypeId!, patch: parsed.patch }, edit.actor ?? defaultActor).key;
    },
    simulateUserEdit: (idOrKey, edit) => {
      const parsed = mustParse(edit, 'edit', idOrKey);
      const issue = mustFind(idOrKey);
      store.updateIssue(issue, parsed.patch, edit.actor ?? defaultActor);
      for (const comment of parsed.comments) store.addComment(issue, comment, edit.actor ?? defaultActor);
    },
    simulateTransition: (idOrKey, toStatusName, actor = defaultActor) => {
      const issue = mustFind(idOrKey);
      const transition = availableTransitions(issue).find((candidate) => statusById(candidate.to)!.name.toLowerCase() === toStatusName.toLowerCase());
      if (!transition) {
        throw new Error(`Jira fake: no transition from '${statusById(issue.statusId)!.name}' to '${toStatusName}' in the workflow`);
      }
      store.transitionIssue(issue, transition, {}, actor);
    },
    simulateComment: (idOrKey, body, author = defaultActor) => {
      const issue = mustFind(idOrKey);
      const text = typeof body === 'string' ? richTextFromString(body) : isAdfDoc(body) ? richTextFromAdf(body) : undefined;
      if (!text) throw new Error('Jira fake: a comment body must be a string or an ADF document');
      return store.addComment(issue, text, author).id;
    },
    simulateDelete: (idOrKey, actor = defaultActor) => store.deleteIssue(mustFind(idOrKey), actor),
    close: async () => {
      await webhooks.flush();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from HTTP clients would otherwise hold close() open.
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
