import { connect, isIP, type LookupFunction, type Socket } from 'node:net';
import { classifyAddress, createGuardedLookup, OutboundUrlRefusedError, type ConnectorContext } from '../sdk/index.ts';

/**
 * How SMTP connections reach their server. SMTP is not HTTP, so it cannot use the context's
 * guarded fetch; it borrows the address policy of the context's agents instead: their guarded
 * `lookup` when the hub refuses private addresses, none when it allows them. A context built
 * without agents follows HUB_ALLOW_PRIVATE_URLS, the setting the hub builds its agents from, and
 * is guarded unless it is set.
 */
export type SmtpAddressPolicy = { guarded: false } | { guarded: true; lookup: LookupFunction };

const ALLOWING = new Set(['true', '1', 'yes']);

/** The address policy the context's outbound agents apply. */
export function smtpAddressPolicy(ctx: Pick<ConnectorContext, 'agents'>, env: Readonly<Record<string, string | undefined>> = process.env): SmtpAddressPolicy {
  if (ctx.agents === undefined) {
    return ALLOWING.has((env['HUB_ALLOW_PRIVATE_URLS'] ?? '').toLowerCase()) ? { guarded: false } : { guarded: true, lookup: createGuardedLookup() };
  }
  // node:http keeps the options an Agent was built with; createOutboundHttp sets `lookup` only when guarding.
  const lookup = (ctx.agents.http as unknown as { options?: { lookup?: LookupFunction } }).options?.lookup;
  return lookup === undefined ? { guarded: false } : { guarded: true, lookup };
}

/**
 * A nodemailer `getSocket` that opens the TCP connection itself: through the guarded lookup, so
 * the address checked is the address connected to (no DNS rebinding), and with IP-literal hosts
 * classified first, since sockets skip `lookup` for those. TLS (implicit or STARTTLS) is still
 * negotiated by nodemailer over this socket.
 */
export function guardedSmtpSocket(policy: SmtpAddressPolicy, connectTimeoutMs: number) {
  return (options: { host?: string; port?: number }, callback: (err: Error | null, socketOptions?: { connection: Socket }) => void): void => {
    if (!policy.guarded) {
      callback(null);
      return;
    }
    const host = (options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) {
      const kind = classifyAddress(host);
      if (kind !== 'public') {
        callback(new OutboundUrlRefusedError('private_address', `the SMTP host ${host} is a ${kind} address; the hub connects only to public addresses (set HUB_ALLOW_PRIVATE_URLS=true to allow private ones)`));
        return;
      }
    }
    let settled = false;
    const finish = (err: Error | null, socket?: Socket) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        socket?.destroy();
        callback(err);
      } else callback(null, { connection: socket! });
    };
    const socket = connect({ host, port: options.port ?? 25, lookup: policy.lookup });
    const timer = setTimeout(() => finish(Object.assign(new Error(`no connection to ${host} within ${connectTimeoutMs} ms`), { code: 'ETIMEDOUT' }), socket), connectTimeoutMs);
    socket.once('connect', () => finish(null, socket));
    socket.once('error', (err) => finish(err, socket));
  };
}
