import { AuthExpiredError, TransientVendorError, type CheckResult } from '../sdk/index.ts';
import type { WhatsAppWebState } from './whatsapp-web-gateway.ts';

/** The parts of a session's link (`WhatsAppWebLogin`) its state is told from. */
interface LinkView {
  state: WhatsAppWebState;
  detail?: string;
  phone?: string;
  pairingCode?: string;
}

/**
 * What the hub recorded of a connection's link: `linked` (its saved login lets the session resume
 * without a scan), `needs_relink` (that login stopped working), or `none` (never linked).
 */
export type WhatsAppWebRecordedLink = { state: 'linked'; phone?: string } | { state: 'needs_relink'; reason?: string } | { state: 'none' };

/** `disconnected` reasons of whatsapp-web.js that mean the phone unlinked this device (its saved login is gone). */
const LOGGED_OUT_REASONS: ReadonlySet<string> = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

/** Whether a session's link stands as logged out by the phone. */
export const isLoggedOut = (login: Pick<LinkView, 'state' | 'detail'>): boolean => login.state === 'disconnected' && LOGGED_OUT_REASONS.has(login.detail ?? '');

const DEFAULT_RELINK_REASON = 'the saved login no longer works';

/** Why a link was lost, in words for the connection's last check and the log; never the QR code. */
export function relinkReason(login: Pick<LinkView, 'state' | 'detail'>): string {
  const detail = login.detail === undefined ? '' : ` (${login.detail.slice(0, 100)})`;
  switch (login.state) {
    case 'qr':
      return 'WhatsApp Web asked for a new QR code, so the saved login no longer works';
    case 'auth_failed':
      return `WhatsApp Web refused the saved login${detail}`;
    case 'disconnected':
      return `the phone logged this device out${detail}`;
    default:
      return `the link is ${login.state}${detail}`;
  }
}

/** What a connection that needs linking again says, with what to do about it. */
export const notLinkedMessage = (reason = DEFAULT_RELINK_REASON): string => `not linked: ${reason}; scan the QR code or enter the pairing code on the phone`;

const NEVER_LINKED = 'not linked yet: open the link of this connection, then scan the QR code or enter the pairing code on the phone';

/**
 * The error a send fails with when its connection's session is not running. A connection that
 * needs a new link, or was never linked, cannot send until someone links it: AuthExpiredError,
 * which the notifier does not retry and passes on to the next channel at once. A linked one whose
 * session is not running yet (reopening from its saved login), or one whose record is unknown,
 * fails with a TransientVendorError and is retried.
 */
export function sessionNotRunningError(recorded: WhatsAppWebRecordedLink | undefined): Error {
  switch (recorded?.state) {
    case 'needs_relink':
      return new AuthExpiredError(`whatsapp-web: ${notLinkedMessage(recorded.reason)}`);
    case 'none':
      return new AuthExpiredError(`whatsapp-web: ${NEVER_LINKED}`);
    default:
      return new TransientVendorError('whatsapp-web: the session of this connection is not running');
  }
}

/**
 * What the connection test says of a WhatsApp Web connection: from its session's link when one
 * runs (`login`), else from what was recorded of it (`recorded`, undefined when unknown). Passes
 * only when the session is ready to send. Never includes the QR code.
 */
export function whatsAppWebCheckOf(login: LinkView | undefined, recorded: WhatsAppWebRecordedLink | undefined): CheckResult {
  const detail = login?.detail === undefined ? '' : ` (${login.detail.slice(0, 100)})`;
  const linkedAs = recorded?.state === 'linked' ? `linked as ${recorded.phone ?? 'the phone'}` : undefined;
  if (login === undefined || login.state === 'stopped') {
    switch (recorded?.state) {
      case 'needs_relink':
        return { ok: false, code: 'auth_failed', message: notLinkedMessage(recorded.reason) };
      case 'none':
        return { ok: false, code: 'auth_failed', message: NEVER_LINKED };
      case 'linked':
        return {
          ok: false,
          code: 'unreachable',
          message: `${linkedAs}, but the session is not running; it reopens from its saved login when the process that drives WhatsApp Web starts, or when the link is opened`,
        };
      default:
        return { ok: false, code: 'unreachable', message: 'the session is not running; open it to link the phone' };
    }
  }
  switch (login.state) {
    case 'ready':
      return { ok: true, message: `linked as ${login.phone ?? (recorded?.state === 'linked' ? recorded.phone : undefined) ?? 'the phone'}` };
    case 'starting':
      return { ok: false, code: 'unreachable', message: linkedAs === undefined ? 'the session is starting' : `the session is starting; ${linkedAs}, it resumes from its saved login` };
    case 'authenticated':
      return { ok: false, code: 'unreachable', message: 'the session is logged in and loading its chats' };
    case 'qr':
      return {
        ok: false,
        code: 'auth_failed',
        message: login.pairingCode === undefined ? 'not linked: waiting for the QR code to be scanned on the phone' : 'not linked: waiting for the pairing code to be entered on the phone',
      };
    case 'auth_failed':
      return { ok: false, code: 'auth_failed', message: notLinkedMessage(relinkReason(login)) };
    case 'disconnected':
      if (isLoggedOut(login)) return { ok: false, code: 'auth_failed', message: notLinkedMessage(relinkReason(login)) };
      return { ok: false, code: 'unreachable', message: `the session dropped${detail}; it reopens from its saved login when the process that drives WhatsApp Web restarts` };
  }
}
