import { z } from 'zod';
import { bytesEqual } from './bytes-equal.ts';
import { sha256 } from './digest.ts';
import { eventIdFrom } from './event-id.ts';
import { matchSecret } from './match-secret.ts';
import { childrenNamed, parseXml, type XmlElement } from './parse-xml.ts';
import { readHeader } from './read-header.ts';
import { readOptions } from './read-options.ts';
import { salesforceId15 } from './salesforce-id.ts';
import type { EventIdInput, Verifier, VerifyResult } from './types.ts';

/** Query parameter that carries the shared token; Salesforce cannot add headers, only a URL. */
export const salesforceTokenParam = 'token';
/** Header alternative for the token, for a proxy in front of the hub that moves it out of the URL. */
export const salesforceTokenHeader = 'x-hub-token';

const optionsSchema = z.strictObject({
  organizationId: z.string().refine((id) => salesforceId15(id) !== undefined, 'a 15- or 18-character Salesforce id'),
});

const utf8 = new TextDecoder('utf-8', { fatal: true });

function notificationsOf(rawBody: Uint8Array): XmlElement | undefined {
  let text: string;
  try {
    text = utf8.decode(rawBody);
  } catch {
    return undefined;
  }
  const envelope = parseXml(text);
  if (envelope?.name !== 'Envelope') return undefined;
  return childrenNamed(childrenNamed(envelope, 'Body')[0], 'notifications')[0];
}

function notificationIds(notifications: XmlElement | undefined): string[] {
  // Only the direct <Id> of each <Notification>: the sObject inside has an <sf:Id> of its own.
  return childrenNamed(notifications, 'Notification').flatMap((notification) =>
    childrenNamed(notification, 'Id').map((id) => id.text.trim()),
  );
}

function salesforceEventId({ rawBody }: EventIdInput): string | undefined {
  return eventIdFrom(notificationIds(notificationsOf(rawBody)));
}

function tokenOf(url: string, input: Pick<EventIdInput, 'headers'>): string | undefined {
  const fromUrl = URL.canParse(url) ? new URL(url).searchParams.get(salesforceTokenParam) : null;
  return fromUrl || readHeader(input.headers, salesforceTokenHeader)?.trim() || undefined;
}

/**
 * Salesforce outbound messages are unsigned SOAP. Authenticity rests on the expected
 * OrganizationId and, when the connection has secrets, a shared token in the `token` query
 * parameter (or the `x-hub-token` header). With no secret configured the organisation check is
 * all there is, which anyone who knows the org id can pass: configure a token in production.
 * Answer accepted messages with `salesforceOutboundAck(true)`, or Salesforce resends them.
 */
export const salesforceOutboundVerifier: Verifier = {
  scheme: 'salesforce-outbound',
  optionsSchema,
  signatureHeaders: () => [salesforceTokenHeader],
  secretQueryParams: [salesforceTokenParam],

  verify(input): VerifyResult {
    const options = readOptions(optionsSchema, input);
    const expectedOrg = options === undefined ? undefined : salesforceId15(options.organizationId);
    if (expectedOrg === undefined) return { ok: false, reason: 'misconfigured' };

    let secretIndex: number | undefined;
    if (input.secrets.length > 0) {
      const token = tokenOf(input.url, input);
      if (token === undefined) return { ok: false, reason: 'missing_signature' };
      // Digests keep the comparison constant-time even when the lengths differ.
      const match = matchSecret(input.secrets, input.now, [sha256(token)], (secret) => [sha256(secret)]);
      if (!match.ok) return match;
      secretIndex = match.secretIndex;
    }

    const notifications = notificationsOf(input.rawBody);
    if (notifications === undefined) return { ok: false, reason: 'bad_request' };
    const orgElements = childrenNamed(notifications, 'OrganizationId');
    const sentOrg = orgElements.length === 1 ? salesforceId15(orgElements[0]?.text.trim() ?? '') : undefined;
    if (sentOrg === undefined) return { ok: false, reason: 'bad_request' };
    if (!bytesEqual(Buffer.from(sentOrg), Buffer.from(expectedOrg))) return { ok: false, reason: 'bad_signature' };

    return { ok: true, secretIndex, eventId: eventIdFrom(notificationIds(notifications)) };
  },

  eventId: salesforceEventId,
};
