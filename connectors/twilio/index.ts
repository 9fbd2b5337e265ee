export { twilioConnector } from './twilio-connector.ts';
export { twilioConfigSchema, twilioCredentialsSchema, type TwilioConfig, type TwilioCredentials } from './twilio-settings.ts';
export { sendTwilioSms, twilioAuthorization, type TwilioSentMessage } from './send-twilio-sms.ts';
export { parseTwilioWebhook, type TwilioWebhookResult } from './parse-twilio-webhook.ts';
export { vendorErrorFromTwilio, type TwilioError } from './vendor-error-from-twilio.ts';
export type { DeliveryStatusUpdate, SmsInboundMessage } from './message-events.ts';
