import { AuthExpiredError, UnrecoverableVendorError, vendorErrorFromResponse, type CheckResult, type ConnectorContext } from '../sdk/index.ts';
import type { Msg91Config, Msg91Credentials } from './msg91-settings.ts';

/**
 * Reads the transactional balance (`GET /api/balance.php?authkey=…&type=4`), which proves the auth
 * key (and that the hub's IP is whitelisted) without sending. MSG91's balance API takes the key
 * in the query; it answers the number of SMS credits, or words when it refuses.
 */
export async function checkMsg91(ctx: ConnectorContext<Msg91Config, Msg91Credentials>): Promise<CheckResult> {
  const url = new URL('/api/balance.php', ctx.config.baseUrl);
  url.searchParams.set('authkey', ctx.credentials.authKey);
  url.searchParams.set('type', '4');
  const res = await ctx.fetch(url, { signal: ctx.signal });
  const text = (await res.clone().text()).trim();
  if (res.status === 401 || (res.ok && !/^\d+(\.\d+)?$/.test(text))) throw new AuthExpiredError(`msg91 check: ${text.slice(0, 200) || 'the auth key was refused'}`, { status: res.status });
  if (res.status === 418) throw new UnrecoverableVendorError(403, text.slice(0, 500), { message: "msg91 check: the hub's IP is not whitelisted for this auth key" });
  const error = await vendorErrorFromResponse(res, { what: 'msg91 check', now: ctx.now() });
  if (error) throw error;
  return { ok: true, message: `transactional balance ${text} SMS; sender ${ctx.config.senderId}` };
}
