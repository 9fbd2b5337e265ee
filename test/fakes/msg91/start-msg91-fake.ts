import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';

/** An SMS template approved on the DLT portal and added to MSG91. */
export interface Msg91Template {
  /** MSG91's template id (what the Flow API takes as `template_id`). */
  templateId: string;
  /** The 19-digit DLT content template id (TE id) the operator knows it by. */
  dltTemplateId: string;
  /** The 6-character DLT header (sender id) it is registered under. */
  senderId: string;
  /** The text with `##VAR##` placeholders, e.g. `Status of ##VAR1##? Reply 1/2/3 -ACME`. */
  text: string;
}

/** One SMS the fake accepted, rendered as the handset would show it. */
export interface Msg91Sms {
  requestId: string;
  templateId: string;
  senderId: string;
  /** As posted: country code and number, no `+`. */
  mobile: string;
  text: string;
}

/** One Flow API request the fake accepted. */
export interface Msg91Request {
  requestId: string;
  body: Record<string, unknown>;
  authkey: string | undefined;
  at: Date;
}

/** An MSG91 error answer. */
export interface Msg91Fault {
  status: number;
  message: string;
  code?: string;
}

/** Delivery report codes MSG91 uses. */
export const MSG91_REPORT = {
  delivered: { status: '1', desc: 'DELIVERED' },
  failed: { status: '2', desc: 'FAILED' },
  submitted: { status: '8', desc: 'SUBMITTED' },
  ndnc: { status: '9', desc: 'NDNC' },
  rejected: { status: '16', desc: 'REJECTED' },
  blocked: { status: '17', desc: 'BLOCKED' },
} as const;

export interface Msg91FakeOptions {
  /** @default 'fake-msg91-authkey' */
  authKey?: string;
  /** @default one status-probe template under sender MSTONE */
  templates?: Msg91Template[];
  /** Answer 418 to every call, as MSG91 does when the caller's IP is not whitelisted. */
  ipBlocked?: boolean;
  /** Transactional SMS credits; the balance API reports them. @default 5000 */
  balance?: number;
  /** @default () => new Date() */
  now?: () => Date;
}

export interface Msg91Fake {
  /** Stands for https://control.msg91.com. */
  readonly url: string;
  readonly authKey: string;
  readonly requests: readonly Msg91Request[];
  readonly sms: readonly Msg91Sms[];
  failNext(fault: Msg91Fault): void;
  /**
   * Posts a delivery report for a request to `url` as MSG91's SMS webhook does: v2 is
   * form-encoded with the reports as a JSON string in `data`; v3 is one JSON object per number.
   */
  report(input: { url: string; requestId: string; outcome: { status: string; desc: string }; version?: 'v2' | 'v3'; failedReason?: string }): Promise<number>;
  close(): Promise<void>;
}

const DEFAULT_TEMPLATES: Msg91Template[] = [
  {
    templateId: '64f1c0ffee0000000000a001',
    dltTemplateId: '1107171234567890123',
    senderId: 'MSTONE',
    text: 'Acme: status of ##VAR1##? Reply 1 on track, 2 delayed, 3 done. ##VAR2## -MSTONE',
  },
  { templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124', senderId: 'MSTONE', text: 'Acme: ##VAR1## -MSTONE' },
];

const DUPLICATE_WINDOW_MS = 10_000;

// MSG91 writes report times in IST as `YYYY-MM-DD HH:mm:ss`.
function istText(at: Date): string {
  const ist = new Date(at.getTime() + 330 * 60_000);
  return ist.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Starts a local MSG91 on 127.0.0.1: the Flow API (`POST /api/v5/flow`, header `authkey`,
 * `{ template_id, short_url, recipients: [{ mobiles, VAR… }] }` → `{ type, message }`), the
 * balance API, MSG91's duplicate-request rule (code 311) and delivery report webhooks.
 */
export async function startMsg91Fake(options: Msg91FakeOptions = {}): Promise<Msg91Fake> {
  const authKey = options.authKey ?? 'fake-msg91-authkey';
  const templates = options.templates ?? DEFAULT_TEMPLATES;
  const now = options.now ?? (() => new Date());
  const requests: Msg91Request[] = [];
  const sms: Msg91Sms[] = [];
  const faults: Msg91Fault[] = [];
  const recent = new Map<string, number>();
  const balance = options.balance ?? 5000;

  const error = (c: Context, fault: Msg91Fault) =>
    c.json({ type: 'error', message: fault.message, ...(fault.code === undefined ? {} : { code: fault.code }) }, fault.status as 400);

  const app = new Hono();
  app.use('*', async (c, next) => {
    const fault = faults.shift();
    if (fault !== undefined) return error(c, fault);
    if (options.ipBlocked) return error(c, { status: 418, message: 'IP not whitelisted', code: '418' });
    await next();
  });

  app.get('/api/balance.php', (c) => {
    const key = c.req.query('authkey');
    if (key === undefined || key === '') return c.text('Missing Authentication Key', 401);
    if (key !== authKey) return c.text('Authentication failure', 401);
    return c.text(String(balance));
  });

  const flow = async (c: Context) => {
    const key = c.req.header('authkey');
    if (key === undefined || key === '') return error(c, { status: 401, message: 'Missing Authentication Key', code: '106' });
    if (key !== authKey) return error(c, { status: 401, message: 'Authentication failure', code: '207' });
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return error(c, { status: 400, message: 'Invalid JSON body' });
    }
    const template = templates.find((t) => t.templateId === body['template_id']);
    if (template === undefined) return error(c, { status: 400, message: 'Template ID Missing or Invalid Template' });
    const recipients = Array.isArray(body['recipients']) ? (body['recipients'] as Record<string, unknown>[]) : [];
    if (recipients.length === 0) return error(c, { status: 400, message: 'Missing mobile no.', code: '101' });
    const rendered: Omit<Msg91Sms, 'requestId'>[] = [];
    for (const recipient of recipients) {
      const mobile = String(recipient['mobiles'] ?? '');
      if (!/^\d{10,15}$/.test(mobile)) {
        return error(c, { status: 400, message: 'Invalid mobile number. You must have entered either less than 10 digits or there is an alphabetic character in the mobile number field in API.', code: '202' });
      }
      let missing: string | undefined;
      const text = template.text.replace(/##([A-Za-z0-9_]+)##/g, (_whole, name: string) => {
        const value = recipient[name];
        if (typeof value !== 'string' && typeof value !== 'number') missing ??= name;
        return String(value ?? '');
      });
      // Stricter than MSG91, which would send the placeholder as written: a test should notice.
      if (missing !== undefined) return error(c, { status: 400, message: `Variable ${missing} is missing for ${mobile}` });
      rendered.push({ templateId: template.templateId, senderId: template.senderId, mobile, text });
    }
    const fingerprint = `${key}:${JSON.stringify(body)}`;
    const at = now();
    const seen = recent.get(fingerprint);
    if (seen !== undefined && at.getTime() - seen < DUPLICATE_WINDOW_MS) {
      return error(c, { status: 400, message: 'Request discarded because same request was generated twice within 10 seconds', code: '311' });
    }
    recent.set(fingerprint, at.getTime());
    const requestId = randomBytes(12).toString('hex');
    requests.push({ requestId, body, authkey: key, at });
    for (const r of rendered) sms.push({ requestId, ...r });
    return c.json({ type: 'success', message: requestId });
  };
  // MSG91's own examples use both forms.
  app.post('/api/v5/flow', flow);
  app.post('/api/v5/flow/', flow);

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    authKey,
    requests,
    sms,
    failNext: (fault) => faults.push(fault),
    report: async ({ url: target, requestId, outcome, version = 'v2', failedReason }) => {
      const sent = sms.filter((s) => s.requestId === requestId);
      if (sent.length === 0) throw new Error(`MSG91 fake: no request ${requestId}`);
      const date = istText(now());
      const entry = (s: Msg91Sms) => ({
        date,
        amount: '0.20',
        clientid: '',
        INMSID: '0',
        CRQID: '0',
        ctCode: '900',
        number: s.mobile,
        credit: '1',
        status: outcome.status,
        desc: outcome.desc,
        failedReason: failedReason ?? '',
      });
      let res: Response;
      if (version === 'v2') {
        const data = JSON.stringify([{ senderId: sent[0]!.senderId, requestId, report: sent.map(entry), userId: '271828', campaignName: 'API' }]);
        res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data }).toString() });
      } else {
        const s = sent[0]!;
        const { date: d, amount, INMSID, CRQID, credit, number, status, desc } = entry(s);
        res = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ date: d, number, senderId: s.senderId, amount, requestId, INMSID, CRQID, credit, userId: '271828', campaignName: 'API', status, desc }),
        });
      }
      await res.arrayBuffer();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
