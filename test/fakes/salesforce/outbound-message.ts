/**
 * Salesforce workflow outbound messages: a SOAP `notifications` envelope POSTed to the listener,
 * which must answer `<Ack>true</Ack>` or Salesforce keeps retrying.
 */

export interface OutboundNotification {
  /** The `04l` notification id; Salesforce resends the same id on retries. */
  id: string;
  sObjectType: string;
  fields: Record<string, unknown>;
}

export interface OutboundEnvelope {
  organizationId: string;
  actionId: string;
  sessionId?: string;
  enterpriseUrl: string;
  partnerUrl: string;
  notifications: OutboundNotification[];
}

export interface OutboundResult {
  acked: boolean;
  status: number;
  responseBody: string;
  envelope: string;
  notificationIds: string[];
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function xmlValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? `${value}.0` : String(value);
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

export function buildOutboundEnvelope(message: OutboundEnvelope): string {
  const notifications = message.notifications
    .map((n) => {
      const fields = Object.entries(n.fields)
        .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
        .map(([name, value]) => `<sf:${name}>${xmlValue(value)}</sf:${name}>`)
        .join('');
      return (
        `<Notification><Id>${escapeXml(n.id)}</Id>` +
        `<sObject xsi:type="sf:${escapeXml(n.sObjectType)}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject>` +
        `</Notification>`
      );
    })
    .join('');
  const session = message.sessionId ? `<SessionId>${escapeXml(message.sessionId)}</SessionId>` : '<SessionId xsi:nil="true"/>';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<OrganizationId>${escapeXml(message.organizationId)}</OrganizationId>` +
    `<ActionId>${escapeXml(message.actionId)}</ActionId>` +
    session +
    `<EnterpriseUrl>${escapeXml(message.enterpriseUrl)}</EnterpriseUrl>` +
    `<PartnerUrl>${escapeXml(message.partnerUrl)}</PartnerUrl>` +
    notifications +
    '</notifications></soapenv:Body></soapenv:Envelope>'
  );
}

const ACK = /<(?:[\w-]+:)?Ack>\s*true\s*<\/(?:[\w-]+:)?Ack>/;

export async function deliverOutboundMessage(url: string, message: OutboundEnvelope): Promise<OutboundResult> {
  const envelope = buildOutboundEnvelope(message);
  const notificationIds = message.notifications.map((n) => n.id);
  let status = 0;
  let responseBody = '';
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: '""' },
      body: envelope,
    });
    status = response.status;
    responseBody = await response.text();
  } catch (error) {
    responseBody = error instanceof Error ? error.message : String(error);
  }
  return { acked: status === 200 && ACK.test(responseBody), status, responseBody, envelope, notificationIds };
}
