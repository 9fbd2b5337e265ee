import { PassThrough } from 'node:stream';
import { Connection, type HttpRequest, type HttpResponse, type StreamPromise } from 'jsforce';
import {
  AuthExpiredError,
  parseRetryAfter,
  RateLimitedError,
  TransientVendorError,
  UnrecoverableVendorError,
  VendorError,
  type ConnectorContext,
} from '../sdk/index.ts';
import { salesforceAnswerError } from './salesforce-answer-error.ts';
import type { SalesforceConfig, SalesforceCredentials } from './salesforce-settings.ts';

type SalesforceContext = ConnectorContext<SalesforceConfig, SalesforceCredentials>;

/** One jsforce connection serving one connector context. */
export interface SalesforceSession {
  readonly conn: Connection;
  /** Why the last token refresh failed: jsforce rethrows it as a plain Error, losing the class. */
  refreshFailure: VendorError | undefined;
}

// Calls made through one context share one connection, so concurrent calls that meet an expired
// session wait for a single refresh (jsforce's refresh delegate), and the context's end frees it.
const sessions = new WeakMap<SalesforceContext, SalesforceSession>();

/**
 * The jsforce connection of a context. Its HTTP goes through the context's guarded fetch instead
 * of jsforce's own transport, so the address guard, cancellation and timeouts apply, the HTTP
 * status and Retry-After are read before jsforce drops them, and jsforce's silent retries of
 * throttled GETs never run: a 429 reaches the queue as a RateLimitedError at once.
 */
export function salesforceSession(ctx: SalesforceContext): SalesforceSession {
  const existing = sessions.get(ctx);
  if (existing !== undefined) return existing;
  const { config, credentials } = ctx;
  const conn = new Connection({
    oauth2: { loginUrl: config.loginUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret },
    instanceUrl: config.instanceUrl,
    refreshToken: credentials.refreshToken,
    ...(credentials.accessToken === undefined ? {} : { accessToken: credentials.accessToken }),
    version: config.apiVersion,
  });
  const session: SalesforceSession = { conn, refreshFailure: undefined };

  const answered401 = new WeakSet<HttpRequest>();
  conn._transport.httpRequest = requestOver(ctx, async (req, res) => {
    if (res.statusCode === 401) {
      // jsforce refreshes once and repeats the same request object; a second 401 is final.
      if (answered401.has(req)) throw new AuthExpiredError(`${describe(req)}: Salesforce rejected the refreshed session (401)`, { status: 401 });
      answered401.add(req);
      return res;
    }
    if (res.statusCode >= 400) throw salesforceAnswerError(res.statusCode, res.headers, res.body, { now: ctx.now(), what: describe(req) });
    return res;
  });

  conn.oauth2._transport.httpRequest = requestOver(ctx, async (_req, res) => {
    if (res.statusCode >= 400) {
      session.refreshFailure = tokenRefusal(res, ctx.now());
      throw session.refreshFailure;
    }
    const accessToken = accessTokenOf(res.body);
    if (accessToken !== undefined) {
      session.refreshFailure = undefined;
      await keepAccessToken(ctx, accessToken);
    }
    return res;
  });

  sessions.set(ctx, session);
  return session;
}

/**
 * Runs jsforce calls on the context's connection and turns what jsforce throws into the SDK's
 * named errors. Anything else it throws is a bug and passes through.
 */
export async function callSalesforce<T>(ctx: SalesforceContext, run: (conn: Connection) => Promise<T>): Promise<T> {
  const session = salesforceSession(ctx);
  if (ctx.signal.aborted) throw ctx.signal.reason;
  try {
    return await run(session.conn);
  } catch (err) {
    throw asVendorError(err, session, ctx);
  }
}

function asVendorError(err: unknown, session: SalesforceSession, ctx: SalesforceContext): unknown {
  if (err instanceof VendorError) return err;
  if (ctx.signal.aborted) return ctx.signal.reason ?? err;
  if (err instanceof Error && err.message.startsWith('Unable to refresh session')) {
    return session.refreshFailure ?? new AuthExpiredError('Salesforce: the session could not be refreshed');
  }
  // jsforce's own refusals of an answer (e.g. 300 Multiple Choices for a duplicated external id).
  const code = (err as { errorCode?: unknown }).errorCode;
  if (typeof code === 'string') {
    if (code === 'INVALID_SESSION_ID') return new AuthExpiredError(`Salesforce: ${code}`);
    const message = err instanceof Error ? err.message : '';
    const status = code === 'MULTIPLE_CHOICES' ? 300 : 0;
    return new UnrecoverableVendorError(status, JSON.stringify([{ errorCode: code, message }]), { message: `Salesforce: ${code}: ${message.slice(0, 300)}` });
  }
  return err;
}

type Handle = (req: HttpRequest, res: HttpResponse) => Promise<HttpResponse>;

function requestOver(ctx: SalesforceContext, handle: Handle): (req: HttpRequest) => StreamPromise<HttpResponse> {
  return (req) => {
    const stream = new PassThrough();
    const promise = (async () => {
      const res = await send(ctx, req);
      stream.end(res.body);
      return handle(req, res);
    })();
    promise.catch(() => stream.end());
    // jsforce awaits the promise and pipes `stream()`; its StreamPromise class is not an ESM export.
    return Object.assign(promise, { stream: () => stream }) as unknown as StreamPromise<HttpResponse>;
  };
}

async function send(ctx: SalesforceContext, req: HttpRequest): Promise<HttpResponse> {
  const { body } = req;
  if (body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body) && !(body instanceof URLSearchParams)) {
    throw new TypeError('salesforce: streamed request bodies are not supported');
  }
  const res = await ctx.fetch(req.url, { method: req.method, headers: req.headers ?? {}, ...(body === undefined || body === null ? {} : { body }), signal: ctx.signal });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { statusCode: res.status, headers, body: text };
}

// The path only: queries carry record values in their query string.
function describe(req: HttpRequest): string {
  const path = URL.canParse(req.url) ? new URL(req.url).pathname : req.url.split('?')[0];
  return `${req.method} ${path}`;
}

function accessTokenOf(body: string): string | undefined {
  try {
    const token = (JSON.parse(body) as { access_token?: unknown }).access_token;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined;
  }
}

// The access token is a cache: the refresh token still works if the store write fails.
async function keepAccessToken(ctx: SalesforceContext, accessToken: string): Promise<void> {
  try {
    await ctx.saveCredentials({ ...ctx.credentials, accessToken });
    ctx.logger.info({ connectionId: ctx.connectionId }, 'salesforce: refreshed the access token');
  } catch (err) {
    ctx.logger.warn({ connectionId: ctx.connectionId, err: { message: (err as Error).message } }, 'salesforce: could not store the refreshed access token');
  }
}

function tokenRefusal(res: HttpResponse, now: Date): VendorError {
  const status = res.statusCode;
  if (status === 400 || status === 401 || status === 403) {
    // Only the standard error code: descriptions may echo what was sent.
    let code: string | undefined;
    try {
      const error = (JSON.parse(res.body) as { error?: unknown }).error;
      code = typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : undefined;
    } catch {
      code = undefined;
    }
    return new AuthExpiredError(`Salesforce refused to refresh the session (${status}${code === undefined ? '' : ` ${code}`}); an admin must authorise the connection again`, { status });
  }
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], now);
  if (status === 429) return new RateLimitedError(retryAfterMs, { status, message: 'Salesforce token endpoint: rate limited' });
  if (status >= 500) return new TransientVendorError(`Salesforce token endpoint answered ${status}`, { status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  return new UnrecoverableVendorError(status, '', { message: `Salesforce token endpoint answered ${status}` });
}
