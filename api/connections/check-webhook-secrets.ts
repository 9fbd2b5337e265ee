import type { Connector } from '../../connectors/index.ts';
import { verifierFor } from '../../webhooks/verifiers/index.ts';
import type { FieldError } from '../errors/index.ts';

/**
 * Secrets the connection's webhook scheme would never accept (a `url-token` secret is the only
 * credential of a request, so it must be long enough not to be guessed), located in the body.
 */
export function checkWebhookSecrets(connector: Connector, config: unknown, secrets: readonly { value: string }[], path: (index: number) => string): FieldError[] {
  const scheme = connector.webhookSettings(config)?.scheme;
  const min = scheme === undefined ? undefined : verifierFor(scheme)?.minSecretLength;
  if (min === undefined) return [];
  return secrets.flatMap((s, i) =>
    s.value.length >= min ? [] : [{ path: path(i), code: 'too_short', message: `the ${scheme} scheme needs secrets of at least ${min} characters` }],
  );
}
