import QuickBooksModule from 'node-quickbooks';
import { VendorError, type ConnectorContext } from '../sdk/index.ts';
import { intuitError, intuitFaultOf, isAuthenticationFault } from './intuit-fault.ts';
import { viaContextFetch } from './quickbooks-http.ts';
import type { QuickBooksConfig, QuickBooksCredentials } from './quickbooks-settings.ts';
import { refreshAccessToken } from './refresh-intuit-token.ts';

// CommonJS at run time (`module.exports = QuickBooks`); its typings say `export default`, so under
// NodeNext the default import is typed as the module namespace.
const QuickBooks = QuickBooksModule as unknown as typeof QuickBooksModule.default;

/** A node-quickbooks client. */
export type QuickBooksClient = InstanceType<typeof QuickBooks>;
type QuickBooksContext = ConnectorContext<QuickBooksConfig, QuickBooksCredentials>;
type Callback = (err: unknown, data?: unknown) => void;

// A token this close to expiry is replaced before use, so it cannot lapse in flight.
const EXPIRY_MARGIN_MS = 60_000;

function clientFor(ctx: QuickBooksContext, accessToken: string): QuickBooksClient {
  const { config, credentials } = ctx;
  // OAuth 2.0 is the ninth argument; setOauthVersion would fetch Intuit's discovery document.
  const client = new QuickBooks(credentials.clientId, credentials.clientSecret, accessToken, false, config.realmId, false, false, String(config.minorVersion), '2.0', credentials.refreshToken);
  // Per instance: the static V3_ENDPOINT_BASE_URL is shared by every connection in the process.
  client.endpoint = `${config.baseUrl.replace(/\/+$/, '')}/v3/company/`;
  return client;
}

async function usableAccessToken(ctx: QuickBooksContext): Promise<string> {
  const { accessToken, accessTokenExpiresAt } = ctx.credentials;
  const fresh = accessToken !== undefined && (accessTokenExpiresAt === undefined || Date.parse(accessTokenExpiresAt) - EXPIRY_MARGIN_MS > ctx.now().getTime());
  return fresh ? accessToken : refreshAccessToken(ctx, accessToken);
}

/**
 * One node-quickbooks call with the connection's token, its HTTP through the context's guarded
 * fetch. An answer of 401 (Intuit's 3200) refreshes the token once and repeats the call;
 * failures become the SDK's named errors.
 * @example const invoice = await callQuickBooks<Invoice>(ctx, 'get Invoice', (qbo, done) => qbo.getInvoice(id, done));
 */
export async function callQuickBooks<T>(ctx: QuickBooksContext, what: string, invoke: (client: QuickBooksClient, done: Callback) => void): Promise<T> {
  let token = await usableAccessToken(ctx);
  for (let attempt = 0; ; attempt += 1) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const client = clientFor(ctx, token);
    try {
      return await viaContextFetch(ctx, () => new Promise<T>((resolve, reject) => invoke(client, (err, data) => (err ? reject(err) : resolve(data as T)))));
    } catch (err) {
      if (err instanceof VendorError) throw err;
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const fault = intuitFaultOf(err);
      // Anything else is node-quickbooks refusing its input: a bug here.
      if (fault === undefined) throw err;
      if (attempt === 0 && isAuthenticationFault(fault)) {
        token = await refreshAccessToken(ctx, token);
        continue;
      }
      throw intuitError(fault, { now: ctx.now(), what });
    }
  }
}
