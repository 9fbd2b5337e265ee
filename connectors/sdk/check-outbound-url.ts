import { isIP } from 'node:net';
import { classifyAddress } from './address-policy.ts';
import type { OutboundRefusal } from './outbound-url-refused-error.ts';
import { systemResolveHost, type ResolveHost } from './resolve-host.ts';

/** The outcome of checking an outbound URL: its parsed form and the addresses it resolved to, or why it is refused. */
export type OutboundUrlCheck =
  | { ok: true; url: URL; addresses: string[] }
  | { ok: false; reason: OutboundRefusal; message: string };

/** The bare host of a URL: IPv6 brackets removed. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a URL an admin configured before the hub saves or calls it: http(s) only, no user info,
 * and, unless `allowPrivate`, every address its host resolves to must be public. The WHATWG
 * parser normalises numeric hosts first, so `http://2130706433/` and `http://0177.0.0.1/` are
 * judged as 127.0.0.1.
 * @example await checkOutboundUrl(config.baseUrl, { allowPrivate: services.config.allowPrivateUrls })
 */
export async function checkOutboundUrl(
  raw: string,
  { allowPrivate, resolveHost = systemResolveHost }: { allowPrivate: boolean; resolveHost?: ResolveHost },
): Promise<OutboundUrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid_url', message: 'is not a valid absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, reason: 'unsupported_scheme', message: `must be an http or https URL, not ${url.protocol.replace(/:$/, '')}` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, reason: 'credentials_in_url', message: 'must not carry a user name or password; put them in the credentials' };
  }
  if (allowPrivate) return { ok: true, url, addresses: [] };
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host) !== 0) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolveHost(host)).map((a) => a.address);
    } catch {
      return { ok: false, reason: 'unresolvable', message: `its host "${host}" does not resolve, so it cannot be checked` };
    }
    if (addresses.length === 0) return { ok: false, reason: 'unresolvable', message: `its host "${host}" has no addresses` };
  }
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind !== 'public') return { ok: false, reason: 'private_address', message: refusal(host, address, kind) };
  }
  return { ok: true, url, addresses };
}

/** The message for a refused address; names the kind so admins know why, never where else it points. */
export function refusal(host: string, address: string, kind: string): string {
  const what = host === address ? `the address ${address}` : `"${host}", which resolves to ${address},`;
  return `points at ${what} a ${kind} address; the hub calls only public addresses (set HUB_ALLOW_PRIVATE_URLS=true to allow private ones)`;
}
