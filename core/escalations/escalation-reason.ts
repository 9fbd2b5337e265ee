import type { NotificationLocale } from '../notifications/index.ts';
import type { EscalationTriggerType } from './escalation-policy.ts';

const REASONS: Readonly<Record<NotificationLocale, Readonly<Record<EscalationTriggerType, string>>>> = {
  en: {
    overdue: 'it is past its due date',
    no_probe_response: 'there has been no reply to status requests',
    disputed: 'the client has raised a dispute',
    verification_rejected: 'the delivered work was not accepted at verification',
    payment_overdue: 'the payment for it is overdue',
    invoice_undelivered: 'its invoice could not be delivered to the client',
    rule: 'a business rule of your organisation asked for it',
  },
  hi: {
    overdue: 'इसकी नियत तारीख निकल चुकी है',
    no_probe_response: 'स्थिति पूछने पर कोई जवाब नहीं मिला',
    disputed: 'ग्राहक ने आपत्ति दर्ज की है',
    verification_rejected: 'सत्यापन में काम स्वीकार नहीं हुआ',
    payment_overdue: 'इसका भुगतान बकाया है',
    invoice_undelivered: 'इसका बिल ग्राहक तक नहीं पहुँच सका',
    rule: 'आपकी संस्था के एक नियम ने इसे आगे बढ़ाने को कहा',
  },
};

/** The text for `{{escalation.reason}}`. */
export function escalationReasonText(trigger: EscalationTriggerType, locale: NotificationLocale): string {
  return REASONS[locale][trigger];
}
