import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthExpiredError, createOutboundHttp, TransientVendorError, UnrecoverableVendorError } from '../../connectors/sdk/index.ts';
import {
  CHROMIUM_ARGS,
  createWhatsAppWebConnector,
  createWhatsAppWebSessions,
  loadWhatsAppWebLibrary,
  WhatsAppWebClientGateway,
  whatsappWebClientOptions,
  whatsappWebConnector,
  WhatsAppWebSession,
  type DeliveryStatusUpdate,
  type WhatsAppWebInboundMessage,
  type WhatsAppWebLogin,
} from '../../connectors/whatsapp-web/index.ts';
import { channelContext } from './channel-context.ts';
import { FakeWhatsAppWebGateway } from './fake-whatsapp-web-gateway.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'hub-wa-web-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const clock = () => new Date('2025-03-31T04:30:00.000Z');

async function linkedSession(gateway = new FakeWhatsAppWebGateway()) {
  const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway, now: clock });
  await session.start();
  gateway.link();
  return { session, gateway };
}

describe('the real whatsapp-web.js adapter, as far as it can run without a phone or a browser', () => {
  it('loads whatsapp-web.js', async () => {
    const lib = await loadWhatsAppWebLibrary();
    expect(typeof lib.Client).toBe('function');
    expect(typeof lib.LocalAuth).toBe('function');
  });

  it('keeps the session under <dataDir>/whatsapp-web/<connectionId> and uses chromium with server flags', () => {
    const options = whatsappWebClientOptions({ dataDir, connectionId: 'conn-42', chromiumPath: '/opt/chromium/chrome' });
    expect(options).toEqual({
      authDataPath: join(dataDir, 'whatsapp-web', 'conn-42'),
      webCachePath: join(dataDir, 'whatsapp-web', '.web-cache'),
      puppeteer: { headless: true, executablePath: '/opt/chromium/chrome', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] },
      deviceName: 'Milestone Hub',
    });
  });

  it('takes the browser from HUB_CHROMIUM_PATH, else Debian’s /usr/bin/chromium', () => {
    const saved = process.env['HUB_CHROMIUM_PATH'];
    try {
      delete process.env['HUB_CHROMIUM_PATH'];
      expect(whatsappWebClientOptions({ dataDir, connectionId: 'c' }).puppeteer.executablePath).toBe('/usr/bin/chromium');
      process.env['HUB_CHROMIUM_PATH'] = '/usr/lib/chromium/chromium';
      expect(whatsappWebClientOptions({ dataDir, connectionId: 'c' }).puppeteer.executablePath).toBe('/usr/lib/chromium/chromium');
    } finally {
      if (saved === undefined) delete process.env['HUB_CHROMIUM_PATH'];
      else process.env['HUB_CHROMIUM_PATH'] = saved;
    }
  });

  it('refuses a connection id that is not a safe directory name, at construction', () => {
    expect(() => new WhatsAppWebClientGateway({ dataDir, connectionId: '../other-tenant' })).toThrow(TypeError);
    expect(() => whatsappWebClientOptions({ dataDir, connectionId: '' })).toThrow(/connection id/);
  });

  it('builds a whatsapp-web.js Client with LocalAuth and those options, without launching the browser', async () => {
    const gateway = new WhatsAppWebClientGateway({ dataDir, connectionId: 'conn-42', chromiumPath: '/usr/bin/chromium', deviceName: 'Acme Hub' });
    const client = (await gateway.createClient()) as unknown as {
      options: { puppeteer: Record<string, unknown>; webVersionCache: unknown; deviceName: string };
      authStrategy: { constructor: { name: string }; dataPath: string; clientId?: string };
      pupBrowser: unknown;
    };
    expect(client.authStrategy.constructor.name).toBe('LocalAuth');
    expect(client.authStrategy.dataPath).toBe(join(dataDir, 'whatsapp-web', 'conn-42'));
    expect(client.options.puppeteer).toMatchObject({ headless: true, executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS] });
    expect(client.options.webVersionCache).toEqual({ type: 'local', path: join(dataDir, 'whatsapp-web', '.web-cache') });
    expect(client.options.deviceName).toBe('Acme Hub');
    expect(client.pupBrowser).toBeNull();
    expect(gateway.state).toBe('stopped');
    await expect(gateway.send('919876543210@c.us', 'hi')).rejects.toThrow(/not started/);
  });
});

describe('a WhatsApp Web session over an in-memory gateway', () => {
  it('shows the QR code for the API and CLI, follows its rotation, and clears it once linked', async () => {
    const gateway = new FakeWhatsAppWebGateway();
    const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway, now: clock });
    const seen: WhatsAppWebLogin[] = [];
    session.onLoginChange((login) => seen.push(login));
    expect(session.login()).toMatchObject({ state: 'stopped' });
    await session.start();
    expect(session.login()).toEqual({ state: 'qr', qr: '2@fakeQrPayload,one', since: '2025-03-31T04:30:00.000Z' });
    gateway.showQr('2@fakeQrPayload,two');
    expect(session.login().qr).toBe('2@fakeQrPayload,two');
    gateway.link('919000000002');
    expect(session.login()).toEqual({ state: 'ready', phone: '+919000000002', since: '2025-03-31T04:30:00.000Z' });
    expect(seen.map((l) => [l.state, l.qr ?? l.phone])).toEqual([['starting', undefined], ['qr', '2@fakeQrPayload,one'], ['qr', '2@fakeQrPayload,two'], ['authenticated', undefined], ['ready', '+919000000002']]);
  });

  it('gives a pairing code for the phone number, formatted for people, while linking', async () => {
    const gateway = new FakeWhatsAppWebGateway();
    const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway, now: clock });
    await session.start();
    await expect(session.requestPairingCode('098765 43210')).resolves.toBe('K7QX-9M2P');
    expect(gateway.pairingRequests).toEqual(['919876543210']);
    gateway.showQr('2@rotated');
    expect(session.login()).toMatchObject({ state: 'qr', pairingCode: 'K7QX-9M2P', qr: '2@rotated' });
    await expect(session.requestPairingCode('not a number')).rejects.toBeInstanceOf(UnrecoverableVendorError);
    gateway.link();
    await expect(session.requestPairingCode('+919876543210')).rejects.toBeInstanceOf(TransientVendorError);
  });

  it('comes back from the stored session without a QR', async () => {
    const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway: new FakeWhatsAppWebGateway('restore'), now: clock });
    await session.start();
    expect(session.login()).toMatchObject({ state: 'ready', phone: '+919000000002' });
    expect(session.login().qr).toBeUndefined();
  });

  it('sends to the chat of an E.164 number, quoting the message it answers', async () => {
    const { session, gateway } = await linkedSession();
    const sent = await session.send({ to: '+91 98765 43210', text: 'How is Foundation pour going? Reply 1, 2 or 3.', idempotencyKey: 'probe:1', inReplyTo: 'false_919876543210@c.us_ABC' });
    expect(sent).toEqual({ messageId: gateway.sent[0]!.id, status: 'queued' });
    expect(gateway.sent[0]).toMatchObject({ chatId: '919876543210@c.us', text: 'How is Foundation pour going? Reply 1, 2 or 3.', quotedMessageId: 'false_919876543210@c.us_ABC' });
  });

  it('answers a repeated idempotency key with the first send, without sending again', async () => {
    const { session, gateway } = await linkedSession();
    const first = await session.send({ to: '9876543210', text: 'a', idempotencyKey: 'probe:1' });
    const again = await session.send({ to: '9876543210', text: 'a', idempotencyKey: 'probe:1' });
    expect(again).toEqual(first);
    expect(gateway.sent).toHaveLength(1);
  });

  it('joins a send still under way with the same key instead of sending again, and lets a failed one be tried again', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    class SlowGateway extends FakeWhatsAppWebGateway {
      override async send(chatId: string, text: string): Promise<{ id: string; timestamp: number }> {
        await held;
        return super.send(chatId, text);
      }
    }
    const { session, gateway } = await linkedSession(new SlowGateway());
    const first = session.send({ to: '9876543210', text: 'a', idempotencyKey: 'probe:1' });
    const second = session.send({ to: '9876543210', text: 'a', idempotencyKey: 'probe:1' });
    const other = session.send({ to: '9876543210', text: 'b', idempotencyKey: 'probe:2' });
    release();
    const [a, b, c] = await Promise.all([first, second, other]);
    expect(b).toEqual(a);
    expect(c.messageId).not.toBe(a.messageId);
    expect(gateway.sent.map((m) => m.text)).toEqual(['a', 'b']);

    gateway.failNextSend = new Error('Evaluation failed');
    const failing = session.send({ to: '9876543210', text: 'c', idempotencyKey: 'probe:3' });
    const joined = session.send({ to: '9876543210', text: 'c', idempotencyKey: 'probe:3' });
    await expect(failing).rejects.toBeInstanceOf(TransientVendorError);
    await expect(joined).rejects.toBeInstanceOf(TransientVendorError);
    expect(await session.send({ to: '9876543210', text: 'c', idempotencyKey: 'probe:3' })).toMatchObject({ status: 'queued' });
    expect(gateway.sent.map((m) => m.text)).toEqual(['a', 'b', 'c']);
  });

  it('refuses to send until linked (AuthExpiredError) and while reconnecting (TransientVendorError)', async () => {
    const gateway = new FakeWhatsAppWebGateway();
    const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway, now: clock });
    await session.start();
    const message = { to: '+919876543210', text: 'hi', idempotencyKey: 'k1' };
    await expect(session.send(message)).rejects.toBeInstanceOf(AuthExpiredError);
    gateway.failAuth();
    await expect(session.send(message)).rejects.toThrow(/scan the QR code/);
    gateway.link();
    gateway.disconnect('NAVIGATION');
    expect(session.login()).toMatchObject({ state: 'disconnected', detail: 'NAVIGATION' });
    await expect(session.send(message)).rejects.toBeInstanceOf(TransientVendorError);
    await expect(session.send({ ...message, to: 'asha@example.in' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
    expect(gateway.sent).toHaveLength(0);
  });

  it('turns a failed send into TransientVendorError', async () => {
    const { session, gateway } = await linkedSession();
    gateway.failNextSend = new Error('Evaluation failed: t: Error: Chat not found');
    await expect(session.send({ to: '+919876543210', text: 'hi', idempotencyKey: 'k' })).rejects.toThrow(/sending failed \(Evaluation failed/);
  });

  it('maps acks to delivery statuses: pending, server, device, read, played, error', async () => {
    const { session, gateway } = await linkedSession();
    const statuses: DeliveryStatusUpdate[] = [];
    session.onStatus((s) => statuses.push(s));
    const { messageId } = await session.send({ to: '+919876543210', text: 'hi', idempotencyKey: 'k' });
    for (const ack of [0, 1, 2, 3, 4, 7, -1]) gateway.ack(messageId, ack);
    expect(statuses.map((s) => s.status)).toEqual(['queued', 'sent', 'delivered', 'read', 'read', 'failed']);
    expect(statuses[2]).toEqual({ messageId, status: 'delivered', occurredAt: '2025-03-31T04:30:00.000Z', recipient: '+919876543210' });
    expect(statuses[5]!.error).toMatchObject({ code: 'ACK_ERROR', permanent: false });
  });

  it('reads replies from one-to-one chats, with the quoted message and tapped button; ignores the rest', async () => {
    const { session, gateway } = await linkedSession();
    const inbound: WhatsAppWebInboundMessage[] = [];
    session.onInbound((m) => inbound.push(m));
    const { messageId } = await session.send({ to: '+919876543210', text: 'Status?', idempotencyKey: 'k' });
    gateway.deliver({ from: '919876543210@c.us', body: '2 delayed, waiting for steel', quotedMessageId: messageId });
    gateway.deliver({ from: '919876543210@c.us', body: 'Done', type: 'buttons_response', selectedId: 'probe:ms-42:done' });
    gateway.deliver({ from: '120363025246125486@g.us', body: 'group chatter' });
    gateway.deliver({ from: 'status@broadcast', body: 'a status update' });
    gateway.deliver({ from: '204789123456789@lid', body: 'privacy id' });
    gateway.deliver({ from: '919876543210@c.us', body: 'sent from the linked phone itself', fromMe: true });
    expect(inbound).toMatchObject([
      { from: '+919876543210', to: '+919000000002', text: '2 delayed, waiting for steel', inReplyTo: messageId, kind: 'chat', receivedAt: '2025-03-31T05:55:00.000Z' },
      { from: '+919876543210', text: 'Done', contextId: 'probe:ms-42:done', kind: 'buttons_response' },
    ]);
    expect(inbound).toHaveLength(2);
  });
});

describe('the whatsapp-web connector', () => {
  it('sends through the running session of the context’s connection and reports the link in check', async () => {
    const gateways = new Map<string, FakeWhatsAppWebGateway>();
    const sessions = createWhatsAppWebSessions({
      dataDir,
      createGateway: (connectionId) => {
        const gateway = new FakeWhatsAppWebGateway();
        gateways.set(connectionId, gateway);
        return gateway;
      },
    });
    const connector = createWhatsAppWebConnector({ sessions });
    const outbound = createOutboundHttp({ allowPrivate: true });
    try {
      const ctx = channelContext(connector, { config: {}, credentials: {}, outbound, connectionId: 'conn-wa-1' });
      await expect(connector.check(ctx)).resolves.toMatchObject({ ok: false, code: 'unreachable' });
      await expect(connector.sendMessage!(ctx, { to: '+919876543210', text: 'hi', idempotencyKey: 'k' })).rejects.toBeInstanceOf(TransientVendorError);

      const [a, b] = await Promise.all([sessions.open('conn-wa-1'), sessions.open('conn-wa-1')]);
      expect(a).toBe(b);
      expect(gateways.get('conn-wa-1')!.starts).toBe(1);
      await expect(connector.check(ctx)).resolves.toMatchObject({ ok: false, code: 'auth_failed' });
      gateways.get('conn-wa-1')!.link('919000000002');
      await expect(connector.check(ctx)).resolves.toEqual({ ok: true, message: 'linked as +919000000002' });
      const sent = await connector.sendMessage!(ctx, { to: '+919876543210', text: 'Status of Foundation pour?', idempotencyKey: 'probe:1' });
      expect(gateways.get('conn-wa-1')!.sent).toEqual([expect.objectContaining({ id: sent.messageId, chatId: '919876543210@c.us' })]);
      await sessions.closeAll();
      expect(sessions.get('conn-wa-1')).toBeUndefined();
      expect(gateways.get('conn-wa-1')!.state).toBe('stopped');
    } finally {
      outbound.close();
    }
  });

  it('in its registry form (no sessions) describes itself but cannot send', async () => {
    const outbound = createOutboundHttp({ allowPrivate: true });
    try {
      const ctx = channelContext(whatsappWebConnector, { config: { linkWith: 'qr' }, credentials: {}, outbound });
      await expect(whatsappWebConnector.check(ctx)).resolves.toMatchObject({ ok: false, code: 'misconfigured' });
      await expect(whatsappWebConnector.sendMessage!(ctx, { to: '+919876543210', text: 'hi', idempotencyKey: 'k' })).rejects.toBeInstanceOf(UnrecoverableVendorError);
      expect(whatsappWebConnector.describe()).toMatchObject({ id: 'whatsapp-web', capabilities: { messages: { send: true } } });
      expect(whatsappWebConnector.parseConfig({ linkWith: 'pairing-code' })).toMatchObject({ ok: false, issues: [{ path: 'phoneNumber' }] });
    } finally {
      outbound.close();
    }
  });
});
