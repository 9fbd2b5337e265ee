import { normalizeAddress } from '../../core/notifications/index.ts';
import { UnrecoverableVendorError, type ConnectorContext, type OutboundMessage, type SentMessage } from '../sdk/index.ts';
import type { Msg91Config, Msg91Credentials, Msg91Template } from './msg91-settings.ts';
import { vendorErrorFromMsg91, type Msg91Answer } from './vendor-error-from-msg91.ts';

/** MSG91's answer to a send. */
export interface Msg91SentMessage extends SentMessage {
  /** MSG91's request id; delivery reports name it. */
  messageId: string;
  status: 'queued';
  /** The DLT content template the message went out under. */
  dltTemplateId: string;
}

function refuse(message: string): UnrecoverableVendorError {
  return new UnrecoverableVendorError(0, '', { message: `msg91: ${message}` });
}

/**
 * The template and its variable values: the one the message names, filled from its parameters in
 * order; or, for a message that names none, the configured text template with the whole text as
 * its one variable. Indian operators deliver only DLT-registered content, so there is no
 * free-form fallback.
 */
export function msg91Variables(config: Msg91Config, message: OutboundMessage): { template: Msg91Template; values: Record<string, string> } {
  if (message.template !== undefined) {
    const template = config.templates.find((t) => t.name === message.template!.name);
    if (template === undefined) throw refuse(`no template named ${JSON.stringify(message.template.name)}; configured: ${config.templates.map((t) => t.name).join(', ')}`);
    const { parameters } = message.template;
    if (parameters.length !== template.variables.length) {
      throw refuse(`template ${template.name} takes ${template.variables.length} parameters (${template.variables.join(', ')}), got ${parameters.length}`);
    }
    return { template, values: Object.fromEntries(template.variables.map((name, i) => [name, parameters[i]!])) };
  }
  const template = config.textTemplate === undefined ? undefined : config.templates.find((t) => t.name === config.textTemplate);
  if (template === undefined) throw refuse('the message names no template and the connection has no textTemplate; Indian SMS must use a DLT template');
  if (message.text.trim() === '') throw refuse('the text is empty');
  return { template, values: { [template.variables[0]!]: message.text } };
}

/**
 * Sends one SMS through MSG91's Flow API (`POST /api/v5/flow`, header `authkey`) with a DLT
 * template. MSG91 attaches the DLT template id and header it maps the template to. The Flow API
 * takes no idempotency key; MSG91 only discards an identical request within 10 s (code 311), so
 * skipping a send that already happened is the caller's durable processed-key.
 */
export async function sendMsg91Sms(ctx: ConnectorContext<Msg91Config, Msg91Credentials>, message: OutboundMessage): Promise<Msg91SentMessage> {
  const to = normalizeAddress('sms', message.to);
  if (to === null) throw refuse(`"to" is not a phone number: ${JSON.stringify(message.to.slice(0, 40))}`);
  if (message.idempotencyKey === '') throw refuse('an idempotency key is required');
  const { template, values } = msg91Variables(ctx.config, message);
  const body = { template_id: template.templateId, short_url: ctx.config.shortUrl ? '1' : '0', recipients: [{ mobiles: to.slice(1), ...values }] };

  const res = await ctx.fetch(`${ctx.config.baseUrl.replace(/\/+$/, '')}/api/v5/flow`, {
    method: 'POST',
    headers: { authkey: ctx.credentials.authKey, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  const text = await res.text();
  let answer: Msg91Answer | undefined;
  try {
    answer = JSON.parse(text) as Msg91Answer;
  } catch {
    answer = undefined;
  }
  const error = vendorErrorFromMsg91(res, text, answer, 'msg91 send', ctx.now());
  if (error) throw error;
  const requestId = answer?.message;
  if (typeof requestId !== 'string' || requestId === '') throw new UnrecoverableVendorError(res.status, text.slice(0, 2000), { message: 'msg91 send: the answer has no request id' });
  return { messageId: requestId, status: 'queued', dltTemplateId: template.dltTemplateId };
}
