import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, classifyAddress, type ResolveHost } from '../../connectors/index.ts';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.20.30.40', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::808:808', 'public'],
    ['2002:c0a8:0101::1', 'private'],
    ['2001::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['2606:4700:4700::1111', 'public'],
    ['2404:6800:4009:80b::200e', 'public'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });
});

describe('checkOutboundUrl with private URLs disallowed', () => {
  const check = (url: string, resolveHost?: ResolveHost) => checkOutboundUrl(url, { allowPrivate: false, ...(resolveHost ? { resolveHost } : {}) });

  it.each([
    'http://127.0.0.1/',
    'http://127.0.0.1:8080/admin',
    'http://10.0.0.5/',
    'http://192.168.0.10/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://100.64.0.1/',
    'http://224.0.0.1/',
    'http://0.0.0.0/',
    // Numeric host forms the URL parser normalises to 127.0.0.1.
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.0.0.1/',
    'http://0x7f000001/',
    'http://127.1/',
    // A name that resolves to loopback through the system resolver (/etc/hosts).
    'http://localhost/',
    'http://localhost:3000/v1',
  ])('refuses %s', async (url) => {
    const result = await check(url);
    expect(result).toMatchObject({ ok: false, reason: 'private_address' });
    if (!result.ok) expect(result.message).toMatch(/HUB_ALLOW_PRIVATE_URLS/);
  });

  it('refuses a host name when any of its addresses is private', async () => {
    const mixed: ResolveHost = async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
    expect(await check('https://api.vendor.test/', mixed)).toMatchObject({ ok: false, reason: 'private_address', message: expect.stringMatching(/api\.vendor\.test.*10\.0\.0\.7/) });
  });

  it('accepts public addresses and names that resolve only to them', async () => {
    expect(await check('https://93.184.216.34/api')).toMatchObject({ ok: true, addresses: ['93.184.216.34'] });
    const pub: ResolveHost = async () => [{ address: '2606:4700:4700::1111', family: 6 }, { address: '1.1.1.1', family: 4 }];
    expect(await check('https://books.zoho.test/api/v3', pub)).toMatchObject({ ok: true });
  });

  it('refuses what is not an http(s) URL, URLs with credentials, and names that do not resolve', async () => {
    expect(await check('ftp://93.184.216.34/')).toMatchObject({ ok: false, reason: 'unsupported_scheme' });
    expect(await check('file:///etc/passwd')).toMatchObject({ ok: false, reason: 'unsupported_scheme' });
    expect(await check('https://user:pw@93.184.216.34/')).toMatchObject({ ok: false, reason: 'credentials_in_url' });
    expect(await check('not a url')).toMatchObject({ ok: false, reason: 'invalid_url' });
    const nx: ResolveHost = () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    expect(await check('https://nowhere.invalid/', nx)).toMatchObject({ ok: false, reason: 'unresolvable' });
  });

  it('allows private addresses when the hub is told to (HUB_ALLOW_PRIVATE_URLS=true)', async () => {
    expect(await checkOutboundUrl('http://127.0.0.1:4010/api', { allowPrivate: true })).toMatchObject({ ok: true });
    expect(await checkOutboundUrl('ftp://127.0.0.1/', { allowPrivate: true })).toMatchObject({ ok: false, reason: 'unsupported_scheme' });
  });
});
