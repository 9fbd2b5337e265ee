import { UnrecoverableVendorError } from '../sdk/index.ts';
import type { JiraContext } from './jira-context.ts';
import { canRefresh, isOAuth } from './jira-settings.ts';
import { refreshBearer } from './refresh-bearer.ts';
import { jiraErrorDetail, vendorErrorFromJira } from './vendor-error-from-jira.ts';

/** The request options jira-client builds (postman-request's shape), as far as its JSON calls use them. */
export interface JiraRequestOptions {
  uri: string;
  method?: string;
  json?: boolean;
  body?: unknown;
  qs?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** What the `request` function rejects with: a handle on the real error, kept by the session. */
export interface FailureHandle {
  failureId: string;
}

/**
 * jira-client's `request` option, sending over the context's guarded fetch instead of its own HTTP
 * stack: the hub's address policy, timeout and cancellation apply, and a failure keeps its status
 * and headers. jira-client turns any rejection into `new Error(JSON.stringify(reason))`, which
 * would lose both, so the request rejects with a handle and leaves the named error in `failures`
 * for the session to throw. An OAuth token Jira rejects is refreshed once and the request repeated.
 */
export function createJiraRequest(ctx: JiraContext, failures: Map<string, unknown>): (options: JiraRequestOptions) => Promise<unknown> {
  let next = 0;
  return async (options) => {
    try {
      return await send(ctx, options);
    } catch (err) {
      next += 1;
      const handle: FailureHandle = { failureId: `jira-failure-${next}` };
      failures.set(handle.failureId, err);
      return Promise.reject(handle);
    }
  };
}

async function send(ctx: JiraContext, options: JiraRequestOptions): Promise<unknown> {
  const url = new URL(options.uri);
  for (const [name, value] of Object.entries(options.qs ?? {})) if (value !== undefined && value !== null) url.searchParams.append(name, String(value));
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const what = `${method} ${url.pathname}`;

  const call = (authorization: string) => ctx.fetch(url, { method, headers: { ...headers, authorization }, body, signal: ctx.signal });
  const sent = authorizationOf(ctx);
  let res = await call(sent.header);
  if (res.status === 401 && sent.bearer !== undefined && canRefresh(ctx.credentials)) {
    await res.body?.cancel();
    await refreshBearer(ctx, sent.bearer);
    res = await call(authorizationOf(ctx).header);
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 400) throw vendorErrorFromJira(what, { status: res.status, headers: res.headers, text }, ctx.now());
  if (text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    if (options.json === true) throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: `${what}: Jira's answer is not JSON` });
    return text;
  }
  // jira-client treats a 2xx carrying errorMessages as a failure; say why here, where the body is known.
  const messages = (parsed as { errorMessages?: unknown } | null)?.errorMessages;
  if (Array.isArray(messages) && messages.length > 0) {
    throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: `${what}: Jira answered ${res.status} with errors: ${jiraErrorDetail(text)}` });
  }
  return parsed;
}

// Read from the context on every request, so a token refreshed by another call is used at once.
function authorizationOf(ctx: JiraContext): { header: string; bearer?: string } {
  const credentials = ctx.credentials;
  if (isOAuth(credentials)) return { header: `Bearer ${credentials.bearer}`, bearer: credentials.bearer };
  return { header: `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`, 'utf8').toString('base64')}` };
}
