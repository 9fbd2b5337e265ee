import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import type { ConnectorContext } from '../sdk/index.ts';

/** The parts of an axios request config and response this module reads or makes. */
interface RequestConfig {
  method?: string;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  data?: unknown;
  validateStatus?: ((status: number) => boolean) | null;
  adapter?: unknown;
}

interface AdapterResponse {
  data: string;
  status: number;
  statusText: string;
  headers: Record<string, string>;
  config: RequestConfig;
  request: Record<string, never>;
}

interface AxiosLike {
  interceptors: { request: { use(onFulfilled: (config: RequestConfig) => RequestConfig): number } };
  getUri(config: RequestConfig): string;
  AxiosError: new (message: string, code: string, config: RequestConfig, request: unknown, response: AdapterResponse) => Error;
}

const scope = new AsyncLocalStorage<ConnectorContext>();
let axios: AxiosLike | undefined;

// node-quickbooks calls the shared axios instance it requires itself and takes neither an agent
// nor a fetch. One request interceptor on that instance swaps in an adapter over the context's
// guarded fetch for calls made inside `viaContextFetch`; calls made elsewhere pass untouched.
function install(): AxiosLike {
  if (axios !== undefined) return axios;
  const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('node-quickbooks'));
  const instance = requireFromLibrary('axios') as AxiosLike;
  instance.interceptors.request.use((config) => {
    const ctx = scope.getStore();
    if (ctx !== undefined) config.adapter = (request: RequestConfig) => send(instance, ctx, request);
    return config;
  });
  axios = instance;
  return instance;
}

async function send(instance: AxiosLike, ctx: ConnectorContext, config: RequestConfig): Promise<AdapterResponse> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers?.toJSON?.() ?? config.headers ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') headers[name.toLowerCase()] = String(value);
  }
  const { data } = config;
  if (data !== undefined && data !== null && typeof data !== 'string' && !Buffer.isBuffer(data)) {
    throw new TypeError('quickbooks: only JSON and text request bodies are supported');
  }
  const method = (config.method ?? 'get').toUpperCase();
  const res = await ctx.fetch(instance.getUri(config), { method, headers, ...(data === undefined || data === null ? {} : { body: data }), signal: ctx.signal });
  const response: AdapterResponse = {
    data: await res.text(),
    status: res.status,
    statusText: res.statusText,
    headers: Object.fromEntries(res.headers),
    config,
    request: {},
  };
  const valid = config.validateStatus ?? ((status: number) => status >= 200 && status < 300);
  if (valid(response.status)) return response;
  throw new instance.AxiosError(`Request failed with status code ${res.status}`, res.status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_BAD_RESPONSE', config, response.request, response);
}

/**
 * Runs node-quickbooks calls with their HTTP sent through the context's guarded fetch: the
 * address guard (IP literals and every redirect hop included), cancellation and timeouts apply,
 * and network failures arrive as the SDK's named errors.
 */
export function viaContextFetch<T>(ctx: ConnectorContext, run: () => Promise<T>): Promise<T> {
  install();
  return scope.run(ctx, run);
}
