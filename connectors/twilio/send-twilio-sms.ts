import { normalizeAddress } from '../../core/notifications/index.ts';
import { UnrecoverableVendorError, type ConnectorContext, type OutboundMessage, type SentMessage } from '../sdk/index.ts';
import type { TwilioConfig, TwilioCredentials } from './twilio-settings.ts';
import { vendorErrorFromTwilio } from './vendor-error-from-twilio.ts';

/** Twilio's answer to a send. */
export interface TwilioSentMessage extends SentMessage {
  /** The Message SID (`SM…`); status callbacks name it. */
  messageId: string;
  status: 'queued';
  /** SMS parts Twilio will bill; 0 until a Messaging Service picks a sender. */
  segments: number;
}

function refuse(message: string): UnrecoverableVendorError {
  return new UnrecoverableVendorError(0, '', { message: `twilio: ${message}` });
}

/** `Authorization: Basic …` with the API key when there is one, else the account SID and auth token. */
export function twilioAuthorization(config: Pick<TwilioConfig, 'accountSid'>, credentials: TwilioCredentials): string {
  const user = credentials.apiKeySid ?? config.accountSid;
  const pass = credentials.apiKeySecret ?? credentials.authToken;
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

/** `{baseUrl}/2010-04-01/Accounts/{AccountSid}{path}`. */
export function twilioUrl(config: Pick<TwilioConfig, 'baseUrl' | 'accountSid'>, path: string): string {
  return `${config.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${config.accountSid}${path}`;
}

/**
 * Sends one SMS with Twilio's Messages resource (form-encoded, Basic auth), asking for status
 * callbacks at the connection's webhook URL. The number is normalised to E.164 first (ten-digit
 * Indian mobiles get +91). Twilio's Messages API takes no idempotency key, so skipping a send
 * that already happened is the caller's durable processed-key. WhatsApp-style templates do not
 * apply: for Indian DLT, Twilio matches the text itself against the registered template.
 */
export async function sendTwilioSms(ctx: ConnectorContext<TwilioConfig, TwilioCredentials>, message: OutboundMessage): Promise<TwilioSentMessage> {
  const to = normalizeAddress('sms', message.to);
  if (to === null) throw refuse(`"to" is not a phone number: ${JSON.stringify(message.to.slice(0, 40))}`);
  if (message.idempotencyKey === '') throw refuse('an idempotency key is required');
  if (message.text.trim() === '') throw refuse('the text is empty');
  if (message.text.length > 1600) throw refuse('the text is longer than 1600 characters, the most Twilio concatenates');
  const form = new URLSearchParams({ To: to, Body: message.text });
  if (ctx.config.messagingServiceSid !== undefined) form.set('MessagingServiceSid', ctx.config.messagingServiceSid);
  else form.set('From', ctx.config.from!);
  if (ctx.config.statusCallbackUrl !== undefined) form.set('StatusCallback', ctx.config.statusCallbackUrl);

  const res = await ctx.fetch(twilioUrl(ctx.config, '/Messages.json'), {
    method: 'POST',
    headers: { authorization: twilioAuthorization(ctx.config, ctx.credentials), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
    signal: ctx.signal,
  });
  const error = await vendorErrorFromTwilio(res, 'twilio send', ctx.now());
  if (error) throw error;
  const text = await res.text();
  let answer: { sid?: unknown; num_segments?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: 'twilio send: the answer is not JSON' });
  }
  if (typeof answer.sid !== 'string' || answer.sid === '') throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: 'twilio send: the answer has no sid' });
  return { messageId: answer.sid, status: 'queued', segments: Number(answer.num_segments ?? 0) || 0 };
}
