import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { classifyAddress } from './address-policy.ts';
import { hostOf, refusal } from './check-outbound-url.ts';
import { createGuardedLookup } from './guarded-lookup.ts';
import { OutboundUrlRefusedError } from './outbound-url-refused-error.ts';
import type { ResolveHost } from './resolve-host.ts';
import { TransientVendorError } from './transient-vendor-error.ts';
import { UnrecoverableVendorError } from './unrecoverable-vendor-error.ts';

/** The fetch connectors call: the standard signature, so code written for `fetch` works unchanged. */
export type ConnectorFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Node agents for vendor libraries that take an agent rather than a fetch. */
export interface OutboundAgents {
  http: http.Agent;
  https: https.Agent;
}

/** The hub's outbound HTTP: a guarded fetch and the agents behind it. Build one per process or app and reuse it. */
export interface OutboundHttp {
  readonly fetch: ConnectorFetch;
  /** Pass to vendor libraries (`httpAgent`/`httpsAgent`, `agent`); they get the same address guard. */
  readonly agents: OutboundAgents;
  /** Closes idle keep-alive sockets. */
  close(): void;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([204, 205, 304]);
const CROSS_ORIGIN_DROPPED = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * Outbound HTTP for connectors. Unless `allowPrivate`, every connection (each redirect hop
 * included) goes only to public addresses: IP-literal hosts are classified before connecting,
 * and host names resolve through a lookup that refuses the connection when any address is
 * private, so a DNS answer cannot change between the check and the connect. Network failures
 * and timeouts become TransientVendorError; refused addresses OutboundUrlRefusedError.
 * Runs over node:http(s) because the bundled undici behind the global fetch exposes no Agent.
 * @default timeoutMs 30000, maxRedirects 5
 * @example const outbound = createOutboundHttp({ allowPrivate: config.allowPrivateUrls });
 */
export function createOutboundHttp({
  allowPrivate = false,
  resolveHost,
  timeoutMs = 30_000,
  maxRedirects = 5,
  userAgent = 'milestone-hub',
}: {
  allowPrivate?: boolean;
  resolveHost?: ResolveHost;
  timeoutMs?: number;
  maxRedirects?: number;
  userAgent?: string;
} = {}): OutboundHttp {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError(`createOutboundHttp: timeoutMs must be a positive integer, got ${timeoutMs}`);
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new RangeError(`createOutboundHttp: maxRedirects must be a whole number, got ${maxRedirects}`);
  const lookup = allowPrivate ? undefined : createGuardedLookup(resolveHost ? { resolveHost } : {});
  const agentOptions = { keepAlive: true, ...(lookup ? { lookup } : {}) };
  const agents: OutboundAgents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  const guard = (url: URL): void => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundUrlRefusedError('unsupported_scheme', `${url.protocol} URLs are not called; use http or https`);
    }
    if (allowPrivate) return;
    const host = hostOf(url);
    if (isIP(host) !== 0) {
      const kind = classifyAddress(host);
      if (kind !== 'public') throw new OutboundUrlRefusedError('private_address', `the URL ${refusal(host, host, kind)}`);
    }
  };

  async function outboundFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([request.signal, timeout]);
    let payload = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    let method = request.method;
    const headers = new Headers(request.headers);
    let url = new URL(request.url);
    for (let hop = 0; ; hop += 1) {
      guard(url);
      let res: http.IncomingMessage;
      try {
        res = await send({ url, method, headers, payload, signal });
      } catch (err) {
        if (err instanceof OutboundUrlRefusedError) throw err;
        if (request.signal.aborted) throw request.signal.reason;
        if (timeout.aborted) throw new TransientVendorError(`${method} ${url.host}: no answer within ${timeoutMs} ms`, { cause: err });
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        throw new TransientVendorError(`${method} ${url.host}: network error (${code})`, { cause: err });
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location !== undefined && request.redirect !== 'manual') {
        res.resume();
        if (request.redirect === 'error') throw new TypeError(`${method} ${url.host}: redirected (${status}) and redirect is "error"`);
        if (hop >= maxRedirects) throw new UnrecoverableVendorError(status, '', { message: `${method} ${url.host}: more than ${maxRedirects} redirects` });
        const next = new URL(location, url);
        if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          payload = undefined;
          headers.delete('content-type');
        }
        // Credentials are for the origin they were configured for, never where it redirects.
        if (next.origin !== url.origin) for (const name of CROSS_ORIGIN_DROPPED) headers.delete(name);
        url = next;
        continue;
      }
      return toResponse(res, { url, redirected: hop > 0, method });
    }
  }

  function send({ url, method, headers, payload, signal }: { url: URL; method: string; headers: Headers; payload: Buffer | undefined; signal: AbortSignal }): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const out: Record<string, string> = {};
      headers.forEach((value, name) => {
        out[name] = value;
      });
      out['accept-encoding'] ??= 'gzip, deflate, br';
      out['user-agent'] ??= userAgent;
      if (payload !== undefined) out['content-length'] = String(payload.length);
      const secure = url.protocol === 'https:';
      const req = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: hostOf(url),
          port: url.port === '' ? undefined : Number(url.port),
          path: `${url.pathname}${url.search}`,
          method,
          headers: out,
          agent: secure ? agents.https : agents.http,
          signal,
        },
        resolve,
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  return {
    fetch: outboundFetch,
    agents,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function toResponse(res: http.IncomingMessage, { url, redirected, method }: { url: URL; redirected: boolean; method: string }): Response {
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 599) {
    res.resume();
    throw new UnrecoverableVendorError(status, '', { message: `${method} ${url.host}: unexpected status ${status}` });
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
    try {
      headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
    } catch {
      // A header value fetch cannot represent is dropped, as a browser would.
    }
  }
  let body: ReadableStream<Uint8Array> | null = null;
  if (method === 'HEAD' || NULL_BODY.has(status)) {
    res.resume();
  } else {
    body = Readable.toWeb(decoded(res)) as ReadableStream<Uint8Array>;
  }
  const response = new Response(body, { status, statusText: res.statusMessage ?? '', headers });
  Object.defineProperty(response, 'url', { value: url.href });
  Object.defineProperty(response, 'redirected', { value: redirected });
  return response;
}

function decoded(res: http.IncomingMessage): Readable {
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : undefined;
  if (decoder === undefined) return res;
  pipeline(res, decoder, () => undefined);
  return decoder;
}
