import { z } from 'zod';
import { bytesEqual } from './bytes-equal.ts';
import { decodeBase64, decodeHex } from './decode.ts';
import { hmac, sha256 } from './digest.ts';
import { matchSecret } from './match-secret.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import type { EventIdInput, HeaderSource, Verifier, VerifyResult } from './types.ts';

const sha1Bytes = 20;
const optionsSchema = z.strictObject({});
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isFormPost(headers: HeaderSource): boolean {
  const contentType = readHeader(headers, 'content-type') ?? '';
  return contentType.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function formParams(rawBody: Uint8Array): URLSearchParams | undefined {
  try {
    return new URLSearchParams(utf8.decode(rawBody));
  } catch {
    return undefined;
  }
}

/**
 * The string Twilio signs: the URL, then each POST parameter as key+value, keys sorted.
 * A repeated key contributes each distinct value once, values sorted, as Twilio's own helpers do.
 */
export function twilioSignedString(url: string, params?: URLSearchParams): string {
  const grouped = new Map<string, Set<string>>();
  for (const [key, value] of params ?? []) {
    const values = grouped.get(key) ?? new Set<string>();
    values.add(value);
    grouped.set(key, values);
  }
  let data = url;
  for (const key of [...grouped.keys()].sort()) {
    for (const value of [...(grouped.get(key) ?? [])].sort()) data += key + value;
  }
  return data;
}

/**
 * The URLs Twilio may have signed for a request to `url`: Twilio drops any user:password, and
 * keeps or drops the port depending on the product, so its own helpers accept each form.
 */
export function twilioUrlVariants(url: string): string[] {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return [url];
  const authorityStart = schemeEnd + 3;
  let authorityEnd = url.length;
  for (const delimiter of ['/', '?', '#']) {
    const at = url.indexOf(delimiter, authorityStart);
    if (at >= 0 && at < authorityEnd) authorityEnd = at;
  }
  const authority = url.slice(authorityStart, authorityEnd);
  const userinfo = authority.slice(0, authority.lastIndexOf('@') + 1);
  const hostPort = authority.slice(userinfo.length);
  const hostEnd = hostPort.startsWith('[') ? hostPort.indexOf(']') + 1 : hostPort.lastIndexOf(':');
  const host = hostEnd > 0 && hostEnd < hostPort.length ? hostPort.slice(0, hostEnd) : hostPort;
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  const defaultPort = scheme === 'https' ? '443' : scheme === 'http' ? '80' : undefined;
  const hostForms = [hostPort, host];
  if (host === hostPort && defaultPort !== undefined) hostForms.push(`${host}:${defaultPort}`);

  const start = url.slice(0, authorityStart);
  const rest = url.slice(authorityEnd);
  const variants = [url];
  for (const prefix of [userinfo, '']) {
    for (const hostForm of hostForms) variants.push(start + prefix + hostForm + rest);
  }
  return [...new Set(variants)];
}

function twilioEventId({ rawBody, headers }: EventIdInput): string | undefined {
  // Stays the same across Twilio's retries of one webhook, unlike anything in the body.
  const token = readHeader(headers, 'i-twilio-idempotency-token')?.trim();
  if (token) return token;
  if (!isFormPost(headers)) return undefined;
  const params = formParams(rawBody);
  const sid = params?.get('MessageSid') || params?.get('SmsSid');
  if (!sid) return undefined;
  // Status callbacks repeat the MessageSid for each status; without it "delivered" would dedupe away "sent".
  const status = params?.get('MessageStatus') || params?.get('SmsStatus');
  return status ? `${sid}:${status}` : sid;
}

/**
 * Twilio: `X-Twilio-Signature` is the base64 HMAC-SHA1, keyed with the auth token, of the full URL
 * plus the sorted form parameters; a JSON body is instead covered by `bodySHA256` in the signed URL.
 */
export const twilioVerifier: Verifier = {
  scheme: 'twilio',
  optionsSchema,
  signatureHeaders: () => ['x-twilio-signature'],
  secretQueryParams: [],

  verify(input): VerifyResult {
    if (readOptions(optionsSchema, input) === undefined) return { ok: false, reason: 'misconfigured' };
    const header = readHeader(input.headers, 'x-twilio-signature')?.trim();
    if (!header) return { ok: false, reason: 'missing_signature' };
    const signature = decodeBase64(header);
    if (signature?.byteLength !== sha1Bytes) return { ok: false, reason: 'malformed_signature' };
    if (!URL.canParse(input.url)) return { ok: false, reason: 'bad_request' };

    let params: URLSearchParams | undefined;
    const bodyHashText = new URL(input.url).searchParams.get('bodySHA256');
    if (bodyHashText !== null) {
      const bodyHash = decodeHex(bodyHashText);
      if (bodyHash === undefined) return { ok: false, reason: 'malformed_signature' };
      if (!bytesEqual(bodyHash, sha256(input.rawBody))) return { ok: false, reason: 'bad_signature' };
    } else if (isFormPost(input.headers)) {
      params = formParams(input.rawBody);
      if (params === undefined) return { ok: false, reason: 'bad_request' };
    } else if (input.rawBody.byteLength > 0) {
      // Nothing would cover these bytes: the signature only spans the URL.
      return { ok: false, reason: 'bad_request' };
    }

    const signedStrings = twilioUrlVariants(input.url).map((url) => twilioSignedString(url, params));
    const match = matchSecret(input.secrets, input.now, [signature], (authToken) =>
      signedStrings.map((data) => hmac('sha1', authToken, data)),
    );
    if (!match.ok) return match;
    return { ok: true, secretIndex: match.secretIndex, eventId: twilioEventId(input) };
  },

  eventId: twilioEventId,
};
