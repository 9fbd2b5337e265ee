import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { countSmsSegments } from '../../../core/notifications/index.ts';
import { signTwilio } from '../../../webhooks/verifiers/index.ts';

/** A Twilio REST error answer. */
export interface TwilioFault {
  status: number;
  code: number;
  message: string;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

/** Errors Twilio answers with, by cause. */
export const TWILIO_FAULTS = {
  tooManyRequests: { status: 429, code: 20429, message: 'Too Many Requests', retryAfter: 2 },
  serviceUnavailable: { status: 503, code: 20503, message: 'Service Unavailable' },
  internalError: { status: 500, code: 20500, message: 'Internal Server Error' },
  queueOverflow: { status: 400, code: 30001, message: 'Queue overflow' },
} as const satisfies Record<string, TwilioFault>;

/** Message states as the Message resource reports them. */
export type TwilioMessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'read' | 'canceled';

/** A Message resource as the fake keeps it. */
export interface TwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  status: TwilioMessageStatus;
  statusCallback: string | undefined;
  errorCode: number | null;
  createdAt: Date;
  /** Every form parameter posted, as sent. */
  params: Record<string, string>;
  authorization: string | undefined;
}

/** A webhook the fake posted (status callback or inbound message). */
export interface TwilioWebhookDelivery {
  url: string;
  params: Record<string, string>;
  headers: Record<string, string>;
  status: number;
}

export interface TwilioFakeOptions {
  /** @default 'AC' + 32 hex digits, fixed */
  accountSid?: string;
  /** @default 'fake-twilio-auth-token' */
  authToken?: string;
  /** API keys (`SK…`) that may authenticate instead of the account SID and auth token. */
  apiKeys?: { sid: string; secret: string }[];
  /** Senders the account owns (E.164 numbers or alphanumeric sender ids). @default ['+14155550100', 'MSTONE'] */
  senders?: string[];
  /** Messaging Service SIDs the account owns. @default none */
  messagingServices?: string[];
  /** Numbers that replied STOP: sends to them fail with 21610. */
  optedOut?: string[];
  /** @default () => new Date() */
  now?: () => Date;
}

export interface TwilioFake {
  /** API base URL, e.g. `http://127.0.0.1:40123` (stands for https://api.twilio.com). */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly messages: readonly TwilioMessage[];
  readonly deliveries: readonly TwilioWebhookDelivery[];
  /** The next API call answers with this error (`TWILIO_FAULTS` has the common ones). */
  failNext(fault: TwilioFault): void;
  /**
   * Moves a message to a new status and, when it was sent with a StatusCallback, posts the
   * callback signed with the auth token, as Twilio does for each status change.
   */
  advance(sid: string, status: TwilioMessageStatus, options?: { errorCode?: number }): Promise<TwilioWebhookDelivery | undefined>;
  /** Someone texts one of the account's numbers: posts the incoming-message webhook to `url`. */
  simulateInbound(input: { url: string; from: string; to: string; body: string }): Promise<{ messageSid: string; delivery: TwilioWebhookDelivery }>;
  close(): Promise<void>;
}

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

// Twilio writes dates in RFC 2822, GMT.
const rfc2822 = (at: Date) => at.toUTCString().replace('GMT', '+0000');

/**
 * Starts a local Twilio Programmable Messaging API on 127.0.0.1: the 2010-04-01 Messages and
 * Account resources with Basic auth, Twilio's validation errors (21211, 21602, 21603, 21606,
 * 21610, 21617), signed status callbacks and signed incoming-message webhooks.
 */
export async function startTwilioFake(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
  const accountSid = options.accountSid ?? 'AC0123456789abcdef0123456789abcdef';
  const authToken = options.authToken ?? 'fake-twilio-auth-token';
  const apiKeys = options.apiKeys ?? [];
  const senders = new Set(options.senders ?? ['+14155550100', 'MSTONE']);
  const services = new Set(options.messagingServices ?? []);
  const optedOut = new Set(options.optedOut ?? []);
  const now = options.now ?? (() => new Date());
  const messages: TwilioMessage[] = [];
  const deliveries: TwilioWebhookDelivery[] = [];
  const faults: TwilioFault[] = [];
  let base = '';

  const error = (c: Context, fault: TwilioFault) => {
    if (fault.retryAfter !== undefined) c.header('retry-after', String(fault.retryAfter));
    return c.json({ code: fault.code, message: fault.message, more_info: `https://www.twilio.com/docs/errors/${fault.code}`, status: fault.status }, fault.status as 400);
  };

  const resource = (m: TwilioMessage) => ({
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.createdAt),
    date_sent: m.status === 'queued' || m.status === 'accepted' ? null : rfc2822(m.createdAt),
    date_updated: rfc2822(now()),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: m.messagingServiceSid ? '0' : String(countSmsSegments(m.body).segments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  });

  const postSigned = async (url: string, params: Record<string, string>): Promise<TwilioWebhookDelivery> => {
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'TwilioProxy/1.1',
      'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
      ...signTwilio({ authToken, url, params }),
    };
    const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
    await res.arrayBuffer();
    const delivery = { url, params, headers, status: res.status };
    deliveries.push(delivery);
    return delivery;
  };

  const app = new Hono();
  app.use('/2010-04-01/*', async (c, next) => {
    const fault = faults.shift();
    if (fault !== undefined) return error(c, fault);
    const header = c.req.header('authorization') ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const [user, pass] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const ok = (user === accountSid && pass === authToken) || apiKeys.some((k) => k.sid === user && k.secret === pass);
    if (!ok) return error(c, { status: 401, code: 20003, message: 'Authenticate' });
    const account = /^\/2010-04-01\/Accounts\/([^/.]+)/.exec(c.req.path)?.[1];
    if (account !== accountSid) return error(c, { status: 404, code: 20404, message: `The requested resource ${c.req.path} was not found` });
    await next();
  });

  app.get('/2010-04-01/Accounts/:account{[^/]+\\.json}', (c) =>
    c.json({ sid: accountSid, friendly_name: 'Acme Projects', status: 'active', type: 'Full', date_created: rfc2822(new Date('2024-01-15T00:00:00Z')) }),
  );

  app.post('/2010-04-01/Accounts/:account/Messages.json', async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return error(c, { status: 400, code: 20001, message: 'Unsupported content type: the Messages resource takes form parameters' });
    }
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()));
    const to = params['To'] ?? '';
    const from = params['From'];
    const service = params['MessagingServiceSid'];
    const body = params['Body'] ?? '';
    if (to === '') return error(c, { status: 400, code: 21604, message: "A 'To' phone number is required." });
    if (!/^\+[1-9]\d{7,14}$/.test(to)) return error(c, { status: 400, code: 21211, message: `Invalid 'To' Phone Number: ${to}` });
    if (from === undefined && service === undefined) return error(c, { status: 400, code: 21603, message: "A 'From' phone number is required." });
    if (service !== undefined && !services.has(service)) return error(c, { status: 400, code: 21701, message: `The Messaging Service Sid ${service} is invalid.` });
    if (from !== undefined && !senders.has(from)) {
      return error(c, { status: 400, code: 21606, message: `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.` });
    }
    if (body === '') return error(c, { status: 400, code: 21602, message: 'Message body is required.' });
    if (body.length > 1600) return error(c, { status: 400, code: 21617, message: 'The concatenated message body exceeds the 1600 character limit.' });
    if (optedOut.has(to)) return error(c, { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const message: TwilioMessage = {
      sid: sid('SM'),
      to,
      from: from ?? null,
      messagingServiceSid: service ?? null,
      body,
      status: service === undefined ? 'queued' : 'accepted',
      statusCallback: params['StatusCallback'],
      errorCode: null,
      createdAt: now(),
      params,
      authorization: c.req.header('authorization'),
    };
    messages.push(message);
    return c.json(resource(message), 201);
  });

  app.get('/2010-04-01/Accounts/:account/Messages/:file', (c) => {
    const message = messages.find((m) => `${m.sid}.json` === c.req.param('file'));
    return message ? c.json(resource(message)) : error(c, { status: 404, code: 20404, message: `The requested resource ${c.req.path} was not found` });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    accountSid,
    authToken,
    messages,
    deliveries,
    failNext: (fault) => faults.push(fault),
    advance: async (messageSid, status, { errorCode } = {}) => {
      const message = messages.find((m) => m.sid === messageSid);
      if (message === undefined) throw new Error(`Twilio fake: no message ${messageSid}`);
      message.status = status;
      message.errorCode = errorCode ?? null;
      if (message.statusCallback === undefined) return undefined;
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        ...(message.from === null ? {} : { From: message.from }),
        ...(message.messagingServiceSid === null ? {} : { MessagingServiceSid: message.messagingServiceSid }),
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
        ...(errorCode === undefined ? {} : { ErrorCode: String(errorCode) }),
      };
      return postSigned(message.statusCallback, params);
    },
    simulateInbound: async ({ url, from, to, body }) => {
      const messageSid = sid('SM');
      const params = {
        ToCountry: 'IN',
        ToState: '',
        SmsMessageSid: messageSid,
        NumMedia: '0',
        ToCity: '',
        FromZip: '',
        SmsSid: messageSid,
        FromState: '',
        SmsStatus: 'received',
        FromCity: '',
        Body: body,
        FromCountry: 'IN',
        To: to,
        ToZip: '',
        NumSegments: String(countSmsSegments(body).segments),
        MessageSid: messageSid,
        AccountSid: accountSid,
        From: from,
        ApiVersion: '2010-04-01',
      };
      return { messageSid, delivery: await postSigned(url, params) };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
