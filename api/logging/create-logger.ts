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
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
