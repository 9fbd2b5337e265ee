// The public surface of the notification delivery pipeline: what probes, escalations, invoices
// and the API call, and what the workers are built from.

export { requestNotification, type RequestedNotification } from './request-notification.ts';
export { notificationRequestSchema, type NotificationAttachmentInput, type NotificationRequest, type NotificationTarget } from './notification-request.ts';
export type { NotifyDeps } from './notify-deps.ts';
export { notificationIdOf, scheduleNotifySweep, NOTIFY_SWEEP_SCHEDULER_ID, SEND_JOB, SWEEP_JOB, type SendJobData } from './notify-job.ts';
export {
  createInboundMessageBus,
  type InboundMessageBus,
  type InboundMessageEvent,
  type InboundMessageListener,
  type InboundMessageOutcome,
} from './inbound-message.ts';
export type { NotifyWorkerOptions } from './notify-worker-options.ts';
export { createNotifier, type DeliveryRun, type Notifier, type NotifySweepResult } from './create-notifier.ts';
export { createChannelConnections, type ChannelConnections, type SendingConnection } from './channel-connections.ts';
export { sendersOf } from './senders-of.ts';
export { createNotifyWebhookHandler } from './notify-webhook-handler.ts';
export { channelOfConnector, CONNECTOR_CHANNELS } from './channel-of-connector.ts';
export { optOutsFor, recordAddressOptOut, type OptOutState } from './opt-outs.ts';
export {
  getEffectiveTemplate,
  isTemplateSlot,
  listEffectiveTemplates,
  resetMessageTemplate,
  saveMessageTemplate,
  type EffectiveTemplate,
  type TemplateFilter,
} from './message-templates.ts';
export { getNotificationSettings, saveNotificationSettings } from './notification-settings-store.ts';
export { contactPreferencesPatchSchema, getContactPreferences, updateContactPreferences, type ContactPreferences } from './contact-preferences.ts';
export { listNotifications, maskAddress, type NotificationFilter } from './list-notifications.ts';
export { bridgeWhatsAppWebSessions } from './bridge-whatsapp-web.ts';
export { cancelNotification } from './cancel-notification.ts';
export {
  linkableWhatsAppWebConnection,
  localWhatsAppWebLinks,
  type LinkableConnection,
  type WhatsAppWebLinkProblem,
  type WhatsAppWebLinkResult,
  type WhatsAppWebLinks,
  type WhatsAppWebLinkTarget,
  type WhatsAppWebSessionStatus,
} from './whatsapp-web-links.ts';
export { checkWhatsAppWebConnection, type WhatsAppWebConnectionCheck } from './whatsapp-web-check.ts';
export { createWhatsAppWebRelay, serveWhatsAppWebLinks, whatsAppWebRelayChannels, type WhatsAppWebRelayOwnership } from './whatsapp-web-relay.ts';
export { localWhatsAppWebSends, recentWhatsAppWebSendKey, type RecentWhatsAppWebSends, type WhatsAppWebSends } from './whatsapp-web-sends.ts';
export { routeWhatsAppWeb, type WhatsAppWebRoute } from './route-whatsapp-web.ts';
export {
  linkedWhatsAppWebConnections,
  recordWhatsAppWebLink,
  recordWhatsAppWebLinks,
  recordedWhatsAppWebLinkOf,
  whatsAppWebLinkOf,
  type LinkedWhatsAppWebConnection,
  type WhatsAppWebLinkRecord,
} from './whatsapp-web-link-record.ts';
export {
  startWhatsAppWebRestore,
  type WhatsAppWebRestore,
  type WhatsAppWebRestoreLogger,
  type WhatsAppWebRestoreOptions,
  type WhatsAppWebRestoreOutcome,
  type WhatsAppWebRestoreResult,
} from './whatsapp-web-restore.ts';
export { UnconfirmedSendError } from './unconfirmed-send-error.ts';
