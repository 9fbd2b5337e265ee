import {
  isLoggedOut,
  notLinkedMessage,
  relinkReason,
  type WhatsAppWebLogin,
  type WhatsAppWebRecordedLink,
  type WhatsAppWebSession,
  type WhatsAppWebSessions,
} from '../../connectors/whatsapp-web/index.ts';
import { connectionsCollection, webhookRoutesCollection, type ConnectionDoc } from '../../core/connections/index.ts';
import type { Store } from '../../core/store/index.ts';
import { tenantsCollection } from '../../core/tenancy/index.ts';

/**
 * How a WhatsApp Web connection's link stands, kept on the connection as `whatsappWebLink`:
 * `linked` once a phone linked it (the browser's saved login lets the session resume without a
 * scan), `needs_relink` once that login stopped working (the phone logged the device out, or
 * WhatsApp refused it or asked for a new QR code), until someone links it again.
 */
export interface WhatsAppWebLinkRecord {
  state: 'linked' | 'needs_relink';
  at: Date;
  /** The linked number, E.164, when WhatsApp Web said it. */
  phone?: string;
  /** Why the connection needs linking again. */
  reason?: string;
}

type LinkedConnectionDoc = ConnectionDoc & { whatsappWebLink?: WhatsAppWebLinkRecord };

/** A connection's link as recorded, or undefined when it was never linked. */
export function whatsAppWebLinkOf(conn: ConnectionDoc): WhatsAppWebLinkRecord | undefined {
  return (conn as LinkedConnectionDoc).whatsappWebLink;
}

/** A connection's link as sending and the connection test read it: `none` when it was never linked. */
export function recordedWhatsAppWebLinkOf(conn: ConnectionDoc): WhatsAppWebRecordedLink {
  const link = whatsAppWebLinkOf(conn);
  if (link?.state === 'linked') return { state: 'linked', ...(link.phone === undefined ? {} : { phone: link.phone }) };
  if (link?.state === 'needs_relink') return { state: 'needs_relink', ...(link.reason === undefined ? {} : { reason: link.reason }) };
  return { state: 'none' };
}

const MAX_REASON_CHARS = 200;

/**
 * Records a connection's link, and as its last check what the connection test would say of it
 * (`linked as +91…`, or `not linked: …` with what to do), so the API shows it. A deleted
 * connection, or one of another connector, is left alone; with `ifLinked`, so is one not recorded
 * as linked.
 */
export async function recordWhatsAppWebLink(
  store: Store,
  target: { tenantId: string; connectionId: string },
  record: WhatsAppWebLinkRecord,
  { ifLinked = false }: { ifLinked?: boolean } = {},
): Promise<void> {
  const reason = record.reason?.slice(0, MAX_REASON_CHARS);
  const stored: WhatsAppWebLinkRecord = { state: record.state, at: record.at, ...(record.phone === undefined ? {} : { phone: record.phone }), ...(reason === undefined ? {} : { reason }) };
  const message = record.state === 'linked' ? `linked as ${record.phone ?? 'the phone'}` : notLinkedMessage(reason);
  await store
    .forTenant(target.tenantId)
    .collection(connectionsCollection)
    .updateOne(
      { _id: target.connectionId, connector: 'whatsapp-web', status: { $ne: 'deleted' }, ...(ifLinked ? { 'whatsappWebLink.state': 'linked' } : {}) },
      { $set: { whatsappWebLink: stored, lastCheck: { at: record.at, ok: record.state === 'linked', message } } },
    );
}

/** A connection whose session can resume from its saved login. */
export interface LinkedWhatsAppWebConnection {
  tenantId: string;
  connectionId: string;
  deviceName?: string;
}

/** The active WhatsApp Web connections of active tenants recorded as linked, oldest first. */
export async function linkedWhatsAppWebConnections(store: Store): Promise<LinkedWhatsAppWebConnection[]> {
  const tenants = await store.platform(tenantsCollection).find({ status: 'active' }, { projection: { _id: 1 } });
  const linked: LinkedWhatsAppWebConnection[] = [];
  for (const { _id: tenantId } of tenants) {
    const rows = await store
      .forTenant(tenantId)
      .collection(connectionsCollection)
      .find({ connector: 'whatsapp-web', status: 'active', 'whatsappWebLink.state': 'linked' }, { sort: { createdAt: 1 }, projection: { _id: 1, config: 1 } });
    for (const row of rows) {
      const deviceName = (row.config as { deviceName?: unknown } | undefined)?.deviceName;
      linked.push({ tenantId, connectionId: row._id, ...(typeof deviceName === 'string' ? { deviceName } : {}) });
    }
  }
  return linked;
}

/**
 * Wraps the process's sessions so every session opened records its connection's link, the one
 * writer of it while sessions run: `linked` when it becomes ready, `needs_relink` when its saved
 * login stops working. That is a session the phone logged out (`isLoggedOut`), or one that asks for
 * a QR code or is refused after it was linked: linked in this process, or recorded as linked, as
 * when a session resumes from its saved login (`startWhatsAppWebRestore`). A session that shows a
 * QR code for a connection not recorded as linked (someone is linking it) records nothing. The
 * writes of one connection are made in order, and closing its session waits for them, so what
 * follows a close sees the record. Writes that fail are logged and dropped: the session goes on.
 */
export function recordWhatsAppWebLinks({ sessions, store, logger, now }: { sessions: WhatsAppWebSessions; store: Store; logger: { warn(fields: object, message: string): void }; now: () => Date }): WhatsAppWebSessions {
  const watched = new WeakSet<WhatsAppWebSession>();
  /** The last write of each connection, settled or not; it never rejects. */
  const writes = new Map<string, Promise<void>>();

  async function write(connectionId: string, link: WhatsAppWebLinkRecord, ifLinked: boolean): Promise<void> {
    try {
      const route = await store.platform(webhookRoutesCollection).findById(connectionId);
      if (route === null) return;
      await recordWhatsAppWebLink(store, { tenantId: route.tenant, connectionId }, link, { ifLinked });
    } catch (err) {
      logger.warn({ connectionId, state: link.state, err: { message: (err as Error).message } }, 'whatsapp-web: the link state could not be recorded');
    }
  }

  function record(connectionId: string, link: WhatsAppWebLinkRecord, { ifLinked = false }: { ifLinked?: boolean } = {}): void {
    const next = (writes.get(connectionId) ?? Promise.resolve()).then(() => write(connectionId, link, ifLinked));
    writes.set(connectionId, next);
    void next.then(() => {
      if (writes.get(connectionId) === next) writes.delete(connectionId);
    });
  }

  function watch(session: WhatsAppWebSession): WhatsAppWebSession {
    if (watched.has(session)) return session;
    watched.add(session);
    // What this session last recorded, so repeated reports (a rotating QR code) write nothing.
    let recorded: string | undefined;
    let linked = false;
    const onLogin = (login: WhatsAppWebLogin): void => {
      if (login.state === 'ready') {
        linked = true;
        const key = `linked:${login.phone ?? ''}`;
        if (recorded === key) return;
        recorded = key;
        record(session.connectionId, { state: 'linked', at: now(), ...(login.phone === undefined ? {} : { phone: login.phone }) });
        return;
      }
      const loggedOut = isLoggedOut(login);
      const refused = login.state === 'qr' || login.state === 'auth_failed';
      if (!(loggedOut || refused) || recorded === 'needs_relink') return;
      recorded = 'needs_relink';
      // Not linked in this process: a lost login only when the connection is recorded as linked.
      const ifLinked = !loggedOut && !linked;
      linked = false;
      record(session.connectionId, { state: 'needs_relink', at: now(), reason: relinkReason(login) }, { ifLinked });
    };
    session.onLoginChange(onLogin);
    // A session may have become ready while it started, before anyone could listen.
    onLogin(session.login());
    return session;
  }

  return {
    get: (connectionId) => {
      const session = sessions.get(connectionId);
      return session === undefined ? undefined : watch(session);
    },
    open: async (connectionId, settings) => watch(await sessions.open(connectionId, settings)),
    close: async (connectionId) => {
      await sessions.close(connectionId);
      await writes.get(connectionId);
    },
    closeAll: async () => {
      await sessions.closeAll();
      await Promise.all([...writes.values()]);
    },
  };
}
