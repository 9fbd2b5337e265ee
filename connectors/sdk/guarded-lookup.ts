import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import { classifyAddress } from './address-policy.ts';
import { refusal } from './check-outbound-url.ts';
import { OutboundUrlRefusedError } from './outbound-url-refused-error.ts';
import { systemResolveHost, type ResolveHost } from './resolve-host.ts';

/**
 * A `lookup` for node:net, node:http and node:https that resolves every address of the host and
 * fails the connection when any is not public. Because the socket connects to the address this
 * lookup returns, a DNS answer that changes between a check and the call (DNS rebinding) cannot
 * slip through. Sockets skip `lookup` for IP-literal hosts: check those before connecting.
 */
export function createGuardedLookup({ resolveHost = systemResolveHost }: { resolveHost?: ResolveHost } = {}): LookupFunction {
  return function guardedLookup(hostname, options, callback) {
    const family = typeof options === 'object' && options !== null ? (options as LookupOptions).family : undefined;
    const wantsAll = typeof options === 'object' && options !== null && (options as LookupOptions).all === true;
    const resolved = isIP(hostname) !== 0 ? Promise.resolve([{ address: hostname, family: isIP(hostname) }]) : resolveHost(hostname);
    resolved.then(
      (all) => {
        const bad = all.find((a) => classifyAddress(a.address) !== 'public');
        if (bad !== undefined) {
          callback(new OutboundUrlRefusedError('private_address', refusal(hostname, bad.address, classifyAddress(bad.address))), '', 4);
          return;
        }
        const wanted = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
          return;
        }
        if (wantsAll) (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, '', 4),
    );
  };
}
