import JiraApi from 'jira-client';
import { UnrecoverableVendorError } from '../sdk/index.ts';
import type { JiraContext } from './jira-context.ts';
import { createJiraRequest, type FailureHandle, type JiraRequestOptions } from './jira-request.ts';
import { isOAuth } from './jira-settings.ts';

/** jira-client marks these private, but they are how it reaches endpoints it has no method for. */
interface JiraClientInternals {
  makeUri(options: { pathname: string; query?: Record<string, unknown> }): string;
  makeRequestHeader(uri: string, options?: Record<string, unknown>): JiraRequestOptions;
  doRequest(options: JiraRequestOptions): Promise<unknown>;
}

/** jira-client bound to one context, with its failures turned back into the SDK's named errors. */
export interface JiraSession {
  readonly ctx: JiraContext;
  /** Runs jira-client calls; a failure throws the named error (RateLimitedError, AuthExpiredError, ...). */
  run<T>(call: (client: JiraApi) => Promise<unknown>): Promise<T>;
  /** A call under `/rest/api/{version}` that jira-client has no method for (`/search/jql`, comment paging). */
  request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', pathname: string, options?: { body?: unknown; query?: Record<string, unknown> }): Promise<T>;
}

/**
 * A jira-client for the connection: protocol, host, port and base path come from `baseUrl`, so
 * the same code reaches a site (`https://acme.atlassian.net`), the OAuth gateway
 * (`https://api.atlassian.com/ex/jira/{cloudId}`) or a local Jira-compatible server.
 */
export function createJiraSession(ctx: JiraContext): JiraSession {
  const url = new URL(ctx.config.baseUrl);
  const failures = new Map<string, unknown>();
  const credentials = ctx.credentials;
  const client = new JiraApi({
    protocol: url.protocol.replace(/:$/, ''),
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port === '' ? {} : { port: url.port }),
    base: url.pathname.replace(/\/+$/, ''),
    apiVersion: ctx.config.apiVersion,
    strictSSL: true,
    request: createJiraRequest(ctx, failures),
    ...(isOAuth(credentials) ? { bearer: credentials.bearer } : { username: credentials.email, password: credentials.apiToken }),
  });
  const internals = client as unknown as JiraClientInternals;

  const run = async <T>(call: (api: JiraApi) => Promise<unknown>): Promise<T> => {
    try {
      return (await call(client)) as T;
    } catch (err) {
      throw failureOf(err, failures);
    }
  };

  return {
    ctx,
    run,
    request: <T>(method: string, pathname: string, { body, query }: { body?: unknown; query?: Record<string, unknown> } = {}) =>
      run<T>(() => internals.doRequest(internals.makeRequestHeader(internals.makeUri({ pathname, ...(query === undefined ? {} : { query }) }), { method, ...(body === undefined ? {} : { body }) }))),
  };
}

// jira-client rethrows every failure as `new Error(JSON.stringify(reason))`; the reason is our handle.
function failureOf(err: unknown, failures: Map<string, unknown>): unknown {
  if (!(err instanceof Error)) return err;
  let reason: unknown;
  try {
    reason = JSON.parse(err.message);
  } catch {
    return new UnrecoverableVendorError(0, '', { message: `jira-client failed: ${err.message.slice(0, 300)}`, cause: err });
  }
  const id = (reason as FailureHandle | null)?.failureId;
  if (typeof id === 'string' && failures.has(id)) {
    const original = failures.get(id);
    failures.delete(id);
    return original;
  }
  return new UnrecoverableVendorError(0, err.message.slice(0, 2000), { message: `jira-client failed: ${err.message.slice(0, 300)}`, cause: err });
}
