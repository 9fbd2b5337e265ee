import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emailConnector, emailMessageId, parseEmail, smtpAddressPolicy, type EmailOutboundMessage } from '../../connectors/email/index.ts';
import {
  AuthExpiredError,
  createOutboundHttp,
  OutboundUrlRefusedError,
  TransientVendorError,
  UnrecoverableVendorError,
  type OutboundHttp,
} from '../../connectors/sdk/index.ts';
import { composeMail, startSmtpFake, unusedPort, type SmtpFake } from '../fakes/smtp/index.ts';
import { channelContext, loopbackOutbound } from './channel-context.ts';

const credentials = { user: 'hub@acme.in', pass: 'correct horse battery staple' };
let smtp: SmtpFake;
let outbound: OutboundHttp;

const configFor = (port: number) => ({ host: '127.0.0.1', port, secure: false, from: 'Acme Projects <projects@acme.in>' });
const contextFor = (port = smtp.port, creds: unknown = credentials, via = outbound) => channelContext(emailConnector, { config: configFor(port), credentials: creds, outbound: via });
const send = (message: EmailOutboundMessage, ctx = contextFor()) => emailConnector.sendMessage!(ctx, message);

const probe: EmailOutboundMessage = {
  to: 'Asha.Rao@Example.in',
  subject: 'Status of "Foundation pour" (Tower B)',
  text: 'Hello Asha,\nHow is "Foundation pour" going? Reply 1 on track, 2 delayed, 3 done.',
  html: '<p>Hello Asha,</p><p>How is <b>Foundation pour</b> going?</p>',
  idempotencyKey: 'probe:ms-42:2025-03-31',
  probeToken: 'prb_7Kq2',
  attachments: [{ filename: 'INV-2025-0042.pdf', content: Buffer.from('%PDF-1.7\n% fake invoice\n'), contentType: 'application/pdf' }],
};

beforeAll(async () => {
  smtp = await startSmtpFake({ auth: { user: credentials.user, pass: credentials.pass } });
  outbound = loopbackOutbound();
});
afterEach(() => {
  smtp.setMode('accept');
  smtp.clear();
});
afterAll(async () => {
  outbound.close();
  await smtp.close();
});

describe('email over a real SMTP peer', () => {
  it('delivers text, HTML and a PDF with the generated Message-ID and probe header', async () => {
    const sent = await send(probe);
    expect(sent).toMatchObject({ messageId: emailMessageId(probe.idempotencyKey, 'acme.in'), status: 'sent' });
    expect(sent.messageId).toMatch(/^<mh\.[0-9a-f]{32}@acme\.in>$/);

    const mail = await smtp.waitForMessage(0);
    expect(mail).toMatchObject({ mailFrom: 'projects@acme.in', rcptTo: ['asha.rao@example.in'], user: credentials.user });
    const parsed = parseEmail(mail.raw);
    expect(parsed.messageId).toBe(sent.messageId);
    expect(parsed.subject).toBe(probe.subject);
    expect(parsed.from).toEqual({ address: 'projects@acme.in', name: 'Acme Projects' });
    expect(parsed.text).toContain('Reply 1 on track, 2 delayed, 3 done.');
    expect(parsed.html).toContain('<b>Foundation pour</b>');
    expect(parsed.attachments).toEqual([{ filename: 'INV-2025-0042.pdf', contentType: 'application/pdf', size: 24 }]);
    expect(parsed.headers.find((h) => h.name === 'x-hub-probe')?.value).toBe('prb_7Kq2');
  });

  it('gives a retried send the same Message-ID, and another key another one', async () => {
    const first = await send(probe);
    const retry = await send(probe);
    const other = await send({ ...probe, idempotencyKey: 'probe:ms-42:2025-04-07' });
    expect(retry.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    // SMTP has no idempotency: the retry reached the server again; skipping it is the caller's processed-key.
    expect(smtp.messages).toHaveLength(3);
  });

  it('threads onto an earlier message with In-Reply-To and References', async () => {
    const earlier = emailMessageId('probe:ms-42:2025-03-24', 'acme.in');
    await send({ ...probe, idempotencyKey: 'clarify:1', inReplyTo: earlier, attachments: [] });
    const parsed = parseEmail((await smtp.waitForMessage(0)).raw);
    expect(parsed.inReplyTo).toBe(earlier);
    expect(parsed.references).toEqual([earlier]);
  });

  it('reads the owner’s reply to a delivered probe back to the probe', async () => {
    const sent = await send(probe);
    const original = parseEmail((await smtp.waitForMessage(0)).raw);
    const reply = await composeMail({
      from: 'Asha Rao <asha.rao@example.in>',
      to: 'Acme Projects <projects@acme.in>',
      subject: `Re: ${original.subject}`,
      inReplyTo: original.messageId,
      references: [original.messageId!],
      text: `2 delayed - waiting for the steel delivery\n\nOn Mon, 31 Mar 2025 at 10:00, Acme Projects <projects@acme.in> wrote:\n${original.text
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n')}`,
    });
    const parsed = await emailConnector.parseWebhook!({ headers: { 'content-type': 'message/rfc822' }, rawBody: reply, receivedAt: new Date('2025-03-31T05:00:00Z') }, configFor(smtp.port));
    expect(parsed).toMatchObject({
      ok: true,
      changes: [{ type: 'message.received', data: { from: 'asha.rao@example.in', to: 'projects@acme.in', inReplyTo: sent.messageId, text: '2 delayed - waiting for the steel delivery', receivedAt: '2025-03-31T05:00:00.000Z' } }],
    });
  });

  it('refuses a wrong password with a clear AuthExpiredError', async () => {
    const error = await send(probe, contextFor(smtp.port, { user: credentials.user, pass: 'wrong' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthExpiredError);
    expect((error as Error).message).toMatch(/refused the login \(535 .*Authentication credentials invalid\); check user and pass/);
    expect(smtp.failedLogins).toBeGreaterThan(0);
    expect(smtp.messages).toHaveLength(0);
  });

  it('treats a server that requires AUTH, given none, as a credentials problem', async () => {
    await expect(send(probe, contextFor(smtp.port, {}))).rejects.toBeInstanceOf(AuthExpiredError);
  });

  it('maps 550 to UnrecoverableVendorError with the server reply', async () => {
    smtp.setMode('reject');
    const error = await send(probe).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableVendorError);
    expect((error as UnrecoverableVendorError).body).toMatch(/^550 5\.1\.1 <asha\.rao@example\.in>: Recipient address rejected/);
    expect((error as Error).message).toContain('permanent failure');
  });

  it('maps 421 (service not available) to TransientVendorError', async () => {
    smtp.setMode('unavailable');
    const error = await send(probe).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientVendorError);
    expect((error as Error).message).toMatch(/421/);
  });

  it('maps a refused connection to TransientVendorError', async () => {
    const error = await send(probe, contextFor(await unusedPort())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientVendorError);
    expect((error as Error).message).toMatch(/ECONNREFUSED|ECONNECTION/);
  });

  it('refuses a loopback SMTP host when the hub guards private addresses, before connecting', async () => {
    const guarded = createOutboundHttp({ allowPrivate: false });
    try {
      await expect(send(probe, contextFor(smtp.port, credentials, guarded))).rejects.toBeInstanceOf(OutboundUrlRefusedError);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      guarded.close();
    }
  });

  it('follows the context agents’ address policy, and HUB_ALLOW_PRIVATE_URLS when it has none', () => {
    expect(smtpAddressPolicy({ agents: outbound.agents })).toEqual({ guarded: false });
    const guarded = createOutboundHttp({ allowPrivate: false });
    try {
      expect(smtpAddressPolicy({ agents: guarded.agents })).toMatchObject({ guarded: true, lookup: expect.any(Function) });
    } finally {
      guarded.close();
    }
    expect(smtpAddressPolicy({ agents: undefined }, {})).toMatchObject({ guarded: true });
    expect(smtpAddressPolicy({ agents: undefined }, { HUB_ALLOW_PRIVATE_URLS: 'false' })).toMatchObject({ guarded: true });
    expect(smtpAddressPolicy({ agents: undefined }, { HUB_ALLOW_PRIVATE_URLS: 'true' })).toEqual({ guarded: false });
  });

  it('refuses a malformed recipient or header without calling the server', async () => {
    await expect(send({ ...probe, to: 'not an address' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    await expect(send({ ...probe, headers: { From: 'ceo@acme.in' } })).rejects.toThrow(/only X- headers/);
    await expect(send({ ...probe, headers: { 'X-Note': 'a\r\nBcc: x@y.in' } })).rejects.toThrow(/one line/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('checks a connection: login works, a wrong password is auth_failed, a dead server unreachable', async () => {
    await expect(emailConnector.check(contextFor())).resolves.toMatchObject({ ok: true, message: expect.stringContaining(`as ${credentials.user}`) });
    await expect(emailConnector.check(contextFor(smtp.port, { ...credentials, pass: 'nope' }))).resolves.toMatchObject({ ok: false, code: 'auth_failed' });
    await expect(emailConnector.check(contextFor(await unusedPort()))).resolves.toMatchObject({ ok: false, code: 'unreachable' });
  });
});

describe('email connection settings', () => {
  it('takes { host, port, secure, from } and { user?, pass? }', () => {
    expect(emailConnector.parseConfig(configFor(587)).ok).toBe(true);
    expect(emailConnector.parseCredentials({}, configFor(587)).ok).toBe(true);
    expect(emailConnector.parseCredentials(credentials, configFor(587)).ok).toBe(true);
  });

  it('rejects bad settings with paths', () => {
    const bad = emailConnector.parseConfig({ host: 'smtp example', port: 70000, secure: 'yes', from: 'nobody' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path).sort()).toEqual(['from', 'host', 'port', 'secure']);
    const half = emailConnector.parseCredentials({ user: 'hub@acme.in' }, configFor(587));
    expect(half).toMatchObject({ ok: false, issues: [{ path: 'pass' }] });
  });
});
