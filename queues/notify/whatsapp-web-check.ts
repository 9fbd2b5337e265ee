import type { CheckResult } from '../../connectors/index.ts';
import { whatsAppWebCheckOf } from '../../connectors/whatsapp-web/index.ts';
import type { ConnectionDoc } from '../../core/connections/index.ts';
import { recordedWhatsAppWebLinkOf } from './whatsapp-web-link-record.ts';
import type { WhatsAppWebLinkProblem, WhatsAppWebLinks } from './whatsapp-web-links.ts';

/** What the connection test of a WhatsApp Web connection found, or why nothing could be told. */
export type WhatsAppWebConnectionCheck = { ok: true; value: CheckResult } | { ok: false; error: WhatsAppWebLinkProblem };

/**
 * The connection test of one of the tenant's WhatsApp Web connections, as the process that drives
 * WhatsApp Web sees it: `links` are this process's sessions, or reach the process that drives
 * them over Redis, as for the login routes. It asks for the link of the connection's session
 * without starting one (ready as +91…, starting, waiting for a QR code, logged out), and when none
 * runs tells what the connection records (linked, needing a new link, never linked). When nobody
 * drives WhatsApp Web, or it does not answer, nothing is known: a service_unavailable problem,
 * which the caller must not record as the connection's last check.
 */
export async function checkWhatsAppWebConnection({
  links,
  tenantId,
  conn,
}: {
  links: WhatsAppWebLinks | undefined;
  tenantId: string;
  conn: ConnectionDoc;
}): Promise<WhatsAppWebConnectionCheck> {
  if (links === undefined) {
    return { ok: false, error: { code: 'service_unavailable', detail: 'This process runs no WhatsApp Web sessions and reaches none that does; ask the process that runs the workers (hub start or hub worker)' } };
  }
  const status = await links.status({ tenantId, connectionId: conn._id });
  if (!status.ok) return { ok: false, error: status.problem };
  return { ok: true, value: whatsAppWebCheckOf(status.login, recordedWhatsAppWebLinkOf(conn)) };
}
