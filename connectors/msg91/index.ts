export { msg91Connector } from './msg91-connector.ts';
export { msg91ConfigSchema, msg91CredentialsSchema, type Msg91Config, type Msg91Credentials, type Msg91Template } from './msg91-settings.ts';
export { msg91Variables, sendMsg91Sms, type Msg91SentMessage } from './send-msg91-sms.ts';
export { parseMsg91Report, type Msg91ReportResult } from './parse-msg91-report.ts';
export { statusChanges } from './message-events.ts';
export { vendorErrorFromMsg91, type Msg91Answer } from './vendor-error-from-msg91.ts';
export type { DeliveryStatusUpdate } from './message-events.ts';
