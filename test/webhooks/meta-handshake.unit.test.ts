import { describe, expect, it } from 'vitest';
import { verifyMetaHandshake } from '../../webhooks/verifiers/index.ts';

describe('verifyMetaHandshake', () => {
  const query = { mode: 'subscribe', verifyToken: 'mh-verify-token', challenge: '1158201444' };

  it('echoes the challenge when the token matches', () => {
    expect(verifyMetaHandshake(query, ['mh-verify-token'])).toEqual({ ok: true, challenge: '1158201444', tokenIndex: 0 });
  });

  it('reads its input straight from the GET query string', () => {
    const q = new URL('https://hub.example.com/webhooks/c_04/meta?hub.mode=subscribe&hub.verify_token=mh-verify-token&hub.challenge=42').searchParams;
    const result = verifyMetaHandshake({ mode: q.get('hub.mode'), verifyToken: q.get('hub.verify_token'), challenge: q.get('hub.challenge') }, [
      'mh-verify-token',
    ]);
    expect(result).toMatchObject({ ok: true, challenge: '42' });
  });

  it('accepts any of several tokens while one is being rotated', () => {
    expect(verifyMetaHandshake(query, ['old-token', 'mh-verify-token'])).toMatchObject({ ok: true, tokenIndex: 1 });
  });

  it('rejects a wrong token, including a prefix or an extension of the right one', () => {
    for (const verifyToken of ['wrong', 'mh-verify', 'mh-verify-token-2', 'MH-VERIFY-TOKEN']) {
      expect(verifyMetaHandshake({ ...query, verifyToken }, ['mh-verify-token'])).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('never matches an empty configured token', () => {
    expect(verifyMetaHandshake({ ...query, verifyToken: '' }, [''])).toEqual({ ok: false, reason: 'bad_request' });
    expect(verifyMetaHandshake(query, [''])).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['another mode', { ...query, mode: 'unsubscribe' }],
    ['no mode', { ...query, mode: null }],
    ['no token', { ...query, verifyToken: undefined }],
    ['no challenge', { ...query, challenge: '' }],
  ])('rejects a request with %s', (_label, bad) => {
    expect(verifyMetaHandshake(bad, ['mh-verify-token'])).toEqual({ ok: false, reason: 'bad_request' });
  });
});
