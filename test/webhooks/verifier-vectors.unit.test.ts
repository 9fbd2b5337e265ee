import { describe, expect, it } from 'vitest';
import {
  salesforceId18,
  signGithub,
  signRazorpay,
  signStandardWebhook,
  signTwilio,
  twilioBodyHashUrl,
  verifiers,
  type VerifyInput,
} from '../../webhooks/verifiers/index.ts';

// Every expected value below is copied from the source named beside it; none was computed here.

const encoder = new TextEncoder();

function input(body: string, headers: Record<string, string>, secret: string, now: Date, url = 'https://hub.example.com/x'): VerifyInput {
  return { rawBody: encoder.encode(body), headers, url, secrets: [{ value: secret }], now };
}

describe('Standard Webhooks published example', () => {
  // Source: the Standard Webhooks / Svix reference libraries' sign test
  // (svix-webhooks, php/tests/WebhookTest.php, testSignFunctionWorks), repeated in the spec's verification guide.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
  const timestamp = 1614265330;
  const body = '{"test": 2432232314}';
  const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': expected };

  it('verifies', () => {
    expect(verifiers['standard-webhooks'].verify(input(body, headers, secret, new Date(timestamp * 1000)))).toEqual({
      ok: true,
      secretIndex: 0,
      eventId: id,
      timestamp: new Date(timestamp * 1000),
    });
  });

  it('is reproduced by the signer', () => {
    expect(signStandardWebhook({ secret, id, timestamp: new Date(timestamp * 1000), body })['webhook-signature']).toBe(expected);
  });

  it('goes stale five minutes later', () => {
    expect(verifiers['standard-webhooks'].verify(input(body, headers, secret, new Date((timestamp + 301) * 1000)))).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });
});

describe('GitHub published example', () => {
  // Source: https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  // ("Testing the webhook payload validation").
  const secret = "It's a Secret to Everybody";
  const body = 'Hello, World!';
  const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it('verifies', () => {
    expect(verifiers.github.verify(input(body, { 'X-Hub-Signature-256': expected }, secret, new Date())).ok).toBe(true);
  });

  it('is reproduced by the signer', () => {
    expect(signGithub({ secret, body })['x-hub-signature-256']).toBe(expected);
  });
});

describe('Twilio published examples', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const now = new Date();

  it('verifies the worked example of the webhooks security page', () => {
    // Source: https://www.twilio.com/docs/usage/webhooks/webhooks-security ("Explore the algorithm yourself").
    const url = 'https://example.com/myapp.php?foo=1&bar=2';
    const params = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Caller: '+14158675310',
      Digits: '1234',
      From: '+14158675310',
      To: '+18005551212',
    });
    const headers = { ...form, 'X-Twilio-Signature': 'L/OH5YylLD5NRKLltdqwSvS0BnU=' };
    expect(verifiers.twilio.verify(input(params.toString(), headers, '12345', now, url)).ok).toBe(true);
    expect(signTwilio({ authToken: '12345', url, params })['x-twilio-signature']).toBe('L/OH5YylLD5NRKLltdqwSvS0BnU=');
  });

  describe('the request-validator vectors shared by the Twilio SDK test suites', () => {
    // Source: twilio-python tests/unit/test_request_validator.py; the same values appear in the
    // twilio-php (RequestValidatorTest.php) and twilio-csharp (RequestValidatorTest.cs) suites.
    const authToken = '12345';
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = new URLSearchParams({
      CallSid: 'CA1234567890ABCDE',
      Digits: '1234',
      From: '+14158675309',
      To: '+18005551212',
      Caller: '+14158675309',
    });
    const body = params.toString();
    const verify = (signature: string, at: string, requestBody = body, headers: Record<string, string> = form) =>
      verifiers.twilio.verify(input(requestBody, { ...headers, 'x-twilio-signature': signature }, authToken, now, at));

    it('verifies form parameters given out of order', () => {
      expect(verify('RSOYDt4T1cUTdK1PDd93/VVr8B8=', url).ok).toBe(true);
      expect(verify('RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, body.replace('1234', '1235'))).toEqual({ ok: false, reason: 'bad_signature' });
    });

    it('tries the URL without its port and with the default port, as Twilio signs either', () => {
      expect(verify('RSOYDt4T1cUTdK1PDd93/VVr8B8=', url.replace('.com', '.com:1234')).ok).toBe(true);
      expect(verify('kvajT1Ptam85bY51eRf/AJRuM3w=', url).ok).toBe(true);
      expect(verify('Zmvh+3yNM1Phv2jhDCwEM3q5ebU=', url.replace('.com', '.com:1234').replace('https', 'http')).ok).toBe(true);
      expect(verify('0ZXoZLH/DfblKGATFgpif+LLRf4=', url.replace('https', 'http')).ok).toBe(true);
    });

    it('signs each distinct value of a repeated key once, values sorted', () => {
      const repeated = 'Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234';
      expect(verify('IK+Dwps556ElfBT0I3Rgjkr1wJU=', url, repeated).ok).toBe(true);
    });

    it('verifies a JSON body through bodySHA256 in the signed URL', () => {
      const json = '{"property": "value", "boolean": true}';
      const withHash = `${url}&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620`;
      const jsonHeaders = { 'content-type': 'application/json' };
      expect(twilioBodyHashUrl(url, json)).toBe(withHash);
      expect(verify('a9nBmqA0ju/hNViExpshrM61xv4=', withHash, json, jsonHeaders).ok).toBe(true);
      expect(verify('a9nBmqA0ju/hNViExpshrM61xv4=', withHash, `${json} `, jsonHeaders)).toEqual({ ok: false, reason: 'bad_signature' });
      expect(verify('a9nBmqA0ju/hNViExpshrM61xv4=', withHash.replace('0a1ff', '0a1fe'), json, jsonHeaders)).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    });
  });
});

describe('Razorpay SDK test vector', () => {
  // Source: razorpay/razorpay-node, test/utils/razorpay-utils.spec.js ("validateWebhookSignature").
  const body = '{"a":1,"b":2,"c":{"d":3}}';
  const expected = '2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc';

  it('verifies', () => {
    expect(verifiers.razorpay.verify(input(body, { 'X-Razorpay-Signature': expected }, '123456', new Date())).ok).toBe(true);
  });

  it('is reproduced by the signer', () => {
    expect(signRazorpay({ secret: '123456', body })['x-razorpay-signature']).toBe(expected);
  });
});

describe('Zoho Payments documented header', () => {
  // Source: https://www.zoho.com/in/payments/developerdocs/webhooks/verification (sample header;
  // the page wraps the hex over a space, removed here). No secret is published, so only the shape is checked.
  const header = 't=1734340423138,v=48f9cb56a1beca6c92ff64e0d0954170fc474d971af07a8ecfcbb9502414241c';

  it('parses as a well-formed header whose timestamp is in milliseconds', () => {
    const at = new Date(1734340423138);
    const result = verifiers['zoho-payments'].verify(input('{ "status": "success" }', { 'X-Zoho-Webhook-Signature': header }, 'key', at));
    expect(result).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('Salesforce id forms', () => {
  // Source: ids in a captured outbound message (OrganizationId 00D7F00000107XsUAI, whose 15-character
  // form appears in the same message's EnterpriseUrl), published in a public test fixture.
  it.each([
    ['00D7F00000107Xs', '00D7F00000107XsUAI'],
    ['04k7F0000008V3h', '04k7F0000008V3hQAE'],
    ['04l7F000008aeAy', '04l7F000008aeAyQAI'],
    ['0067F000003pmdW', '0067F000003pmdWQAQ'],
    ['0017F000007ydJm', '0017F000007ydJmQAI'],
  ])('%s has the 18-character form %s', (id15, id18) => {
    expect(salesforceId18(id15)).toBe(id18);
    expect(salesforceId18(id18)).toBe(id18);
  });
});
