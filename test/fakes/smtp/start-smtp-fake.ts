import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

/** One message the fake accepted, as it came over the wire. */
export interface ReceivedMail {
  /** `MAIL FROM` address. */
  mailFrom: string;
  /** `RCPT TO` addresses, in order. */
  rcptTo: string[];
  /** The exact DATA bytes (dot-unstuffed, without the final `.`). */
  raw: Buffer;
  /** The user that authenticated, when AUTH was used. */
  user: string | undefined;
  /** The queue id the fake answered `250` with. */
  queueId: string;
}

/**
 * How the fake answers from now on:
 * - `accept`: delivers normally;
 * - `reject`: answers `550` to every `RCPT TO` (mailbox unavailable, a permanent failure);
 * - `unavailable`: answers `421` on connect and closes (service not available, a temporary failure).
 */
export type SmtpFakeMode = 'accept' | 'reject' | 'unavailable';

export interface SmtpFakeOptions {
  /** When set, AUTH PLAIN/LOGIN is required and only these credentials pass. @default no AUTH */
  auth?: { user: string; pass: string };
  /** @default 'accept' */
  mode?: SmtpFakeMode;
  /** Largest message accepted (advertised with SIZE, `552` above it). @default 10 MiB */
  maxSizeBytes?: number;
}

export interface SmtpFake {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every accepted message, oldest first. */
  readonly messages: readonly ReceivedMail[];
  /** Number of AUTH attempts that failed. */
  readonly failedLogins: number;
  setMode(mode: SmtpFakeMode): void;
  /** Resolves with the next accepted message (or the first one already there past `after`). */
  waitForMessage(after?: number): Promise<ReceivedMail>;
  clear(): void;
  close(): Promise<void>;
}

/** A loopback port nothing listens on, for "connection refused" tests. */
export async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

const addressOf = (address: SMTPServerAddress | false): string => (address === false ? '' : address.address);

/**
 * Starts a real SMTP server (nodemailer's `smtp-server`) on 127.0.0.1 with an ephemeral port.
 * Plain text only: STARTTLS is not offered, so clients must not require TLS on loopback.
 */
export async function startSmtpFake(options: SmtpFakeOptions = {}): Promise<SmtpFake> {
  const { auth, maxSizeBytes = 10 * 1024 * 1024 } = options;
  let mode: SmtpFakeMode = options.mode ?? 'accept';
  if (!Number.isInteger(maxSizeBytes) || maxSizeBytes < 1) throw new RangeError('startSmtpFake: maxSizeBytes must be a positive integer');
  const messages: ReceivedMail[] = [];
  const waiters: { after: number; resolve: (mail: ReceivedMail) => void }[] = [];
  let failedLogins = 0;
  let sequence = 0;

  const server = new SMTPServer({
    name: 'smtp.fake.test',
    banner: 'Milestone Hub SMTP fake',
    size: maxSizeBytes,
    authOptional: auth === undefined,
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      if (mode === 'unavailable') return callback(smtpError('4.3.2 Service not available, closing transmission channel', 421));
      callback();
    },
    onAuth(attempt, _session, callback) {
      if (auth !== undefined && attempt.username === auth.user && attempt.password === auth.pass) return callback(null, { user: attempt.username });
      failedLogins += 1;
      callback(smtpError('5.7.8 Authentication credentials invalid', 535));
    },
    onRcptTo(address, _session, callback) {
      if (mode === 'reject') return callback(smtpError(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`, 550));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(smtpError('5.3.4 Message size exceeds fixed maximum message size', 552));
        sequence += 1;
        const queueId = `FAKE${String(sequence).padStart(6, '0')}`;
        const mail: ReceivedMail = {
          mailFrom: addressOf(session.envelope.mailFrom),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: typeof session.user === 'string' ? session.user : undefined,
          queueId,
        };
        messages.push(mail);
        for (const waiter of waiters.splice(0)) {
          if (messages.length > waiter.after) waiter.resolve(messages[waiter.after]!);
          else waiters.push(waiter);
        }
        callback(null, `2.0.0 Ok: queued as ${queueId}`);
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client dropping mid-session (as the "wrong password" tests do) is not a fake failure.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    get failedLogins() {
      return failedLogins;
    },
    setMode(next) {
      mode = next;
    },
    waitForMessage(after = messages.length) {
      if (messages.length > after) return Promise.resolve(messages[after]!);
      return new Promise((resolve) => waiters.push({ after, resolve }));
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
