import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { UnrecoverableVendorError, type OutboundMessage, type SentMessage } from '../sdk/index.ts';
import { emailMessageId, messageIdsIn } from './email-message-id.ts';
import type { EmailConfig, EmailCredentials } from './email-settings.ts';
import { parseAddressList } from './parse-address-list.ts';
import { guardedSmtpSocket, type SmtpAddressPolicy } from './smtp-socket.ts';
import { vendorErrorFromSmtp } from './vendor-error-from-smtp.ts';

/** A file sent with the message, held in memory: the transport never reads paths or URLs. */
export interface EmailAttachment {
  filename: string;
  content: Uint8Array | string;
  /** @default guessed from the file name */
  contentType?: string;
}

/** An outbound email: the channel-neutral message plus what only email carries. */
export interface EmailOutboundMessage extends OutboundMessage {
  attachments?: readonly EmailAttachment[];
  /**
   * Sent as `X-Hub-Probe`, so a reply forwarded by an inbound-mail provider that keeps headers,
   * or a bounce quoting them, can be tied to the probe.
   */
  probeToken?: string;
  /** Further `X-` headers. Other names are refused: they could override From, To or threading. */
  headers?: Readonly<Record<string, string>>;
  /** The earlier Message-IDs of the thread, oldest first; `inReplyTo` is appended when missing. */
  references?: readonly string[];
}

/** What the SMTP server said when it took the message. */
export interface EmailSentMessage extends SentMessage {
  /** The Message-ID (with angle brackets) the hub generated; replies carry it in In-Reply-To. */
  messageId: string;
  status: 'sent';
  accepted: string[];
  /** The server's final reply, e.g. `250 2.0.0 Ok: queued as 4ZT…`. */
  response: string;
}

/** SMTP timeouts, in milliseconds. */
export interface SmtpTimeouts {
  /** @default 15000 */
  connectMs?: number;
  /** @default 15000 */
  greetingMs?: number;
  /** Idle time allowed on an open connection. @default 60000 */
  socketMs?: number;
}

const HEADER_NAME = /^X-[A-Za-z0-9-]{1,70}$/;

function refuse(message: string): UnrecoverableVendorError {
  return new UnrecoverableVendorError(0, '', { message: `email: ${message}` });
}

function defaultSubject(text: string): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
  return first.length > 78 ? `${first.slice(0, 77)}…` : first;
}

/** Transport options for a connection; exported so `check` and `send` build the same one. */
export function smtpTransportOptions({
  config,
  credentials,
  policy,
  timeouts = {},
}: {
  config: EmailConfig;
  credentials: EmailCredentials;
  policy: SmtpAddressPolicy;
  timeouts?: SmtpTimeouts;
}): SMTPTransport.Options {
  const { connectMs = 15_000, greetingMs = 15_000, socketMs = 60_000 } = timeouts;
  return {
    host: config.host.replace(/^\[|\]$/g, ''),
    port: config.port,
    secure: config.secure,
    requireTLS: config.requireTls ?? false,
    ...(credentials.user !== undefined && credentials.pass !== undefined ? { auth: { user: credentials.user, pass: credentials.pass } } : {}),
    connectionTimeout: connectMs,
    greetingTimeout: greetingMs,
    socketTimeout: socketMs,
    // Message content comes from templates and tenants: it must never make the hub read a file or fetch a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    getSocket: guardedSmtpSocket(policy, connectMs),
  };
}

/**
 * Sends one message over SMTP with nodemailer, with a Message-ID derived from the idempotency key
 * (see `emailMessageId`). SMTP has no idempotency of its own: a retry after a lost answer sends
 * again, with the same Message-ID. Skipping a send that already happened is the caller's durable
 * processed-key. Failures throw named errors (`vendorErrorFromSmtp`).
 */
export async function sendEmail({
  config,
  credentials,
  message,
  policy,
  timeouts,
  signal,
}: {
  config: EmailConfig;
  credentials: EmailCredentials;
  message: EmailOutboundMessage;
  policy: SmtpAddressPolicy;
  timeouts?: SmtpTimeouts;
  signal?: AbortSignal;
}): Promise<EmailSentMessage> {
  const [recipient, ...others] = parseAddressList(message.to);
  if (recipient === undefined || others.length > 0) throw refuse(`"to" must be one email address, got ${JSON.stringify(message.to.slice(0, 100))}`);
  if (message.idempotencyKey === '') throw refuse('an idempotency key is required');
  const sender = parseAddressList(config.from)[0];
  if (sender === undefined) throw refuse('config.from has no address');

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!HEADER_NAME.test(name)) throw refuse(`header ${JSON.stringify(name)} is not allowed; only X- headers can be added`);
    if (/[\r\n]/.test(value)) throw refuse(`header ${name} must be one line`);
    headers[name] = value;
  }
  if (message.probeToken !== undefined) {
    if (!/^[A-Za-z0-9._~-]{1,200}$/.test(message.probeToken)) throw refuse('probeToken must be 1-200 URL-safe characters');
    headers['X-Hub-Probe'] = message.probeToken;
  }

  const inReplyTo = message.inReplyTo === undefined ? undefined : messageIdsIn(message.inReplyTo)[0];
  if (message.inReplyTo !== undefined && inReplyTo === undefined) throw refuse('inReplyTo must be a Message-ID in angle brackets');
  const references = (message.references ?? []).flatMap((ref) => messageIdsIn(ref));
  if (inReplyTo !== undefined && !references.includes(inReplyTo)) references.push(inReplyTo);

  const messageId = emailMessageId(message.idempotencyKey, config.messageIdDomain ?? sender.address.split('@')[1]!);
  const transport = nodemailer.createTransport(smtpTransportOptions({ config, credentials, policy, ...(timeouts ? { timeouts } : {}) }));
  signal?.throwIfAborted();
  const abort = () => transport.close();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const info = await transport.sendMail({
      from: config.from,
      to: recipient.address,
      ...(config.replyTo === undefined ? {} : { replyTo: config.replyTo }),
      subject: message.subject ?? defaultSubject(message.text),
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      messageId,
      ...(inReplyTo === undefined ? {} : { inReplyTo }),
      ...(references.length === 0 ? {} : { references }),
      headers,
      attachments: (message.attachments ?? []).map((a) => ({
        filename: a.filename,
        content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
        ...(a.contentType === undefined ? {} : { contentType: a.contentType }),
      })),
    });
    return { messageId, status: 'sent', accepted: info.accepted.map(String), response: info.response };
  } catch (err) {
    throw signal?.aborted ? signal.reason : vendorErrorFromSmtp(err);
  } finally {
    signal?.removeEventListener('abort', abort);
    transport.close();
  }
}
