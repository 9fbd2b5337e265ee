/** One record change inside an outbound message. */
export interface SalesforceOutboundNotification {
  /** The notification id (`04l…`); Salesforce keeps it across redeliveries. */
  id: string;
  /** The sObject type, e.g. `Opportunity`. */
  sObjectType: string;
  /** The fields the outbound message sends, `Id` included. */
  fields: Readonly<Record<string, string | number | boolean | null>>;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&apos;');
}

function field(name: string, value: string | number | boolean | null): string {
  if (value === null) return `<sf:${name} xsi:nil="true"/>`;
  return `<sf:${name}>${escapeXml(String(value))}</sf:${name}>`;
}

/**
 * A SOAP outbound message shaped like the ones Salesforce sends, for fakes and tests.
 * Field names are written as given, so they must be valid XML names.
 */
export function buildSalesforceOutboundMessage(input: {
  organizationId: string;
  actionId: string;
  instanceUrl?: string;
  notifications: readonly SalesforceOutboundNotification[];
}): string {
  const instance = escapeXml(input.instanceUrl ?? 'https://example.my.salesforce.com');
  const org15 = escapeXml(input.organizationId.slice(0, 15));
  const notifications = input.notifications
    .map(
      (notification) =>
        `<Notification><Id>${escapeXml(notification.id)}</Id>` +
        `<sObject xsi:type="sf:${escapeXml(notification.sObjectType)}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">` +
        Object.entries(notification.fields)
          .map(([name, value]) => field(name, value))
          .join('') +
        '</sObject></Notification>',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<OrganizationId>${escapeXml(input.organizationId)}</OrganizationId>` +
    `<ActionId>${escapeXml(input.actionId)}</ActionId>` +
    '<SessionId xsi:nil="true"/>' +
    `<EnterpriseUrl>${instance}/services/Soap/c/62.0/${org15}</EnterpriseUrl>` +
    `<PartnerUrl>${instance}/services/Soap/u/62.0/${org15}</PartnerUrl>` +
    notifications +
    '</notifications></soapenv:Body></soapenv:Envelope>'
  );
}
