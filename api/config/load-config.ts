import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { generateMasterKey, parseMasterKeys, type VaultKey } from '../../core/vault/index.ts';

const SECRET_VARS = new Set(['HUB_MASTER_KEY', 'HUB_ADMIN_TOKEN', 'MONGODB_URI', 'REDIS_URL']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting the hub reads from its environment, with defaults. Documented in the README. */
export const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be between 1 and 65535' })
    .max(65535, { error: 'must be between 1 and 65535' })
    .default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  HUB_DATA_DIR: z.string().min(1, { error: 'must not be empty' }).default('./data'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, { error: 'must start with mongodb:// or mongodb+srv://' })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^\s]+$/, { error: 'must start with redis:// or rediss://' })
    .default('redis://127.0.0.1:6379'),
  HUB_MASTER_KEY: z.string().optional(),
  HUB_ADMIN_TOKEN: z.string().min(24, { error: 'must be at least 24 characters' }).optional(),
  HUB_PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://hub.example.com' }).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  HUB_ALLOW_PRIVATE_URLS: bool.default(false),
  HUB_BODY_LIMIT_BYTES: z.coerce.number({ error: 'must be a number of bytes' }).int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
  HUB_QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be 1-32 letters, digits, _ or -' }).default('hub'),
  HUB_EMBEDDED_REDIS: z.enum(['auto', 'never'], { error: 'must be auto or never' }).default('auto'),
  // Providers retry for up to three days, so a shorter dedupe window would let a retry through twice.
  HUB_WEBHOOK_DEDUPE_HOURS: z.coerce
    .number({ error: 'must be a number of hours' })
    .int({ error: 'must be a whole number of hours' })
    .min(72, { error: 'must be at least 72 (providers retry for up to three days)' })
    .max(24 * 366, { error: 'must be at most 8784 (one year)' })
    .default(72),
});

export interface HubConfig {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | undefined;
  redisUrl: string;
  masterKeys: VaultKey[];
  adminToken: string;
  publicUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  allowPrivateUrls: boolean;
  bodyLimitBytes: number;
  queuePrefix: string;
  embeddedRedis: 'auto' | 'never';
  /** How long a webhook's event id is remembered for dedupe, counted from its receipt. @default 72 */
  webhookDedupeHours: number;
  /** True when MONGODB_URI is unset: one process, embedded store. */
  embedded: boolean;
}

export type ConfigResult =
  | { ok: true; config: HubConfig; generated: { adminToken?: string; masterKey?: boolean } }
  | { ok: false; error: string };

/**
 * Reads and validates the environment. In embedded mode a missing master key and admin token are
 * generated once into `<data dir>/secrets` (mode 0600); with MongoDB both must be given.
 * Errors are one line naming the variable.
 */
export function loadConfig(env: Record<string, string | undefined>, options: { cwd?: string } = {}): ConfigResult {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    // Values that may carry credentials are never echoed.
    const shown = SECRET_VARS.has(name) ? '' : ` (got "${String(cleaned[name]).slice(0, 80)}")`;
    return { ok: false, error: `${name} ${issue.message}${shown}` };
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.HUB_DATA_DIR) ? e.HUB_DATA_DIR : resolve(options.cwd ?? process.cwd(), e.HUB_DATA_DIR);
  const embedded = !e.MONGODB_URI;
  const generated: { adminToken?: string; masterKey?: boolean } = {};

  let masterKey = e.HUB_MASTER_KEY;
  let adminToken = e.HUB_ADMIN_TOKEN;
  if (!embedded) {
    if (!masterKey) return { ok: false, error: 'HUB_MASTER_KEY is required when MONGODB_URI is set (generate one: openssl rand -base64 32)' };
    if (!adminToken) return { ok: false, error: 'HUB_ADMIN_TOKEN is required when MONGODB_URI is set (at least 24 characters)' };
  } else if (!masterKey || !adminToken) {
    const secretsDir = join(dataDir, 'secrets');
    try {
      mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
      if (!masterKey) {
        const r = readOrCreate(join(secretsDir, 'master.key'), () => generateMasterKey('k1'));
        masterKey = r.value;
        if (r.created) generated.masterKey = true;
      }
      if (!adminToken) {
        const r = readOrCreate(join(secretsDir, 'admin.token'), () => `hat_${randomBytes(32).toString('base64url')}`);
        adminToken = r.value;
        if (r.created) generated.adminToken = r.value;
      }
    } catch (err) {
      return { ok: false, error: `HUB_DATA_DIR ${dataDir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  const keys = parseMasterKeys(masterKey);
  if (!keys.ok) return { ok: false, error: `HUB_MASTER_KEY ${keys.error}` };
  if (adminToken.length < 24) return { ok: false, error: 'HUB_ADMIN_TOKEN must be at least 24 characters' };

  return {
    ok: true,
    generated,
    config: {
      port: e.PORT,
      host: e.HOST,
      dataDir,
      mongodbUri: e.MONGODB_URI,
      redisUrl: e.REDIS_URL,
      masterKeys: keys.keys,
      adminToken,
      publicUrl: (e.HUB_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
      logLevel: e.LOG_LEVEL,
      allowPrivateUrls: e.HUB_ALLOW_PRIVATE_URLS,
      bodyLimitBytes: e.HUB_BODY_LIMIT_BYTES,
      queuePrefix: e.HUB_QUEUE_PREFIX,
      embeddedRedis: e.HUB_EMBEDDED_REDIS,
      webhookDedupeHours: e.HUB_WEBHOOK_DEDUPE_HOURS,
      embedded,
    },
  };
}

function readOrCreate(path: string, make: () => string): { value: string; created: boolean } {
  if (existsSync(path)) return { value: readFileSync(path, 'utf8').trim(), created: false };
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { value, created: true };
}

/** Why `hub <mode>` cannot run on `config`, or undefined: `api` and `worker` are scale-out processes, which the embedded store (one process) cannot serve. */
export function processModeProblem(mode: 'all' | 'api' | 'worker', config: Pick<HubConfig, 'embedded'>): string | undefined {
  if (mode === 'all' || !config.embedded) return undefined;
  return `hub ${mode} is for scale-out on MongoDB and needs MONGODB_URI; the embedded store serves one process, so use hub start`;
}
