export { connectorsOf } from './connectors-of.ts';
export { outboundOf } from './outbound-of.ts';
export { fieldErrors } from './field-errors.ts';
export { validateConnectionSettings, type SettingsValidation } from './validate-connection-settings.ts';
export { connectionContext, type ConnectionContextResult } from './connection-context.ts';
export { vendorProblem } from './vendor-problem.ts';
export { checkWebhookSecrets } from './check-webhook-secrets.ts';
