/**
 * The SOAP `notificationsResponse` Salesforce expects from an outbound-message listener.
 * Anything but `<Ack>true</Ack>` makes Salesforce queue the message for redelivery.
 */
export function salesforceOutboundAck(ok: boolean): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
    '<soapenv:Body>' +
    '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">' +
    `<Ack>${ok ? 'true' : 'false'}</Ack>` +
    '</notificationsResponse>' +
    '</soapenv:Body>' +
    '</soapenv:Envelope>'
  );
}
