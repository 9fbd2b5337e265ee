import { UnrecoverableVendorError, type ConnectorContext, type SentMessage } from '../sdk/index.ts';
import { buildMessageRequest, type WhatsAppOutboundMessage } from './build-message-request.ts';
import { graphUrl } from './graph-url.ts';
import { vendorErrorFromGraph } from './vendor-error-from-graph.ts';
import type { WhatsAppCloudConfig, WhatsAppCloudCredentials } from './whatsapp-cloud-settings.ts';

/** Cloud API's answer to a send. */
export interface WhatsAppSentMessage extends SentMessage {
  /** The `wamid.…` id; statuses and replies (`context.id`) name it. */
  messageId: string;
  /** Meta accepted the request; `sent`, `delivered`, `read` or `failed` come by webhook. */
  status: 'queued';
  /** The recipient's WhatsApp id, as Meta resolved the number. */
  waId?: string;
}

interface SendAnswer {
  contacts?: { input?: string; wa_id?: string }[];
  messages?: { id?: string; message_status?: string }[];
}

/**
 * Sends one message through Cloud API (`POST /{version}/{phone-number-id}/messages`) with the
 * context's guarded fetch. Cloud API takes no idempotency key: the key rides along as
 * `biz_opaque_callback_data` so statuses name it, and skipping a send that already happened is
 * the caller's durable processed-key. A 200 means accepted, not delivered: an undeliverable
 * recipient or a closed 24 h window comes back later as a `failed` status.
 */
export async function sendWhatsAppCloud(ctx: ConnectorContext<WhatsAppCloudConfig, WhatsAppCloudCredentials>, message: WhatsAppOutboundMessage): Promise<WhatsAppSentMessage> {
  const body = buildMessageRequest(message, ctx.config.defaultLanguage);
  const res = await ctx.fetch(graphUrl(ctx.config, `${ctx.config.phoneNumberId}/messages`), {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.credentials.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  const error = await vendorErrorFromGraph(res, 'whatsapp-cloud send', ctx.now());
  if (error) throw error;
  const text = await res.text();
  let answer: SendAnswer;
  try {
    answer = JSON.parse(text) as SendAnswer;
  } catch {
    throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: 'whatsapp-cloud send: the answer is not JSON' });
  }
  const id = answer.messages?.[0]?.id;
  if (typeof id !== 'string' || id === '') throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: 'whatsapp-cloud send: the answer has no message id' });
  const waId = answer.contacts?.[0]?.wa_id;
  return { messageId: id, status: 'queued', ...(waId === undefined ? {} : { waId }) };
}
