export type {
  EventIdInput,
  HeaderSource,
  Verifier,
  VerifyFailure,
  VerifyInput,
  VerifyResult,
  WebhookSecret,
} from './types.ts';
export { isSchemeId, schemeIds, type SchemeId } from './scheme-ids.ts';
export { verifierFor, verifiers } from './registry.ts';
export { isActiveSecret } from './match-secret.ts';
export { readHeader } from './read-header.ts';
export { verifyMetaHandshake, type MetaHandshakeQuery, type MetaHandshakeResult } from './verify-meta-handshake.ts';
export { salesforceOutboundAck } from './salesforce-outbound-ack.ts';
export { salesforceTokenHeader, salesforceTokenParam } from './verify-salesforce-outbound.ts';
export { salesforceId15, salesforceId18 } from './salesforce-id.ts';
export {
  buildSalesforceOutboundMessage,
  type SalesforceOutboundNotification,
} from './salesforce-outbound-message.ts';
export {
  signGithub,
  signIntuit,
  signJira,
  signMeta,
  signRazorpay,
  signStandardWebhook,
  signStripe,
  signTwilio,
  signZohoPayments,
  twilioBodyHashUrl,
  type SignedHeaders,
  type WebhookBody,
} from './sign-webhook.ts';
