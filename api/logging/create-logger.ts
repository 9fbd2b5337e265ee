import { pino, type DestinationStream, type Logger } from 'pino';

/** Paths whose values never reach a log line. */
export const REDACT_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'adminToken',
  '*.adminToken',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'refreshToken',
  '*.refreshToken',
  'refresh_token',
  '*.refresh_token',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'clientSecret',
  '*.clientSecret',
  'password',
  '*.password',
  'pass',
  '*.pass',
  'credentials',
  '*.credentials',
  '*.*.credentials',
  'masterKeys',
  '*.masterKeys',
];

/** The hub's structured logger: JSON lines, ISO times, secrets redacted. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'milestone-hub' },
      timestamp: isoTimeByMillisecond(),
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/**
 * pino's `isoTime` field, formatted once per millisecond: a busy server writes many lines within
 * one, and formatting the date was a visible part of each access line's cost.
 */
function isoTimeByMillisecond(): () => string {
  let lastMs = Number.NaN;
  let field = '';
  return () => {
    const ms = Date.now();
    if (ms !== lastMs) {
      lastMs = ms;
      field = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return field;
  };
}
