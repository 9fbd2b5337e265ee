import { CliError } from './cli-error.ts';
import { encodeQr, qrToText } from './qr-code.ts';

interface Login {
  state: string;
  qr?: string;
  pairingCode?: string;
  phone?: string;
  detail?: string;
}

/** What the command reaches the world through; tests pass the app's fetch and a quick clock. */
export interface LoginIo {
  fetch: (url: string, init: RequestInit) => Promise<Response>;
  write: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
}

const defaultIo: LoginIo = {
  fetch: (url, init) => fetch(url, init),
  write: (text) => process.stdout.write(text),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Links a WhatsApp Web connection from the terminal: asks the running hub for the login state,
 * prints each new QR code as text (and a pairing code when asked for one) until the phone has
 * linked, the link fails or the time runs out. Returns the linked number.
 */
export async function whatsappLogin(
  connectionId: string,
  opts: { url: string; key: string | undefined; pairingPhone?: string; lightBackground?: boolean; timeoutSeconds?: number; pollMs?: number },
  io: LoginIo = defaultIo,
): Promise<string | undefined> {
  if (!opts.key) throw new CliError('give an admin API key with --key or HUB_API_KEY');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(connectionId)) throw new CliError(`"${connectionId}" is not a connection id`);
  const base = opts.url.replace(/\/+$/, '');
  const headers = { Authorization: `Bearer ${opts.key}`, 'Content-Type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown): Promise<Login> => {
    let res: Response;
    try {
      res = await io.fetch(`${base}/v1/connections/${connectionId}/whatsapp-web/${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      throw new CliError(`no hub answers at ${base} (${(err as Error).message}); start it or pass --url`);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text;
      try {
        detail = (JSON.parse(text) as { detail?: string }).detail ?? text;
      } catch {
        // Not problem+json; show it as it came.
      }
      throw new CliError(`the hub answered ${res.status}: ${detail}`);
    }
    return JSON.parse(text) as Login;
  };

  if (opts.pairingPhone !== undefined) {
    const paired = await call('POST', 'pairing-code', { phone: opts.pairingPhone });
    if (paired.pairingCode) io.write(`Pairing code: ${paired.pairingCode}\nOn the phone: WhatsApp → Linked devices → Link a device → Link with phone number instead.\n`);
  }
  const deadline = Date.now() + (opts.timeoutSeconds ?? 300) * 1000;
  let shownQr: string | undefined;
  for (;;) {
    const login = await call('GET', 'login');
    if (login.state === 'ready') {
      io.write(`Linked${login.phone ? ` as ${login.phone}` : ''}.\n`);
      return login.phone;
    }
    if (login.state === 'auth_failed') throw new CliError(`WhatsApp refused the link${login.detail ? ` (${login.detail})` : ''}; try again`);
    if (login.state === 'qr' && login.qr !== undefined && login.qr !== shownQr && opts.pairingPhone === undefined) {
      shownQr = login.qr;
      io.write(`\n${qrToText(encodeQr(login.qr), { lightBackground: opts.lightBackground ?? false })}\n`);
      io.write('Scan with the phone: WhatsApp → Linked devices → Link a device. The code changes about every 20 seconds.\n');
    }
    if (Date.now() > deadline) throw new CliError(`not linked within ${opts.timeoutSeconds ?? 300} seconds (the link is ${login.state})`);
    await io.sleep(opts.pollMs ?? 2000);
  }
}
