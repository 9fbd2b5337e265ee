import type { CheckResult, ConnectorContext } from '../sdk/index.ts';
import { twilioAuthorization, twilioUrl } from './send-twilio-sms.ts';
import type { TwilioConfig, TwilioCredentials } from './twilio-settings.ts';
import { vendorErrorFromTwilio } from './vendor-error-from-twilio.ts';

/** Reads the Account resource: proves the SID and the credentials without sending anything. */
export async function checkTwilio(ctx: ConnectorContext<TwilioConfig, TwilioCredentials>): Promise<CheckResult> {
  const res = await ctx.fetch(twilioUrl(ctx.config, '.json'), { headers: { authorization: twilioAuthorization(ctx.config, ctx.credentials), accept: 'application/json' }, signal: ctx.signal });
  const error = await vendorErrorFromTwilio(res, 'twilio check', ctx.now());
  if (error) throw error;
  const account = (await res.json().catch(() => ({}))) as { friendly_name?: string; status?: string };
  return { ok: true, message: `account ${account.friendly_name ?? ctx.config.accountSid} is ${account.status ?? 'reachable'}` };
}
