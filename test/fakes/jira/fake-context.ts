import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { AuthRegistry } from './auth-registry.ts';
import type { FaultPlan } from './fault-plan.ts';
import { JiraError } from './jira-error.ts';
import type { FakeUser, JiraStore } from './jira-store.ts';
import type { RenderContext } from './render-issue.ts';
import type { WebhookDispatcher } from './webhook-dispatcher.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-cased names, as node receives them. */
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, else the raw text; undefined when empty. */
  body: unknown;
  at: number;
}

export interface FakeSettings {
  latencyMs: number;
  /** Jira Cloud removed `/rest/api/{2,3}/search` in 2025 (CHANGE-2046); Data Center still serves it. */
  legacySearch: 'removed' | 'available';
  indexedProperties: Set<string>;
  searchMaxResults: number;
}

/** What every route needs, built once per fake and passed in: no module-level state. */
export interface FakeDeps {
  store: JiraStore;
  auth: AuthRegistry;
  faults: FaultPlan;
  webhooks: WebhookDispatcher;
  requests: RecordedRequest[];
  idempotencyKeys: { key: string; method: string; path: string }[];
  settings: FakeSettings;
  siteUrl: () => string;
  cloudId: string;
}

export interface FakeEnv {
  Bindings: HttpBindings;
  Variables: { viewer: FakeUser; rawBody: string };
}

export type FakeContext = Context<FakeEnv>;

export function apiVersionOf(c: FakeContext): '2' | '3' {
  return c.req.param('version') === '3' ? '3' : '2';
}

/** Links point back the way the caller came: the site URL or the `/ex/jira/{cloudId}` gateway. */
export function baseUrlOf(c: FakeContext, deps: FakeDeps): string {
  const cloudId = c.req.param('cloudId');
  return cloudId ? `${deps.siteUrl()}/ex/jira/${cloudId}` : deps.siteUrl();
}

export function renderContextOf(c: FakeContext, deps: FakeDeps, apiVersion: '2' | '3' = apiVersionOf(c)): RenderContext {
  return { store: deps.store, base: baseUrlOf(c, deps), apiVersion, timeZone: c.get('viewer').timeZone };
}

/** Parses the JSON body with Jira's (Jackson's) wording for the common failures. */
export function readJson(c: FakeContext): unknown {
  const raw = c.get('rawBody');
  if (raw.trim() === '') throw new JiraError(400, { errorMessages: ['No content to map due to end-of-input'] });
  try {
    return JSON.parse(raw);
  } catch {
    const first = raw.trim()[0]!;
    throw new JiraError(400, {
      errorMessages: [
        `Unexpected character ('${first}' (code ${first.charCodeAt(0)})): expected a valid value (number, String, array, object, 'true', 'false' or 'null')`,
      ],
    });
  }
}

export function readJsonObject(c: FakeContext): Record<string, unknown> {
  const body = readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new JiraError(400, { errorMessages: ['Can not deserialize instance of the request out of the given JSON value'] });
  }
  return body as Record<string, unknown>;
}
