import { defineConnector } from '../sdk/index.ts';
import { checkMsg91 } from './check-msg91.ts';
import { msg91DeliveryObject } from './delivery-object.ts';
import { statusChanges } from './message-events.ts';
import { msg91ConfigSchema, msg91CredentialsSchema } from './msg91-settings.ts';
import { parseMsg91Report } from './parse-msg91-report.ts';
import { sendMsg91Sms } from './send-msg91-sms.ts';

/**
 * SMS in India through MSG91's Flow API with DLT-registered templates. Delivery reports arrive by
 * webhook; MSG91 does not sign them, so they are verified with scheme `url-token`: the URL set in
 * MSG91 carries one of the connection's webhook secrets as `?token=…`.
 */
export const msg91Connector = defineConnector({
  id: 'msg91',
  displayName: 'SMS (MSG91, India DLT)',
  description:
    "Sends DLT-template SMS to Indian numbers through MSG91 and tracks delivery from its reports. In MSG91's delivery report webhook, set this connection's webhookUrl followed by ?token=<a webhook secret of the connection>; use a random secret of at least 16 characters.",
  configSchema: msg91ConfigSchema,
  credentialsSchema: msg91CredentialsSchema,
  objects: { delivery: msg91DeliveryObject },
  outboundUrls: (config) => [{ path: 'baseUrl', url: config.baseUrl }],
  examples: () => [
    {
      name: 'Status probe and free text',
      description: 'Two DLT templates: a probe with the milestone and a link, and a catch-all with one variable for rendered messages.',
      config: {
        senderId: 'MSTONE',
        textTemplate: 'notice',
        templates: [
          { name: 'status-probe', templateId: '64f1c0ffee0000000000a001', dltTemplateId: '1107171234567890123', variables: ['VAR1', 'VAR2'] },
          { name: 'notice', templateId: '64f1c0ffee0000000000a002', dltTemplateId: '1107171234567890124', variables: ['VAR1'] },
        ],
      },
    },
  ],
  check: checkMsg91,
  capabilities: {
    messages: { send: sendMsg91Sms },
    webhook: {
      schemes: ['url-token'],
      parse: (input, config) => {
        const result = parseMsg91Report(input.rawBody, { contentType: input.headers['content-type'], senderId: config.senderId, receivedAt: input.receivedAt });
        return result.ok ? { ok: true, changes: statusChanges(result.statuses) } : result;
      },
    },
  },
});
