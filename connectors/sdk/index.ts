// The public surface of connectors/sdk: what a connector folder and the hub's wiring may use.

export { defineConnector, OBJECT_NAME_RE } from './define-connector.ts';
export type {
  CheckFailureCode,
  CheckResult,
  ConnectorDefinition,
  ConnectorExample,
  ObjectType,
  OutboundUrl,
  PerConfig,
  RateLimit,
} from './connector-definition.ts';
export type { Connector, ConnectorCapabilities, ConnectorDescriptor, ObjectDescriptor } from './connector.ts';
export type { ConnectorContext, ConnectorLogger } from './connector-context.ts';
export { createConnectorContext, type ConnectorContextResult } from './create-connector-context.ts';
export type { GetRequest, PullPage, PullRequest, RemoteRecord } from './pull-types.ts';
export { PUSH_OPS, type PushOp, type PushRequest, type PushResult } from './push-types.ts';
export type { WebhookChange, WebhookInput, WebhookParseResult, WebhookSettings } from './webhook-types.ts';
export type { InboundMessage, OutboundMessage, ReceivePage, ReceiveRequest, SentMessage } from './message-types.ts';
export { WEBHOOK_SCHEMES, isWebhookScheme, type WebhookScheme } from './webhook-schemes.ts';
export { checkRecord } from './check-record.ts';
export { fieldsToWrite, holds } from './fields-to-write.ts';
export { issuePathOf, settingIssues, unstorableKeys, type SettingIssue, type SettingResult } from './setting-issue.ts';

export { VendorError } from './vendor-error.ts';
export { RateLimitedError } from './rate-limited-error.ts';
export { UnrecoverableVendorError } from './unrecoverable-vendor-error.ts';
export { TransientVendorError } from './transient-vendor-error.ts';
export { AuthExpiredError } from './auth-expired-error.ts';
export { OutboundUrlRefusedError, type OutboundRefusal } from './outbound-url-refused-error.ts';
export { vendorErrorFromResponse } from './vendor-error-from-response.ts';
export { parseRetryAfter } from './parse-retry-after.ts';

export { classifyAddress, isPublicAddress, type AddressKind } from './address-policy.ts';
export { checkOutboundUrl, type OutboundUrlCheck } from './check-outbound-url.ts';
export { createGuardedLookup } from './guarded-lookup.ts';
export { createOutboundHttp, type ConnectorFetch, type OutboundAgents, type OutboundHttp } from './create-outbound-http.ts';
export { systemResolveHost, type ResolveHost, type ResolvedAddress } from './resolve-host.ts';
