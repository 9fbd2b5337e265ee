import { UnrecoverableVendorError, vendorErrorFromResponse, type ConnectorContext } from '../sdk/index.ts';
import { authHeaders } from './rest-auth.ts';
import type { RestConfig, RestCredentials } from './rest-config-schema.ts';

type RestContext = ConnectorContext<RestConfig, RestCredentials>;

/** One call to the configured API. */
export interface RestCallInput {
  method: string;
  /** Relative to baseUrl (`/invoices/42`), or an absolute URL on baseUrl's origin (a next link). */
  target: string | URL;
  query?: ReadonlyArray<readonly [string, string]>;
  body?: unknown;
  headers?: Readonly<Record<string, string>>;
  /** Answer 404 with `{ status: 404, body: null }` instead of an error. */
  allowNotFound?: boolean;
  /** For messages: `list invoices`. */
  what: string;
}

/** A parsed JSON answer. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** `baseUrl` joined with a relative path, keeping the base's own path (`/books/v3` + `/invoices`). */
export function urlFor(config: RestConfig, path: string): URL {
  const base = new URL(config.baseUrl);
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${path}`;
  for (const { name, value } of config.query ?? []) url.searchParams.append(name, value);
  return url;
}

/**
 * Calls the API with its auth, fixed headers and query, and maps failures to the SDK's named
 * errors. With OAuth2, a 401 renews the token once and repeats the call.
 */
export async function restCall(ctx: RestContext, input: RestCallInput): Promise<RestAnswer> {
  const url = typeof input.target === 'string' ? urlFor(ctx.config, input.target) : sameOrigin(ctx.config, input.target, input.what);
  for (const [name, value] of input.query ?? []) url.searchParams.append(name, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const { name, value } of ctx.config.headers ?? []) headers[name.toLowerCase()] = value;
  Object.assign(headers, lower(input.headers ?? {}));
  const body = input.body === undefined ? undefined : JSON.stringify(input.body);
  if (body !== undefined) headers['content-type'] = 'application/json';

  let renew = false;
  for (;;) {
    const res = await ctx.fetch(url, { method: input.method, headers: { ...headers, ...lower(await authHeaders(ctx, { renew })) }, body, signal: ctx.signal });
    if (res.status === 401 && ctx.config.auth.type === 'oauth2-client-credentials' && !renew) {
      await res.body?.cancel();
      renew = true;
      continue;
    }
    if (res.status === 404 && input.allowNotFound === true) {
      await res.body?.cancel();
      return { status: 404, headers: res.headers, body: null };
    }
    const failure = await vendorErrorFromResponse(res, { now: ctx.now(), what: input.what });
    if (failure !== undefined) throw failure;
    const text = await res.text();
    if (text.trim() === '') return { status: res.status, headers: res.headers, body: null };
    try {
      return { status: res.status, headers: res.headers, body: JSON.parse(text) as unknown };
    } catch {
      throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: `${input.what}: the answer is not JSON` });
    }
  }
}

// A next link elsewhere would carry this connection's credentials to another host.
function sameOrigin(config: RestConfig, target: URL, what: string): URL {
  const base = new URL(config.baseUrl);
  if (target.origin !== base.origin) {
    throw new UnrecoverableVendorError(0, '', { message: `${what}: the API linked to ${target.origin}, outside ${base.origin}; not followed` });
  }
  return new URL(target.href);
}

function lower(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
