import { TransientVendorError, UnrecoverableVendorError } from '../../connectors/index.ts';
import type { WhatsAppWebLogin, WhatsAppWebSession, WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { loadConnection } from '../../core/connections/index.ts';
import type { Store, TenantStore } from '../../core/store/index.ts';

/** Why a link could not be shown or a pairing code not given, as the API answers it. */
export interface WhatsAppWebLinkProblem {
  code: 'not_found' | 'conflict' | 'unprocessable' | 'service_unavailable';
  detail: string;
  errors?: { path: string; message: string }[];
}

/** A connection's link, or why there is none to show. */
export type WhatsAppWebLinkResult = { ok: true; login: WhatsAppWebLogin } | { ok: false; problem: WhatsAppWebLinkProblem };

/** The link of a connection's running session (no `login` when none runs), or why it cannot be told. */
export type WhatsAppWebSessionStatus = { ok: true; login?: WhatsAppWebLogin } | { ok: false; problem: WhatsAppWebLinkProblem };

/** Names one tenant's connection; the tenant confines every look-up. */
export interface WhatsAppWebLinkTarget {
  tenantId: string;
  connectionId: string;
}

/**
 * What the login routes ask of WhatsApp Web: a connection's link (starting its session when it
 * is not running), and a pairing code to type on the phone; and what the connection test asks:
 * the link of its session if one runs, starting none. The process that runs the sessions answers
 * it directly (`localWhatsAppWebLinks`); a process that runs none reaches that one over Redis
 * (`createWhatsAppWebRelay`), with the same answers.
 */
export interface WhatsAppWebLinks {
  login(target: WhatsAppWebLinkTarget): Promise<WhatsAppWebLinkResult>;
  requestPairingCode(target: WhatsAppWebLinkTarget & { phone: string }): Promise<WhatsAppWebLinkResult>;
  status(target: WhatsAppWebLinkTarget): Promise<WhatsAppWebSessionStatus>;
}

/** A tenant's WhatsApp Web connection that can be linked now, with the settings linking uses. */
export type LinkableConnection = { ok: true; phoneNumber?: string; deviceName?: string } | { ok: false; problem: WhatsAppWebLinkProblem };

/** Checks that `connectionId` is one of the tenant's active WhatsApp Web connections. */
export async function linkableWhatsAppWebConnection(db: TenantStore, connectionId: string): Promise<LinkableConnection> {
  const conn = await loadConnection(db, connectionId);
  if (conn === null) return { ok: false, problem: { code: 'not_found', detail: 'No such connection' } };
  if (conn.connector !== 'whatsapp-web') {
    return { ok: false, problem: { code: 'conflict', detail: `Connection ${connectionId} is a ${conn.connector} connection; only whatsapp-web connections link by QR code` } };
  }
  if (conn.status !== 'active') return { ok: false, problem: { code: 'conflict', detail: `Connection ${connectionId} is ${conn.status}; resume it first` } };
  const config = conn.config as { phoneNumber?: string; deviceName?: string };
  return { ok: true, ...(config.phoneNumber ? { phoneNumber: config.phoneNumber } : {}), ...(config.deviceName ? { deviceName: config.deviceName } : {}) };
}

/**
 * The links of the sessions this process runs. Every call checks the connection again within
 * its tenant, so a request that names another tenant's connection finds nothing.
 */
export function localWhatsAppWebLinks({ sessions, store }: { sessions: WhatsAppWebSessions; store: Store }): WhatsAppWebLinks {
  async function sessionOf(target: WhatsAppWebLinkTarget): Promise<{ ok: true; session: WhatsAppWebSession } | { ok: false; problem: WhatsAppWebLinkProblem }> {
    const checked = await linkableWhatsAppWebConnection(store.forTenant(target.tenantId), target.connectionId);
    if (!checked.ok) return checked;
    const running = sessions.get(target.connectionId);
    if (running !== undefined) return { ok: true, session: running };
    try {
      return { ok: true, session: await sessions.open(target.connectionId, checked.deviceName ? { deviceName: checked.deviceName } : {}) };
    } catch (err) {
      return { ok: false, problem: { code: 'service_unavailable', detail: `The WhatsApp Web session could not start: ${messageOf(err)}` } };
    }
  }

  return {
    async login(target) {
      const found = await sessionOf(target);
      return found.ok ? { ok: true, login: found.session.login() } : found;
    },
    async requestPairingCode({ phone, ...target }) {
      const found = await sessionOf(target);
      if (!found.ok) return found;
      try {
        await found.session.requestPairingCode(phone);
      } catch (err) {
        if (err instanceof UnrecoverableVendorError) return { ok: false, problem: { code: 'unprocessable', detail: err.message, errors: [{ path: 'body.phone', message: 'not a phone number' }] } };
        if (err instanceof TransientVendorError) return { ok: false, problem: { code: 'conflict', detail: err.message } };
        return { ok: false, problem: { code: 'service_unavailable', detail: `WhatsApp Web gave no pairing code: ${messageOf(err)}` } };
      }
      return { ok: true, login: found.session.login() };
    },
    async status(target) {
      // Any of the tenant's WhatsApp Web connections, paused too: telling its state changes nothing.
      const conn = await loadConnection(store.forTenant(target.tenantId), target.connectionId);
      if (conn === null) return { ok: false, problem: { code: 'not_found', detail: 'No such connection' } };
      if (conn.connector !== 'whatsapp-web') return { ok: false, problem: { code: 'conflict', detail: `Connection ${target.connectionId} is a ${conn.connector} connection, not a whatsapp-web one` } };
      const login = sessions.get(target.connectionId)?.login();
      return { ok: true, ...(login === undefined ? {} : { login }) };
    },
  };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
