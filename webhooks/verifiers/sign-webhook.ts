import { hmac, sha256 } from './digest.ts';
import { twilioSignedString } from './verify-twilio.ts';
import { standardWebhooksKey } from './verify-standard-webhooks.ts';

/** A request body as the sender will put it on the wire. */
export type WebhookBody = string | Uint8Array;

/** Headers to add to a signed request, keyed by lower-case name. */
export type SignedHeaders = Record<string, string>;

function seconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** Standard Webhooks headers for `body`; the secret is `whsec_<base64>` (or bare base64). */
export function signStandardWebhook(input: { secret: string; id: string; timestamp: Date; body: WebhookBody }): SignedHeaders {
  const key = standardWebhooksKey(input.secret);
  if (key === undefined) throw new TypeError('a Standard Webhooks secret is base64, optionally prefixed with whsec_');
  const timestamp = String(seconds(input.timestamp));
  const signature = hmac('sha256', key, `${input.id}.${timestamp}.`, input.body).toString('base64');
  return { 'webhook-id': input.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

/** GitHub headers: `x-hub-signature-256` (or `signatureHeader`) and, when given, `x-github-delivery`. */
export function signGithub(input: {
  secret: string;
  body: WebhookBody;
  deliveryId?: string;
  signatureHeader?: string;
  signaturePrefix?: string;
}): SignedHeaders {
  const header = (input.signatureHeader ?? 'x-hub-signature-256').toLowerCase();
  const headers: SignedHeaders = {
    [header]: (input.signaturePrefix ?? 'sha256=') + hmac('sha256', input.secret, input.body).toString('hex'),
  };
  if (input.deliveryId !== undefined) headers['x-github-delivery'] = input.deliveryId;
  return headers;
}

/** Jira headers: `x-hub-signature: sha256=<hex>` and, when given, `x-atlassian-webhook-identifier`. */
export function signJira(input: { secret: string; body: WebhookBody; identifier?: string }): SignedHeaders {
  const headers: SignedHeaders = { 'x-hub-signature': `sha256=${hmac('sha256', input.secret, input.body).toString('hex')}` };
  if (input.identifier !== undefined) headers['x-atlassian-webhook-identifier'] = input.identifier;
  return headers;
}

/** WhatsApp Cloud API header: `x-hub-signature-256: sha256=<hex>` keyed with the app secret. */
export function signMeta(input: { appSecret: string; body: WebhookBody }): SignedHeaders {
  return { 'x-hub-signature-256': `sha256=${hmac('sha256', input.appSecret, input.body).toString('hex')}` };
}

/** QuickBooks header: `intuit-signature`, keyed with the webhook verifier token. */
export function signIntuit(input: { verifierToken: string; body: WebhookBody }): SignedHeaders {
  return { 'intuit-signature': hmac('sha256', input.verifierToken, input.body).toString('base64') };
}

/**
 * Twilio header for a request to `url`. Pass the form parameters of an
 * `application/x-www-form-urlencoded` POST; for a JSON body, sign `twilioBodyHashUrl(url, body)` with no params.
 */
export function signTwilio(input: { authToken: string; url: string; params?: URLSearchParams | Record<string, string> }): SignedHeaders {
  const params = input.params instanceof URLSearchParams ? input.params : new URLSearchParams(input.params ?? {});
  return { 'x-twilio-signature': hmac('sha1', input.authToken, twilioSignedString(input.url, params)).toString('base64') };
}

/** The URL Twilio calls for a JSON body: the configured URL with `bodySHA256=<hex>` appended. */
export function twilioBodyHashUrl(url: string, body: WebhookBody): string {
  const separator = url.includes('?') ? '&' : '?';
  return `${url}${separator}bodySHA256=${sha256(body).toString('hex')}`;
}

/** Razorpay headers: `x-razorpay-signature` and, when given, `x-razorpay-event-id`. */
export function signRazorpay(input: { secret: string; body: WebhookBody; eventId?: string }): SignedHeaders {
  const headers: SignedHeaders = { 'x-razorpay-signature': hmac('sha256', input.secret, input.body).toString('hex') };
  if (input.eventId !== undefined) headers['x-razorpay-event-id'] = input.eventId;
  return headers;
}

/** Stripe header `stripe-signature: t=…,v1=…`, one `v1` per secret, as Stripe sends during a rotation. */
export function signStripe(input: { secret: string | readonly string[]; timestamp: Date; body: WebhookBody }): SignedHeaders {
  const t = String(seconds(input.timestamp));
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  const v1 = secrets.map((secret) => `v1=${hmac('sha256', secret, `${t}.`, input.body).toString('hex')}`);
  return { 'stripe-signature': [`t=${t}`, ...v1].join(',') };
}

/** Zoho Payments header `x-zoho-webhook-signature: t=<ms>,v=<hex>`. */
export function signZohoPayments(input: { secret: string; timestamp: Date; body: WebhookBody }): SignedHeaders {
  const t = String(input.timestamp.getTime());
  return { 'x-zoho-webhook-signature': `t=${t},v=${hmac('sha256', input.secret, `${t}.`, input.body).toString('hex')}` };
}
