import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutboundUrl, createOutboundHttp, OutboundUrlRefusedError, TransientVendorError, type ResolveHost } from '../../connectors/index.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function listen(handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; port: number; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('guarded outbound HTTP', () => {
  let a: Awaited<ReturnType<typeof listen>>;
  let b: Awaited<ReturnType<typeof listen>>;
  const open = createOutboundHttp({ allowPrivate: true });
  const guarded = createOutboundHttp({ allowPrivate: false });

  beforeAll(async () => {
    b = await listen((_req, _body, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('from b'));
    a = await listen((req, body, res) => {
      if (req.url === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
      if (req.url === '/gzip') return res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(JSON.stringify({ zipped: true })));
      if (req.url === '/echo') return res.writeHead(201, { 'content-type': 'application/json', 'x-a': '1' }).end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] }));
      if (req.url === '/see-other') return res.writeHead(303, { location: '/json' }).end();
      if (req.url === '/elsewhere') return res.writeHead(302, { location: `http://localhost:${b.port}/landing` }).end();
      if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/empty') return res.writeHead(204).end();
      if (req.url === '/hang') return; // never answers
      res.writeHead(404).end();
    });
  });
  afterAll(async () => {
    open.close();
    guarded.close();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    await Promise.all([new Promise((r) => a.server.close(r)), new Promise((r) => b.server.close(r))]);
  });

  it('answers like fetch: JSON, gzip, bodies, headers, 204', async () => {
    const url = `http://127.0.0.1:${a.port}`;
    expect(await (await open.fetch(`${url}/json`)).json()).toEqual({ ok: true });
    expect(await (await open.fetch(`${url}/gzip`)).json()).toEqual({ zipped: true });
    const echo = await open.fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ n: 1 }) });
    expect(echo.status).toBe(201);
    expect(echo.headers.get('x-a')).toBe('1');
    expect(await echo.json()).toEqual({ method: 'POST', body: '{"n":1}', type: 'application/json' });
    const empty = await open.fetch(`${url}/empty`, { method: 'DELETE' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const form = await open.fetch(`${url}/echo`, { method: 'POST', body: new URLSearchParams({ a: 'b' }) });
    expect(await form.json()).toMatchObject({ body: 'a=b', type: 'application/x-www-form-urlencoded;charset=UTF-8' });
  });

  it('follows redirects, 303 as GET, and drops credentials when a redirect leaves the origin', async () => {
    const seeOther = await open.fetch(`http://127.0.0.1:${a.port}/see-other`, { method: 'POST', body: 'x' });
    expect(seeOther.redirected).toBe(true);
    expect(await seeOther.json()).toEqual({ ok: true });
    expect(a.seen.at(-1)).toMatchObject({ method: 'GET', url: '/json' });
    const away = await open.fetch(`http://127.0.0.1:${a.port}/elsewhere`, { headers: { authorization: 'Bearer secret-token', 'x-keep': 'yes' } });
    expect(await away.text()).toBe('from b');
    expect(b.seen.at(-1)?.headers.authorization).toBeUndefined();
    expect(b.seen.at(-1)?.headers['x-keep']).toBe('yes');
    await expect(open.fetch(`http://127.0.0.1:${a.port}/loop`)).rejects.toThrow(/more than 5 redirects/);
  });

  it('refuses loopback targets without sending a byte when private URLs are disallowed', async () => {
    const before = a.seen.length;
    for (const url of [`http://127.0.0.1:${a.port}/json`, `http://localhost:${a.port}/json`, `http://[::ffff:127.0.0.1]:${a.port}/json`, `http://2130706433:${a.port}/json`]) {
      const err = await guarded.fetch(url).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(OutboundUrlRefusedError);
      expect((err as OutboundUrlRefusedError).reason).toBe('private_address');
    }
    await expect(guarded.fetch('file:///etc/passwd')).rejects.toThrow();
    expect(a.seen.length).toBe(before);
  });

  it('re-resolves at connect time, so a name that passed the save-time check cannot rebind to loopback', async () => {
    let calls = 0;
    // First answer public (the save-time check), then loopback (the attacker's DNS at call time).
    const rebinding: ResolveHost = async () => (calls++ === 0 ? [{ address: '93.184.216.34', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const url = `http://rebind.attacker.test:${a.port}/json`;
    expect(await checkOutboundUrl(url, { allowPrivate: false, resolveHost: rebinding })).toMatchObject({ ok: true });
    const client = createOutboundHttp({ allowPrivate: false, resolveHost: rebinding });
    const before = a.seen.length;
    const err = await client.fetch(url).catch((e: unknown) => e);
    client.close();
    expect(err).toBeInstanceOf(OutboundUrlRefusedError);
    expect((err as Error).message).toMatch(/rebind\.attacker\.test.*127\.0\.0\.1/);
    expect(a.seen.length).toBe(before);
  });

  it('turns network failures and silence into TransientVendorError, and honours the caller signal', async () => {
    const refused = await open.fetch('http://127.0.0.1:1/').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransientVendorError);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
    const quick = createOutboundHttp({ allowPrivate: true, timeoutMs: 150 });
    const silent = await quick.fetch(`http://127.0.0.1:${a.port}/hang`).catch((e: unknown) => e);
    quick.close();
    expect(silent).toBeInstanceOf(TransientVendorError);
    expect((silent as Error).message).toMatch(/no answer within 150 ms/);
    const controller = new AbortController();
    const pending = open.fetch(`http://127.0.0.1:${a.port}/hang`, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
