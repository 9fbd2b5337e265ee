import { describe, expect, it } from 'vitest';
import { AuthExpiredError, createOutboundHttp, TransientVendorError } from '../../connectors/sdk/index.ts';
import { createWhatsAppWebSessions, sessionNotRunningError, whatsAppWebCheckOf, WhatsAppWebSession, type WhatsAppWebLogin, type WhatsAppWebRecordedLink } from '../../connectors/whatsapp-web/index.ts';
import { connectionsCollection } from '../../core/connections/index.ts';
import { createNedbStore, createStore } from '../../core/store/index.ts';
import { localWhatsAppWebSends, recordWhatsAppWebLink, sendersOf } from '../../queues/notify/index.ts';
import { channelContext } from '../channels/channel-context.ts';
import { FakeWhatsAppWebGateway } from '../channels/fake-whatsapp-web-gateway.ts';

const since = '2026-03-03T05:30:00.000Z';
const check = (login: WhatsAppWebLogin | undefined, recorded: WhatsAppWebRecordedLink | undefined) => whatsAppWebCheckOf(login, recorded);
const message = { to: '+919876543210', text: 'How is Roof waterproofing going?', idempotencyKey: 'probe:1' };

describe('what the connection test says of a WhatsApp Web connection', () => {
  it('tells a running session by its state, never showing the QR code', () => {
    const linked: WhatsAppWebRecordedLink = { state: 'linked', phone: '+919000000002' };
    expect(check({ state: 'ready', phone: '+919000000003', since }, linked)).toEqual({ ok: true, message: 'linked as +919000000003' });
    expect(check({ state: 'ready', since }, linked)).toEqual({ ok: true, message: 'linked as +919000000002' });
    expect(check({ state: 'starting', since }, linked)).toEqual({ ok: false, code: 'unreachable', message: 'the session is starting; linked as +919000000002, it resumes from its saved login' });
    expect(check({ state: 'starting', since }, { state: 'none' })).toEqual({ ok: false, code: 'unreachable', message: 'the session is starting' });
    expect(check({ state: 'authenticated', since }, linked)).toMatchObject({ ok: false, code: 'unreachable', message: 'the session is logged in and loading its chats' });
    const qr = check({ state: 'qr', qr: '2@secretQrPayload', since }, { state: 'none' });
    expect(qr).toEqual({ ok: false, code: 'auth_failed', message: 'not linked: waiting for the QR code to be scanned on the phone' });
    expect(JSON.stringify(qr)).not.toContain('secretQrPayload');
    expect(check({ state: 'qr', pairingCode: 'K7QX-9M2P', since }, { state: 'needs_relink' })).toMatchObject({ message: 'not linked: waiting for the pairing code to be entered on the phone' });
    expect(check({ state: 'auth_failed', detail: 'session refused', since }, linked)).toEqual({
      ok: false,
      code: 'auth_failed',
      message: 'not linked: WhatsApp Web refused the saved login (session refused); scan the QR code or enter the pairing code on the phone',
    });
    expect(check({ state: 'disconnected', detail: 'LOGOUT', since }, linked)).toMatchObject({ code: 'auth_failed', message: expect.stringMatching(/^not linked: the phone logged this device out \(LOGOUT\)/) });
    expect(check({ state: 'disconnected', detail: 'NAVIGATION', since }, linked)).toMatchObject({ code: 'unreachable', message: expect.stringMatching(/^the session dropped \(NAVIGATION\)/) });
  });

  it('tells a connection without a running session by what it records', () => {
    expect(check(undefined, { state: 'linked', phone: '+919000000002' })).toEqual({
      ok: false,
      code: 'unreachable',
      message: 'linked as +919000000002, but the session is not running; it reopens from its saved login when the process that drives WhatsApp Web starts, or when the link is opened',
    });
    expect(check({ state: 'stopped', since }, { state: 'needs_relink', reason: 'the phone logged this device out (LOGOUT)' })).toEqual({
      ok: false,
      code: 'auth_failed',
      message: 'not linked: the phone logged this device out (LOGOUT); scan the QR code or enter the pairing code on the phone',
    });
    expect(check(undefined, { state: 'none' })).toMatchObject({ ok: false, code: 'auth_failed', message: expect.stringMatching(/^not linked yet: open the link/) });
    expect(check(undefined, undefined)).toEqual({ ok: false, code: 'unreachable', message: 'the session is not running; open it to link the phone' });
  });
});

describe('sending through a WhatsApp Web connection whose session is not running', () => {
  it('fails at once when the connection needs a new link or was never linked, and retryably when it is linked', () => {
    const relink = sessionNotRunningError({ state: 'needs_relink', reason: 'WhatsApp Web refused the saved login' });
    expect(relink).toBeInstanceOf(AuthExpiredError);
    expect(relink.message).toBe('whatsapp-web: not linked: WhatsApp Web refused the saved login; scan the QR code or enter the pairing code on the phone');
    expect(sessionNotRunningError({ state: 'none' })).toBeInstanceOf(AuthExpiredError);
    for (const recorded of [{ state: 'linked' } as const, undefined]) {
      const err = sessionNotRunningError(recorded);
      expect(err).toBeInstanceOf(TransientVendorError);
      expect(err.message).toBe('whatsapp-web: the session of this connection is not running');
    }
  });

  it('a send reads what the connection records, and goes out once the session runs', async () => {
    const gateway = new FakeWhatsAppWebGateway('restore');
    const sessions = createWhatsAppWebSessions({ dataDir: '/nonexistent-whatsapp-web', createGateway: () => gateway });
    const store = createStore(createNedbStore({ dir: '', inMemory: true }));
    const target = { tenantId: 'tenant-test', connectionId: 'conn-wa-1' };
    const connections = store.forTenant(target.tenantId).collection(connectionsCollection);
    await connections.insert({ _id: target.connectionId, connector: 'whatsapp-web', name: 'Site office', config: {}, webhook: { secrets: [] }, status: 'active' });
    const at = new Date(since);
    await recordWhatsAppWebLink(store, target, { state: 'needs_relink', at, reason: 'the phone logged this device out (LOGOUT)' });
    // Bound as the notify worker binds it, in the process that drives WhatsApp Web.
    const connector = sendersOf(undefined, localWhatsAppWebSends({ sessions, store })).get('whatsapp-web')!;
    const outbound = createOutboundHttp({ allowPrivate: true });
    try {
      const ctx = channelContext(connector, { config: {}, credentials: {}, outbound, connectionId: target.connectionId });
      const relink = await connector.sendMessage!(ctx, message).catch((err: unknown) => err);
      expect(relink).toBeInstanceOf(AuthExpiredError);
      expect((relink as Error).message).toMatch(/^whatsapp-web: not linked: the phone logged this device out \(LOGOUT\); scan the QR code/);

      await connections.updateOne({ _id: target.connectionId }, { $unset: { whatsappWebLink: '' } });
      await expect(connector.sendMessage!(ctx, message)).rejects.toBeInstanceOf(AuthExpiredError);
      await recordWhatsAppWebLink(store, target, { state: 'linked', at, phone: '+919000000002' });
      await expect(connector.sendMessage!(ctx, message)).rejects.toBeInstanceOf(TransientVendorError);

      await sessions.open('conn-wa-1');
      expect(await connector.sendMessage!(ctx, message)).toMatchObject({ status: 'queued' });
      expect(gateway.sent).toHaveLength(1);
    } finally {
      outbound.close();
      await sessions.closeAll();
    }
  });

  it('a running session the phone logged out fails at once; one that merely dropped is retried', async () => {
    const gateway = new FakeWhatsAppWebGateway('restore');
    const session = new WhatsAppWebSession({ connectionId: 'conn-wa', gateway });
    await session.start();
    gateway.disconnect('NAVIGATION');
    await expect(session.send(message)).rejects.toBeInstanceOf(TransientVendorError);
    gateway.link();
    gateway.disconnect('LOGOUT');
    const loggedOut = await session.send({ ...message, idempotencyKey: 'probe:2' }).catch((err: unknown) => err);
    expect(loggedOut).toBeInstanceOf(AuthExpiredError);
    expect((loggedOut as Error).message).toBe('whatsapp-web: not linked: the phone logged this device out (LOGOUT); scan the QR code or enter the pairing code on the phone');
    expect(gateway.sent).toEqual([]);
  });
});
