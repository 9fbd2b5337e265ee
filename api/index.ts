export { createApp, type HubApp, type RegisterRoutes } from './create-app.ts';
export type { AppEnv, AuthContext, ReadinessCheck, Services } from './app-env.ts';
export { ApiError, type ApiErrorCode, type FieldError } from './errors/index.ts';
export { loadConfig, envSchema, type HubConfig } from './config/index.ts';
export { requireAuth } from './middleware/require-auth.ts';
export { IdParam, ProblemSchema, bearerSecurity, pageOf, problemResponses } from './openapi/index.ts';
export { startHub, StartupError, lockDataDir, SECRET_COLLECTIONS, type HubMode, type RunningHub } from './runtime/index.ts';
export { createLogger, REDACT_PATHS } from './logging/index.ts';
