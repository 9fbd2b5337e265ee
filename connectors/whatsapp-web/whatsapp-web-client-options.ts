import { join, resolve } from 'node:path';

/** Chromium flags for a headless server: no sandbox (containers), no GPU, no background traffic. */
export const CHROMIUM_ARGS: readonly string[] = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Debian's chromium package. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** What the real client is built with; plain data, so it can be checked without a browser. */
export interface WhatsAppWebClientOptions {
  /** LocalAuth's `dataPath`: `<dataDir>/whatsapp-web/<connectionId>`, so a restart needs no new scan. */
  authDataPath: string;
  /** Where WhatsApp Web's page version is cached, under the data dir rather than the working directory. */
  webCachePath: string;
  puppeteer: { headless: true; executablePath: string; args: string[] };
  deviceName: string;
}

const CONNECTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * The options of one connection's client. The connection id becomes a directory name, so it is
 * checked here: a bad one fails when the session is created, not when the browser starts.
 * @default chromiumPath process.env.HUB_CHROMIUM_PATH ?? '/usr/bin/chromium'
 */
export function whatsappWebClientOptions({
  dataDir,
  connectionId,
  chromiumPath = process.env['HUB_CHROMIUM_PATH'] ?? DEFAULT_CHROMIUM_PATH,
  deviceName = 'Milestone Hub',
}: {
  dataDir: string;
  connectionId: string;
  chromiumPath?: string;
  deviceName?: string;
}): WhatsAppWebClientOptions {
  if (!CONNECTION_ID.test(connectionId)) throw new TypeError(`whatsapp-web: connection id ${JSON.stringify(connectionId)} must be 1-100 letters, digits, _ or -`);
  if (dataDir.trim() === '') throw new TypeError('whatsapp-web: dataDir must not be empty');
  const root = join(resolve(dataDir), 'whatsapp-web');
  return {
    authDataPath: join(root, connectionId),
    webCachePath: join(root, '.web-cache'),
    puppeteer: { headless: true, executablePath: chromiumPath, args: [...CHROMIUM_ARGS] },
    deviceName,
  };
}
