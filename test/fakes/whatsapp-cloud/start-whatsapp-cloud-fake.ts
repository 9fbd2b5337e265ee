import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { signMeta } from '../../../webhooks/verifiers/index.ts';
import { GRAPH_FAULTS, graphErrorBody, type GraphFault } from './graph-error.ts';
import { inboundMessagePayload, newWamid, statusPayload, type BusinessNumber, type InboundContent, type StatusError } from './webhook-payloads.ts';

/** An approved message template the fake knows. */
export interface FakeTemplate {
  name: string;
  /** Language code, e.g. `en`, `en_US`, `hi`. */
  language: string;
  /** Number of `{{n}}` variables in the body. */
  bodyParameters: number;
}

/** One message the fake accepted. */
export interface SentWhatsAppMessage {
  id: string;
  /** Digits, as given (a leading `+` removed). */
  to: string;
  type: string;
  /** The JSON body as posted. */
  body: Record<string, unknown>;
  authorization: string | undefined;
  at: Date;
}

/** One webhook the fake posted. */
export interface WhatsAppWebhookDelivery {
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  responseBody: string;
}

export interface WhatsAppCloudFakeOptions {
  /** @default 'fake-access-token' */
  accessToken?: string;
  /** Signs webhooks (`X-Hub-Signature-256`). @default 'fake-app-secret' */
  appSecret?: string;
  /** @default { businessAccountId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '919000000001' } */
  business?: BusinessNumber;
  /** @default a status-probe template in en and hi, with 2 body parameters */
  templates?: FakeTemplate[];
  /** Where Meta would post webhooks; settable later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** Numbers (digits) that are not on WhatsApp: sends are accepted, then fail with 131026 by webhook. */
  notOnWhatsApp?: string[];
  /** @default () => new Date() */
  now?: () => Date;
}

export interface WhatsAppCloudFake {
  /** Graph API base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly business: BusinessNumber;
  readonly accessToken: string;
  readonly appSecret: string;
  readonly sent: readonly SentWhatsAppMessage[];
  readonly deliveries: readonly WhatsAppWebhookDelivery[];
  setWebhookUrl(url: string): void;
  /** The next call answers with this Graph error (`GRAPH_FAULTS` has the common ones). */
  failNext(fault: GraphFault): void;
  /** Replaces the valid token, so the old one answers 190. */
  rotateToken(next: string): void;
  /** A person writes to the business; opens the 24 h window for free-form text. Posts the webhook. */
  simulateInbound(input: { from: string; content: InboundContent; replyTo?: string; name?: string }): Promise<{ messageId: string; delivery: WhatsAppWebhookDelivery }>;
  /** Meta reports a status of a sent message. Posts the webhook. */
  simulateStatus(input: { messageId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; error?: StatusError }): Promise<WhatsAppWebhookDelivery>;
  /** Waits for webhooks the fake posts on its own (failures after an accepted send). */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TEMPLATES: FakeTemplate[] = [
  { name: 'milestone_status_probe', language: 'en', bodyParameters: 2 },
  { name: 'milestone_status_probe', language: 'hi', bodyParameters: 2 },
];
const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Starts a local WhatsApp Cloud API (Graph API) on 127.0.0.1: `POST /{version}/{phone-number-id}/messages`
 * and `GET /{version}/{phone-number-id}`, with Meta's answer and error shapes, the 24 h customer
 * service window, template checks, and signed webhooks for inbound messages and statuses.
 */
export async function startWhatsAppCloudFake(options: WhatsAppCloudFakeOptions = {}): Promise<WhatsAppCloudFake> {
  let accessToken = options.accessToken ?? 'fake-access-token';
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const business = options.business ?? { businessAccountId: '102290129340398', phoneNumberId: '106540352242922', displayPhoneNumber: '919000000001' };
  const templates = options.templates ?? DEFAULT_TEMPLATES;
  const now = options.now ?? (() => new Date());
  const notOnWhatsApp = new Set(options.notOnWhatsApp ?? []);
  let webhookUrl = options.webhookUrl;
  const sent: SentWhatsAppMessage[] = [];
  const deliveries: WhatsAppWebhookDelivery[] = [];
  const faults: GraphFault[] = [];
  const lastInbound = new Map<string, number>();
  const pending = new Set<Promise<unknown>>();

  const post = async (payload: Record<string, unknown>): Promise<WhatsAppWebhookDelivery> => {
    if (webhookUrl === undefined) throw new Error('WhatsApp Cloud fake: no webhook URL; pass webhookUrl or call setWebhookUrl');
    const body = JSON.stringify(payload);
    const headers = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', ...signMeta({ appSecret, body }) };
    const res = await fetch(webhookUrl, { method: 'POST', headers, body });
    const delivery = { url: webhookUrl, headers, body, status: res.status, responseBody: await res.text() };
    deliveries.push(delivery);
    return delivery;
  };
  const postLater = (payload: Record<string, unknown>) => {
    if (webhookUrl === undefined) return;
    const p = post(payload).catch(() => undefined);
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const fail = (c: Context, fault: GraphFault) => c.json(graphErrorBody(fault), fault.status as 400);
  const invalidParameter = (c: Context, details: string) => fail(c, { status: 400, code: 100, message: '(#100) Invalid parameter', details });
  const authorised = (c: Context) => c.req.header('authorization') === `Bearer ${accessToken}`;
  const unknownObject = (c: Context, id: string) =>
    fail(c, {
      status: 400,
      code: 100,
      subcode: 33,
      type: 'GraphMethodException',
      message: `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    });

  const app = new Hono();
  app.use('*', async (c, next) => {
    const fault = faults.shift();
    if (fault !== undefined) return fail(c, fault);
    if (!authorised(c)) {
      return c.req.header('authorization') === undefined
        ? fail(c, { status: 401, code: 190, message: 'An active access token must be used to query information about the current user.' })
        : fail(c, { status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    }
    await next();
  });

  app.get('/:version/:id', (c) => {
    if (!/^v\d+\.\d+$/.test(c.req.param('version'))) return fail(c, { status: 400, code: 2635, message: `(#2635) You are calling a deprecated version of the Graph API.` });
    if (c.req.param('id') !== business.phoneNumberId) return unknownObject(c, c.req.param('id'));
    return c.json({ verified_name: 'Acme Projects', code_verification_status: 'VERIFIED', display_phone_number: `+${business.displayPhoneNumber}`, quality_rating: 'GREEN', platform_type: 'CLOUD_API', throughput: { level: 'STANDARD' }, id: business.phoneNumberId });
  });

  app.post('/:version/:id/messages', async (c) => {
    if (!/^v\d+\.\d+$/.test(c.req.param('version'))) return fail(c, { status: 400, code: 2635, message: `(#2635) You are calling a deprecated version of the Graph API.` });
    if (c.req.param('id') !== business.phoneNumberId) return unknownObject(c, c.req.param('id'));
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return invalidParameter(c, 'The request body is not valid JSON');
    }
    if (body['messaging_product'] !== 'whatsapp') return fail(c, { status: 400, code: 100, message: '(#100) The parameter messaging_product is required.' });
    const to = typeof body['to'] === 'string' ? body['to'].replace(/^\+/, '') : '';
    if (!/^\d{8,15}$/.test(to)) return invalidParameter(c, `Invalid "to" ${JSON.stringify(body['to'])}: a phone number with country code is expected`);
    const type = typeof body['type'] === 'string' ? body['type'] : 'text';

    if (type === 'text') {
      const text = body['text'] as { body?: unknown } | undefined;
      if (typeof text?.body !== 'string' || text.body === '') return fail(c, { status: 400, code: 100, message: '(#100) The parameter text[body] is required.' });
      if (text.body.length > 4096) return invalidParameter(c, 'text.body is longer than 4096 characters');
    } else if (type === 'template') {
      const template = body['template'] as { name?: unknown; language?: { code?: unknown }; components?: { type?: string; parameters?: unknown[] }[] } | undefined;
      const known = templates.find((t) => t.name === template?.name && t.language === template?.language?.code);
      if (known === undefined) {
        return fail(c, { status: 404, code: 132001, message: '(#132001) Template name does not exist in the translation', details: `template name (${String(template?.name)}) does not exist in ${String(template?.language?.code)}` });
      }
      const given = (template?.components ?? []).filter((comp) => comp.type === 'body').flatMap((comp) => comp.parameters ?? []).length;
      if (given !== known.bodyParameters) {
        return fail(c, { status: 400, code: 132000, message: '(#132000) Number of parameters does not match the expected number of params', details: `body: number of localizable_params (${given}) does not match the expected number of params (${known.bodyParameters})` });
      }
    } else if (type === 'interactive') {
      const interactive = body['interactive'] as { type?: string; action?: { buttons?: unknown[] } } | undefined;
      if (interactive?.type !== 'button' || !Array.isArray(interactive.action?.buttons) || interactive.action.buttons.length > 3) {
        return invalidParameter(c, 'interactive: only button messages with 1-3 buttons are emulated');
      }
    } else {
      return fail(c, { status: 400, code: 131051, message: '(#131051) Unsupported message type', details: `Message type ${type} is not supported by the fake` });
    }

    const id = newWamid();
    const at = now();
    sent.push({ id, to, type, body, authorization: c.req.header('authorization'), at });
    const bizOpaqueCallbackData = typeof body['biz_opaque_callback_data'] === 'string' ? body['biz_opaque_callback_data'] : undefined;
    const failWith = (error: StatusError) => postLater(statusPayload(business, { messageId: id, recipient: to, status: 'failed', at, error, ...(bizOpaqueCallbackData ? { bizOpaqueCallbackData } : {}) }));
    if (notOnWhatsApp.has(to)) failWith({ code: 131026, title: 'Message undeliverable', details: 'Message Undeliverable.' });
    else if (type !== 'template' && at.getTime() - (lastInbound.get(to) ?? -Infinity) > WINDOW_MS) {
      // Meta takes the request, then reports the failure by webhook: free-form messages need an open window.
      failWith({ code: 131047, title: 'Re-engagement message', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' });
    }
    return c.json({ messaging_product: 'whatsapp', contacts: [{ input: String(body['to']), wa_id: to }], messages: [{ id, ...(type === 'template' ? { message_status: 'accepted' } : {}) }] });
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    business,
    get accessToken() {
      return accessToken;
    },
    appSecret,
    sent,
    deliveries,
    setWebhookUrl: (next) => {
      webhookUrl = next;
    },
    failNext: (fault) => faults.push(fault),
    rotateToken: (next) => {
      accessToken = next;
    },
    simulateInbound: async (input) => {
      const from = input.from.replace(/^\+/, '');
      lastInbound.set(from, now().getTime());
      const { payload, messageId } = inboundMessagePayload(business, { ...input, from, at: now() });
      return { messageId, delivery: await post(payload) };
    },
    simulateStatus: async (input) => {
      const message = sent.find((m) => m.id === input.messageId);
      if (message === undefined) throw new Error(`WhatsApp Cloud fake: no sent message ${input.messageId}`);
      const data = message.body['biz_opaque_callback_data'];
      return post(statusPayload(business, { ...input, recipient: message.to, at: now(), ...(typeof data === 'string' ? { bizOpaqueCallbackData: data } : {}) }));
    },
    flushWebhooks: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: async () => {
      await Promise.all([...pending]);
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}

export { GRAPH_FAULTS };
