import { z } from 'zod';
import { verifyHubSignature } from './hub-signature.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const optionsSchema = z.strictObject({});

function jiraEventId({ headers }: EventIdInput): string | undefined {
  return readHeader(headers, 'x-atlassian-webhook-identifier')?.trim() || undefined;
}

/**
 * Jira admin webhooks with a secret: WebSub `X-Hub-Signature: sha256=<hex>` over the raw body.
 * The webhook identifier stays the same across Jira's retries, which makes it the dedupe key.
 */
export const jiraVerifier: Verifier = {
  scheme: 'jira',
  optionsSchema,
  signatureHeaders: () => ['x-hub-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    if (readOptions(optionsSchema, input) === undefined) return { ok: false, reason: 'misconfigured' };
    const match = verifyHubSignature(input, 'x-hub-signature', 'sha256=');
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: jiraEventId(input) };
  },

  eventId: jiraEventId,
};
