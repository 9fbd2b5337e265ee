import type { OutboundMessage } from '../../connectors/index.ts';
import type { NotificationDoc, RenderedMessage } from '../../core/notifications/index.ts';

const MESSAGE_ID = /^<[^<>\s]+@[^<>\s]+>$/;
const PROBE_TOKEN = /^[A-Za-z0-9._~-]{1,200}$/;

/**
 * The connector message for one attempt. Email carries attachments, threading and the probe
 * token header; WhatsApp Cloud sends the approved template when the tenant set one and the
 * message starts a conversation (answers inside the 24-hour window go as text); WhatsApp Web
 * and SMS send the text.
 */
export function buildOutboundMessage(args: {
  doc: Pick<NotificationDoc, 'inReplyTo' | 'attachments' | 'probeId'>;
  rendered: RenderedMessage;
  connector: string;
  to: string;
  idempotencyKey: string;
}): OutboundMessage & Record<string, unknown> {
  const { doc, rendered, connector, to, idempotencyKey } = args;
  const base = { to, idempotencyKey, text: rendered.text };
  if (rendered.channel === 'email') {
    const inReplyTo = doc.inReplyTo !== undefined && MESSAGE_ID.test(doc.inReplyTo) ? doc.inReplyTo : undefined;
    return {
      ...base,
      subject: rendered.subject,
      html: rendered.html,
      ...(inReplyTo !== undefined ? { inReplyTo } : {}),
      ...(doc.probeId !== undefined && PROBE_TOKEN.test(doc.probeId) ? { probeToken: doc.probeId } : {}),
      ...(doc.attachments?.length
        ? { attachments: doc.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.contentBase64, 'base64') })) }
        : {}),
    };
  }
  if (rendered.channel === 'whatsapp') {
    const reply = doc.inReplyTo !== undefined && !MESSAGE_ID.test(doc.inReplyTo) ? doc.inReplyTo : undefined;
    if (connector === 'whatsapp-cloud' && rendered.template !== undefined && reply === undefined) {
      const parameters = rendered.template.components.filter((c) => c.type === 'body').flatMap((c) => c.parameters.map((p) => p.text));
      return { ...base, template: { name: rendered.template.name, language: rendered.template.language.code, parameters } };
    }
    return { ...base, ...(reply !== undefined ? { inReplyTo: reply } : {}) };
  }
  return base;
}
