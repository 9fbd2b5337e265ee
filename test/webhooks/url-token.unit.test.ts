import { describe, expect, it } from 'vitest';
import { storedUrl } from '../../webhooks/stored-request.ts';
import { verifierFor, verifiers, type VerifyInput, type WebhookSecret } from '../../webhooks/verifiers/index.ts';

const verifier = verifiers['url-token'];
const encoder = new TextEncoder();
const now = new Date('2025-03-31T05:00:00.000Z');
const endpoint = 'https://hub.example.in/v1/hooks/con_01HX';
const current = 'dlr-token-3f9c1a7e5b2d4c60';
const previous = 'dlr-token-old-8e21b7c94d0a';
const body = JSON.stringify({ requestId: '3563646a6c6b313131', number: '919876543210', senderId: 'MSTONE', status: '1', desc: 'DELIVERED' });

function request(overrides: { query?: string; secrets?: WebhookSecret[]; options?: Record<string, unknown>; now?: Date } = {}): VerifyInput {
  const query = overrides.query ?? `token=${encodeURIComponent(current)}`;
  return {
    rawBody: encoder.encode(body),
    headers: { 'content-type': 'application/json' },
    url: query === '' ? endpoint : `${endpoint}?${query}`,
    secrets: overrides.secrets ?? [{ value: current }],
    now: overrides.now ?? now,
    ...(overrides.options === undefined ? {} : { options: overrides.options }),
  };
}

describe('url-token verifier', () => {
  it('is registered under its scheme id', () => {
    expect(verifierFor('url-token')).toBe(verifier);
    expect(verifier.scheme).toBe('url-token');
  });

  it('accepts the connection secret in the token parameter, naming the secret and no event id', () => {
    expect(verifier.verify(request())).toEqual({ ok: true, secretIndex: 0 });
    expect(verifier.eventId(request())).toBeUndefined();
  });

  it('reads a percent-encoded token and leaves other parameters alone', () => {
    const secret = 'a+b/c=d&e f?g#h-0123456789';
    const query = `foo=bar&token=${encodeURIComponent(secret)}&x=1`;
    expect(verifier.verify(request({ query, secrets: [{ value: secret }] }))).toEqual({ ok: true, secretIndex: 0 });
  });

  it('refuses a wrong token, one differing in a single character, and a prefix of the secret', () => {
    for (const token of ['not-the-token-at-all-000', `${current.slice(0, -1)}x`, current.slice(0, 16), `${current}0`]) {
      expect(verifier.verify(request({ query: `token=${encodeURIComponent(token)}` })), token).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('refuses a request without the token, with an empty one, or with it only in another parameter', () => {
    for (const query of ['', 'token=', 'foo=bar', `tok=${current}`, `Token=${current}`]) {
      expect(verifier.verify(request({ query })), query).toEqual({ ok: false, reason: 'missing_signature' });
    }
  });

  it('does not take a token from a header or the body', () => {
    const input = { ...request({ query: '' }), headers: { 'x-hub-token': current, token: current }, rawBody: encoder.encode(`token=${current}`) };
    expect(verifier.verify(input)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('takes one guess per request: a repeated token parameter is refused even when one value is right', () => {
    expect(verifier.verify(request({ query: `token=wrong-guess-000000000&token=${current}` }))).toEqual({ ok: false, reason: 'malformed_signature' });
  });

  it('skips an expired secret, and says so when no secret is active', () => {
    const expired = { value: current, notAfter: new Date(now.getTime() - 1) };
    expect(verifier.verify(request({ secrets: [expired] }))).toEqual({ ok: false, reason: 'no_active_secret' });
    expect(verifier.verify(request({ secrets: [expired, { value: 'another-long-secret-000' }] }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifier.verify(request({ secrets: [{ value: current, notAfter: new Date('not a date') }] }))).toEqual({ ok: false, reason: 'no_active_secret' });
    expect(verifier.verify(request({ secrets: [] }))).toEqual({ ok: false, reason: 'no_active_secret' });
  });

  it('accepts the old and the new token while a rotation overlaps, and only the new one after', () => {
    const secrets = [{ value: previous, notAfter: new Date(now.getTime() + 3600_000) }, { value: current }];
    expect(verifier.verify(request({ secrets, query: `token=${previous}` }))).toEqual({ ok: true, secretIndex: 0 });
    expect(verifier.verify(request({ secrets, query: `token=${current}` }))).toEqual({ ok: true, secretIndex: 1 });
    const after = new Date(now.getTime() + 3600_001);
    expect(verifier.verify(request({ secrets, query: `token=${previous}`, now: after }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifier.verify(request({ secrets, query: `token=${current}`, now: after }))).toEqual({ ok: true, secretIndex: 1 });
  });

  it('never matches a secret too short to be guess-proof, and reports a connection with only such secrets as misconfigured', () => {
    const short = 'short-secret';
    expect(verifier.verify(request({ secrets: [{ value: short }], query: `token=${short}` }))).toEqual({ ok: false, reason: 'misconfigured' });
    expect(verifier.verify(request({ secrets: [{ value: short }, { value: current }], query: `token=${short}` }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifier.verify(request({ secrets: [{ value: '' }], query: 'token=' }))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('reads the token from a configured parameter, and refuses options it does not know', () => {
    expect(verifier.optionsSchema.safeParse({}).success).toBe(true);
    expect(verifier.verify(request({ options: { tokenParam: 'key' }, query: `key=${current}` }))).toEqual({ ok: true, secretIndex: 0 });
    expect(verifier.verify(request({ options: { tokenParam: 'key' }, query: `token=${current}` }))).toEqual({ ok: false, reason: 'missing_signature' });
    // A parameter outside the closed list would not be dropped from stored URLs.
    expect(verifier.optionsSchema.safeParse({ tokenParam: 'requestId' }).success).toBe(false);
    expect(verifier.verify(request({ options: { tokenParam: 'requestId' } }))).toEqual({ ok: false, reason: 'misconfigured' });
    expect(verifier.verify(request({ options: { tokenParam: 'token', extra: true } }))).toEqual({ ok: false, reason: 'misconfigured' });
  });

  it('refuses a URL it cannot parse', () => {
    expect(verifier.verify({ ...request(), url: `/v1/hooks/con_01HX?token=${current}` })).toEqual({ ok: false, reason: 'bad_request' });
  });

  it('has its token dropped from the URL stored with the envelope, whichever parameter carries it', () => {
    expect(storedUrl(`${endpoint}?token=${current}`, verifier.secretQueryParams)).toBe(endpoint);
    expect(storedUrl(`${endpoint}?a=1&token=${current}&b=2`, verifier.secretQueryParams)).toBe(`${endpoint}?a=1&b=2`);
    const parsed = verifier.optionsSchema.parse({ tokenParam: 'access_token' }) as { tokenParam: string };
    expect(storedUrl(`${endpoint}?${parsed.tokenParam}=${current}`, verifier.secretQueryParams)).toBe(endpoint);
    expect(verifier.signatureHeaders()).toEqual([]);
  });
});
