import { z } from 'zod';
import { verifyHubSignature } from './hub-signature.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]+$/, 'a header name')
  .transform((name) => name.toLowerCase());

const optionsSchema = z.strictObject({
  // For GitHub-style senders that put the same `sha256=<hex>` value under another header.
  signatureHeader: headerName.default('x-hub-signature-256'),
  // Some GitHub-style senders send bare hex; they set this to ''.
  signaturePrefix: z.string().max(32).default('sha256='),
  eventIdHeader: headerName.default('x-github-delivery'),
});

const defaults = optionsSchema.parse({});

function githubEventId({ headers, options }: EventIdInput): string | undefined {
  const { eventIdHeader } = readOptions(optionsSchema, { options }) ?? defaults;
  return readHeader(headers, eventIdHeader)?.trim() || undefined;
}

/** GitHub and GitHub-style senders: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export const githubVerifier: Verifier = {
  scheme: 'github',
  optionsSchema,
  signatureHeaders: (options) => {
    const { signatureHeader } = readOptions(optionsSchema, { options }) ?? defaults;
    // The legacy SHA-1 header carries a signature too, so it never reaches storage either.
    return [...new Set([signatureHeader, 'x-hub-signature-256', 'x-hub-signature'])];
  },
  secretQueryParams: [],

  verify(input): VerifyResult {
    const options = readOptions(optionsSchema, input);
    if (options === undefined) return { ok: false, reason: 'misconfigured' };
    const match = verifyHubSignature(input, options.signatureHeader, options.signaturePrefix);
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: githubEventId(input) };
  },

  eventId: githubEventId,
};
