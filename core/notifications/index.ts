export { CHANNELS, NOTIFICATION_LOCALES, URGENCIES } from './channels.ts';
export type { Channel, NotificationLocale, Urgency } from './channels.ts';
export { durationMs, durationSchema, parseDuration } from './duration.ts';
export { addDaysToIsoDate, endOfDueDay, instantOfWallTime, parseIsoDate, startOfDay } from './zoned-time.ts';
export { dateInZone, isValidTimeZone, wallTimeIn } from '../money/index.ts';
export type { WallTime } from '../money/index.ts';

export { extractPlaceholders, isPlaceholderName, PLACEHOLDER_NAME, PLACEHOLDERS } from './placeholders.ts';
export type { PlaceholderKind, PlaceholderName } from './placeholders.ts';
export { escalationTemplateKey, MAX_ESCALATION_TEMPLATE_LEVEL, TEMPLATE_KEY_LIST, TEMPLATE_KEYS } from './template-keys.ts';
export type { TemplateKey } from './template-keys.ts';
export { messageTemplateSchema, whatsappTemplateSchema } from './message-template-schema.ts';
export type { MessageTemplate, MessageTemplateInput, WhatsAppTemplateSpec } from './message-template-schema.ts';
export type { MessageTemplateIssue, MessageTemplateIssueCode } from './template-issue.ts';
export { validateMessageTemplate } from './validate-message-template.ts';
export type { ValidateTemplateOptions, ValidateTemplateResult, ValidTemplate } from './validate-message-template.ts';
export { countSmsSegments, isGsm7 } from './sms-segments.ts';
export type { SmsSegmentInfo } from './sms-segments.ts';
export { escapeHtml } from './html-escape.ts';
export { renderMessage } from './render-message.ts';
export type { MessageValues, RenderedMessage, RenderError, RenderOptions, RenderResult, WhatsAppTemplatePayload } from './render-message.ts';
export { loadDefaultTemplates } from './default-templates.ts';
export { selectTemplate } from './select-template.ts';
export type { SelectedTemplate, TemplateSource } from './select-template.ts';

export { quietHoursEnd, quietHoursSchema, WEEKDAY_NAMES } from './quiet-hours.ts';
export type { QuietHours, WeekdayName } from './quiet-hours.ts';
export { normalizeAddress, sameContact } from './contact-address.ts';
export { DEFAULT_DELIVERY_POLICY, deliveryPolicySchema, planDelivery } from './plan-delivery.ts';
export type { ContactPerson, DeliveryPlan, DeliveryPlanError, DeliveryPolicy, PlanDeliveryResult } from './plan-delivery.ts';

export { applyDeliveryUpdate, DELIVERY_STATUSES } from './delivery-status.ts';
export type { DeliveryError, DeliveryState, DeliveryStatus, DeliveryUpdate } from './delivery-status.ts';
export { DELIVERY_PROVIDERS, mapProviderStatus } from './provider-status.ts';
export type { DeliveryProvider, MappedStatus } from './provider-status.ts';
export { DEFAULT_RETRY_POLICY, nextAttempt, retryPolicySchema } from './retry-policy.ts';
export type { DeliveryAttempt, NextAttempt, RetryPolicy } from './retry-policy.ts';
