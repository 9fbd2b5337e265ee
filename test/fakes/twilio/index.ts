export { startTwilioFake, TWILIO_FAULTS } from './start-twilio-fake.ts';
export type { TwilioFake, TwilioFakeOptions, TwilioFault, TwilioMessage, TwilioMessageStatus, TwilioWebhookDelivery } from './start-twilio-fake.ts';
