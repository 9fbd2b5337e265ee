import { describe, expect, it } from 'vitest';
import { droppedHeaders, storedHeaders } from '../../webhooks/stored-request.ts';

const drop = droppedHeaders(['Webhook-Signature']);

describe('storedHeaders', () => {
  it("keeps Node's lower-case header map sorted by name, arrays joined, signature and credentials dropped", () => {
    const headers = {
      'x-trace': 'abc',
      'content-type': 'application/json',
      'webhook-signature': 'v1,secret',
      authorization: 'Bearer t',
      'set-cookie': ['a=1', 'b=2'],
      'webhook-id': 'msg_1',
      absent: undefined,
    };
    expect(storedHeaders(headers, drop)).toEqual([
      { name: 'content-type', value: 'application/json' },
      { name: 'set-cookie', value: 'a=1, b=2' },
      { name: 'webhook-id', value: 'msg_1' },
      { name: 'x-trace', value: 'abc' },
    ]);
  });

  it('lower-cases a mixed-case map and joins names that differ only in case, dropping in any case', () => {
    const headers = { 'x-a': '1', 'Content-Type': 'text/plain', 'X-A': '2', 'Webhook-Signature': 'v1,secret', Cookie: 'c=1' };
    expect(storedHeaders(headers, drop)).toEqual([
      { name: 'content-type', value: 'text/plain' },
      { name: 'x-a', value: '1, 2' },
    ]);
  });

  it('reads a Fetch Headers in its own (sorted, joined) order', () => {
    const headers = new Headers([
      ['X-B', '2'],
      ['x-a', '1'],
      ['X-A', '3'],
      ['webhook-signature', 'v1,secret'],
    ]);
    expect(storedHeaders(headers, drop)).toEqual([
      { name: 'x-a', value: '1, 3' },
      { name: 'x-b', value: '2' },
    ]);
  });
});
