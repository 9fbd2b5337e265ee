import { checkOutboundUrl, issuePathOf, type Connector } from '../../connectors/index.ts';
import { verifierFor } from '../../webhooks/verifiers/index.ts';
import type { Services } from '../app-env.ts';
import type { FieldError } from '../errors/index.ts';
import { fieldErrors } from './field-errors.ts';

/** Config and credentials fit to store, or every problem with them, located in the request body. */
export type SettingsValidation =
  | { ok: true; config: Record<string, unknown>; credentials: Record<string, unknown> }
  | { ok: false; errors: FieldError[] };

/**
 * Checks what a connection is about to store: config and credentials against the connector's
 * schemas, its webhook verifier's options, and every outbound URL against the private-address
 * policy (resolving host names now; calls re-check each connection). Messages never echo values.
 */
export async function validateConnectionSettings(services: Services, connector: Connector, input: { config: unknown; credentials: unknown }): Promise<SettingsValidation> {
  const config = connector.parseConfig(input.config);
  if (!config.ok) {
    const credentials = connector.parseCredentials(input.credentials, undefined);
    return { ok: false, errors: [...fieldErrors('config', config.issues), ...(credentials.ok ? [] : fieldErrors('credentials', credentials.issues))] };
  }
  const errors: FieldError[] = [];
  const credentials = connector.parseCredentials(input.credentials, config.value);
  if (!credentials.ok) errors.push(...fieldErrors('credentials', credentials.issues));

  const settings = connector.webhookSettings(config.value);
  if (settings !== undefined) {
    const verifier = verifierFor(settings.scheme);
    const options = verifier?.optionsSchema.safeParse(settings.options);
    if (verifier === undefined) errors.push({ path: 'config', code: 'unknown_scheme', message: `no verifier for the webhook scheme "${settings.scheme}"` });
    else if (options !== undefined && !options.success) {
      const top = config.value as Record<string, unknown>;
      for (const issue of options.error.issues) {
        const path = issuePathOf(issue.path);
        const first = String(issue.path[0] ?? '');
        errors.push({ path: first !== '' && Object.hasOwn(top, first) ? `config.${path}` : `config.options${path === '' ? '' : `.${path}`}`, code: issue.code, message: issue.message });
      }
    }
  }

  for (const { path, url } of connector.outboundUrls(config.value)) {
    const checked = await checkOutboundUrl(url, { allowPrivate: services.config.allowPrivateUrls });
    if (!checked.ok) errors.push({ path: path === '' ? 'config' : `config.${path}`, code: checked.reason, message: checked.message });
  }
  if (errors.length > 0 || !credentials.ok) return { ok: false, errors };
  return { ok: true, config: config.value as Record<string, unknown>, credentials: credentials.value as Record<string, unknown> };
}
