export { createLogger, REDACT_PATHS } from './create-logger.ts';
