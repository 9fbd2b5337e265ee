import { isLoggedOut, relinkReason, type WhatsAppWebLogin, type WhatsAppWebSession, type WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import type { Store } from '../../core/store/index.ts';
import { linkedWhatsAppWebConnections, type LinkedWhatsAppWebConnection } from './whatsapp-web-link-record.ts';

/** What became of one linked connection's session. */
export type WhatsAppWebRestoreOutcome =
  /** Resumed from its saved login and ready to send. */
  | 'ready'
  /** The saved login no longer works: the session closed (the sessions' recorder marks the connection as needing a new link). */
  | 'needs_relink'
  /** The session could not start or dropped while resuming (not a login problem); closed. */
  | 'failed'
  /** Still loading after `settleMs` (or at stop): left running, and closed later should it ask for a QR code. */
  | 'pending'
  /** Not tried or let go: a session was already running, this process stopped driving WhatsApp Web, or the session was closed meanwhile. */
  | 'skipped';

export interface WhatsAppWebRestoreResult extends LinkedWhatsAppWebConnection {
  outcome: WhatsAppWebRestoreOutcome;
}

/** A restore under way, started by `startWhatsAppWebRestore`. */
export interface WhatsAppWebRestore {
  /** Settles with every connection's outcome; never rejects. */
  done: Promise<WhatsAppWebRestoreResult[]>;
  /**
   * Stops opening sessions and waiting for those resuming, and settles once none is being opened.
   * Sessions already open stay, still closed should one ask for a QR code.
   */
  stop(): Promise<void>;
}

/** Where a restore reports, pino's way round (fields, then message); a pino logger is one. */
export interface WhatsAppWebRestoreLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface WhatsAppWebRestoreOptions {
  logger?: WhatsAppWebRestoreLogger;
  /** How many sessions resume at once; each is a browser. @default 2 */
  concurrency?: number;
  /** How long one session may take to become ready (or to refuse) before the next one starts. @default 120000 */
  settleMs?: number;
}

const silent: WhatsAppWebRestoreLogger = { info: () => undefined, warn: () => undefined };

type Settled = { outcome: 'ready' } | { outcome: 'needs_relink'; reason: string } | { outcome: 'failed'; reason: string } | { outcome: 'stopped' };

/** What a login means to a resuming session, or undefined while it still loads. */
function settledOf(login: WhatsAppWebLogin): Settled | undefined {
  switch (login.state) {
    case 'ready':
      return { outcome: 'ready' };
    case 'qr':
    case 'auth_failed':
      return { outcome: 'needs_relink', reason: relinkReason(login) };
    case 'disconnected':
      return isLoggedOut(login)
        ? { outcome: 'needs_relink', reason: relinkReason(login) }
        : { outcome: 'failed', reason: `the session dropped while resuming${login.detail === undefined ? '' : ` (${login.detail.slice(0, 100)})`}` };
    case 'stopped':
      return { outcome: 'stopped' };
    default:
      return undefined;
  }
}

/** Settles once the session is ready, refused, dropped or stopped. */
function settled(session: WhatsAppWebSession): Promise<Settled> {
  const now = settledOf(session.login());
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve) => {
    const off = session.onLoginChange((login) => {
      const next = settledOf(login);
      if (next === undefined) return;
      off();
      resolve(next);
    });
  });
}

/**
 * Reopens the sessions of the WhatsApp Web connections recorded as linked
 * (`linkedWhatsAppWebConnections`), so they send again after a restart, or in the process that
 * took over driving WhatsApp Web, without anyone scanning a QR code: the browser resumes from the
 * login it saved. A session that asks for a QR code or is refused instead is closed, so no browser
 * waits for a scan nobody makes; `sessions` are those of `recordWhatsAppWebLinks`, which record its
 * connection as needing a new link (`needs_relink`) before the close ends. Sessions resume `concurrency` at a time; one that fails, or a store that cannot be read,
 * is logged (never the QR code) and stops nothing else. `active` is asked before and after each
 * open: once false, nothing more opens and a session opened meanwhile is closed again.
 */
export function startWhatsAppWebRestore({
  sessions,
  store,
  logger = silent,
  concurrency = 2,
  settleMs = 120_000,
  active = () => true,
}: WhatsAppWebRestoreOptions & { sessions: WhatsAppWebSessions; store: Store; active?: () => boolean }): WhatsAppWebRestore {
  if (!(Number.isInteger(concurrency) && concurrency > 0)) throw new RangeError(`whatsapp-web restore: concurrency must be a positive whole number, not ${concurrency}`);
  if (!(Number.isFinite(settleMs) && settleMs > 0)) throw new RangeError(`whatsapp-web restore: settleMs must be a positive number, not ${settleMs}`);
  let stopped = false;
  const going = (): boolean => !stopped && active();
  // Ends the wait for a resuming session at once on stop, rather than after `settleMs`.
  let wake = (): void => undefined;
  const woken = new Promise<'pending'>((resolve) => (wake = () => resolve('pending')));

  /** Closes the session when it is still the one running for its connection. */
  async function closeIfRunning(session: WhatsAppWebSession): Promise<void> {
    if (sessions.get(session.connectionId) !== session) return;
    await sessions.close(session.connectionId).catch((err: unknown) => logger.warn({ connectionId: session.connectionId, err: { message: messageOf(err) } }, 'whatsapp-web: closing a session failed'));
  }

  /** Acts on how the session settled; the outcome it leaves. */
  async function conclude(conn: LinkedWhatsAppWebConnection, session: WhatsAppWebSession, end: Settled): Promise<WhatsAppWebRestoreOutcome> {
    const where = { tenantId: conn.tenantId, connectionId: conn.connectionId };
    switch (end.outcome) {
      case 'ready':
        logger.info(where, 'whatsapp-web: session resumed from its saved login');
        return 'ready';
      case 'needs_relink':
        await closeIfRunning(session);
        logger.warn({ ...where, reason: end.reason }, 'whatsapp-web: the saved login no longer works; the connection needs linking again');
        return 'needs_relink';
      case 'failed':
        await closeIfRunning(session);
        logger.warn({ ...where, reason: end.reason }, 'whatsapp-web: the session could not resume; it opens again when someone links or the process restarts');
        return 'failed';
      case 'stopped':
        return 'skipped';
    }
  }

  async function restoreOne(conn: LinkedWhatsAppWebConnection): Promise<WhatsAppWebRestoreOutcome> {
    const where = { tenantId: conn.tenantId, connectionId: conn.connectionId };
    if (!going() || sessions.get(conn.connectionId) !== undefined) return 'skipped';
    let session: WhatsAppWebSession;
    try {
      session = await sessions.open(conn.connectionId, conn.deviceName === undefined ? {} : { deviceName: conn.deviceName });
    } catch (err) {
      logger.warn({ ...where, err: { message: messageOf(err) } }, 'whatsapp-web: the session could not start; it opens again when someone links or the process restarts');
      return 'failed';
    }
    // Another process may drive WhatsApp Web by now: two sessions of one account log each other out.
    if (!going()) {
      await closeIfRunning(session);
      return 'skipped';
    }
    const end = settled(session);
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([end, woken, new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), settleMs).unref()))]);
    clearTimeout(timer);
    if (first !== 'pending') return conclude(conn, session, first);
    // Let the next one start; this one is still watched, so a late QR code closes it too.
    if (!stopped) logger.info({ ...where, waitedMs: settleMs }, 'whatsapp-web: session still resuming; it is closed should it ask for a QR code');
    void end.then((late) => conclude(conn, session, late)).catch((err: unknown) => logger.warn({ ...where, err: { message: messageOf(err) } }, 'whatsapp-web: resuming a session failed'));
    return 'pending';
  }

  async function run(): Promise<WhatsAppWebRestoreResult[]> {
    let linked: LinkedWhatsAppWebConnection[];
    try {
      linked = await linkedWhatsAppWebConnections(store);
    } catch (err) {
      logger.warn({ err: { message: messageOf(err) } }, 'whatsapp-web: the linked connections could not be read; their sessions open when someone links them');
      return [];
    }
    const queue = [...linked];
    const results: WhatsAppWebRestoreResult[] = [];
    const lane = async (): Promise<void> => {
      for (let conn = queue.shift(); conn !== undefined; conn = queue.shift()) {
        let outcome: WhatsAppWebRestoreOutcome;
        try {
          outcome = await restoreOne(conn);
        } catch (err) {
          logger.warn({ tenantId: conn.tenantId, connectionId: conn.connectionId, err: { message: messageOf(err) } }, 'whatsapp-web: resuming a session failed');
          outcome = 'failed';
        }
        results.push({ ...conn, outcome });
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
    return results;
  }

  const done = run();
  return {
    done,
    async stop() {
      stopped = true;
      wake();
      await done;
    },
  };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);
