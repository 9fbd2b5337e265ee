import { createConnectorRegistry } from './create-connector-registry.ts';
import { emailConnector } from './email/index.ts';
import { jiraConnector } from './jira/index.ts';
import { msg91Connector } from './msg91/index.ts';
import { quickbooksConnector } from './quickbooks/index.ts';
import { razorpayConnector } from './razorpay/index.ts';
import { restConnector } from './rest/index.ts';
import { salesforceConnector } from './salesforce/index.ts';
import { twilioConnector } from './twilio/index.ts';
import { webhookConnector } from './webhook/index.ts';
import { whatsappCloudConnector } from './whatsapp-cloud/index.ts';
import { whatsappWebConnector } from './whatsapp-web/index.ts';

/**
 * Every connector the hub ships, one line each. A new connector is one folder beside the others
 * plus its line here.
 */
export const connectorRegistry = createConnectorRegistry([
  webhookConnector,
  restConnector,
  jiraConnector,
  salesforceConnector,
  quickbooksConnector,
  emailConnector,
  whatsappCloudConnector,
  whatsappWebConnector,
  twilioConnector,
  msg91Connector,
  razorpayConnector,
]);
