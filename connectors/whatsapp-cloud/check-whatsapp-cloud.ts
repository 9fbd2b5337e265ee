import { UnrecoverableVendorError, type CheckResult, type ConnectorContext } from '../sdk/index.ts';
import { graphUrl } from './graph-url.ts';
import { vendorErrorFromGraph } from './vendor-error-from-graph.ts';
import type { WhatsAppCloudConfig, WhatsAppCloudCredentials } from './whatsapp-cloud-settings.ts';

/** Reads the business phone number with the token: proves the token, the version and the number id. */
export async function checkWhatsAppCloud(ctx: ConnectorContext<WhatsAppCloudConfig, WhatsAppCloudCredentials>): Promise<CheckResult> {
  const url = `${graphUrl(ctx.config, ctx.config.phoneNumberId)}?fields=display_phone_number,verified_name,quality_rating`;
  const res = await ctx.fetch(url, { headers: { authorization: `Bearer ${ctx.credentials.accessToken}`, accept: 'application/json' }, signal: ctx.signal });
  const error = await vendorErrorFromGraph(res, 'whatsapp-cloud check', ctx.now());
  if (error) throw error;
  const text = await res.text();
  let number: { display_phone_number?: string; verified_name?: string; quality_rating?: string };
  try {
    number = JSON.parse(text) as typeof number;
  } catch {
    throw new UnrecoverableVendorError(res.status, text.slice(0, 500), { message: 'whatsapp-cloud check: the answer is not JSON' });
  }
  const quality = number.quality_rating ? `, quality ${number.quality_rating}` : '';
  return { ok: true, message: `sends as ${number.verified_name ?? 'the business'} (${number.display_phone_number ?? ctx.config.phoneNumberId}${quality})` };
}
