import type { DeliveryError, DeliveryStatus } from './delivery-status.ts';

/** The providers whose delivery reports the hub understands. */
export const DELIVERY_PROVIDERS = ['whatsapp_cloud', 'twilio', 'msg91', 'smtp'] as const;

/** One of {@link DELIVERY_PROVIDERS}. */
export type DeliveryProvider = (typeof DELIVERY_PROVIDERS)[number];

/** A provider status in the hub's terms. */
export interface MappedStatus {
  status: DeliveryStatus;
  error?: DeliveryError;
}

const WHATSAPP: Readonly<Record<string, DeliveryStatus>> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/**
 * WhatsApp Cloud error codes that retrying cannot fix: not a WhatsApp user or cannot receive
 * (131026), outside the 24-hour window (131047, 470), unsupported message (131051), template
 * problems (132000–132016), recipient not in allowed list (131030).
 */
const WHATSAPP_PERMANENT = new Set(['470', '131026', '131030', '131047', '131051']);

const TWILIO: Readonly<Record<string, DeliveryStatus>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'queued',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/**
 * Twilio error codes that retrying cannot fix: invalid or unknown number (21211, 21614,
 * 30005), landline (30006), blocked (30004), carrier filtering (30007), unsubscribed (21610).
 */
const TWILIO_PERMANENT = new Set(['21211', '21408', '21610', '21612', '21614', '30004', '30005', '30006', '30007']);

/**
 * MSG91 delivery report codes: 1 delivered; 2 failed; 8 submitted to the operator; 9 NDNC
 * (the number is on the Do-Not-Disturb registry); 16, 25 and 26 rejected; 17 blocked number.
 * Text statuses from DLR forwards (`DELIVRD`, `UNDELIV`, `EXPIRED`, `REJECTD`) map as well.
 */
const MSG91: Readonly<Record<string, MappedStatus>> = {
  '1': { status: 'delivered' },
  '2': { status: 'failed', error: { code: '2', message: 'failed', permanent: false } },
  '8': { status: 'sent' },
  '9': { status: 'failed', error: { code: '9', message: 'number is on the NDNC registry', permanent: true } },
  '16': { status: 'failed', error: { code: '16', message: 'rejected', permanent: true } },
  '17': { status: 'failed', error: { code: '17', message: 'blocked number', permanent: true } },
  '25': { status: 'failed', error: { code: '25', message: 'rejected', permanent: true } },
  '26': { status: 'failed', error: { code: '26', message: 'rejected', permanent: true } },
  delivrd: { status: 'delivered' },
  delivered: { status: 'delivered' },
  submitted: { status: 'sent' },
  sent: { status: 'sent' },
  undeliv: { status: 'failed', error: { code: 'UNDELIV', message: 'undelivered', permanent: false } },
  expired: { status: 'failed', error: { code: 'EXPIRED', message: 'expired', permanent: false } },
  failed: { status: 'failed', error: { code: 'FAILED', message: 'failed', permanent: false } },
  rejectd: { status: 'failed', error: { code: 'REJECTD', message: 'rejected', permanent: true } },
  rejected: { status: 'failed', error: { code: 'REJECTED', message: 'rejected', permanent: true } },
};

/**
 * Maps a provider's status (and error code, when the report has one) to the hub's status.
 * Returns null for statuses that say nothing about an outgoing message (WhatsApp `deleted`,
 * Twilio `receiving`) or that are unknown, which callers log and ignore.
 *
 * SMTP reports are `accepted` (the relay took it: `sent`, as inbox delivery is never
 * confirmed), `rejected` or `bounced` (failed), or a reply code: 2xx sent, 4xx a temporary
 * failure, 5xx a permanent one.
 */
export function mapProviderStatus(provider: DeliveryProvider, status: string | number, errorCode?: string | number): MappedStatus | null {
  const raw = String(status).trim().toLowerCase();
  const code = errorCode === undefined ? undefined : String(errorCode).trim();
  switch (provider) {
    case 'whatsapp_cloud': {
      const mapped = WHATSAPP[raw];
      if (!mapped) return null;
      if (mapped !== 'failed') return { status: mapped };
      const permanent = code !== undefined && (WHATSAPP_PERMANENT.has(code) || /^1320(0\d|1[0-6])$/.test(code));
      return { status: 'failed', error: { code: code ?? 'unknown', permanent } };
    }
    case 'twilio': {
      const mapped = TWILIO[raw];
      if (!mapped) return null;
      if (mapped !== 'failed') return { status: mapped };
      const permanent = code !== undefined && TWILIO_PERMANENT.has(code);
      return { status: 'failed', error: { code: code ?? raw, permanent, ...(code === '21610' ? { optOut: true } : {}) } };
    }
    case 'msg91': {
      const mapped = MSG91[raw];
      return mapped ? { ...mapped, ...(mapped.error ? { error: { ...mapped.error } } : {}) } : null;
    }
    case 'smtp':
      return mapSmtp(raw, code);
    default:
      return null;
  }
}

function mapSmtp(raw: string, code: string | undefined): MappedStatus | null {
  const reply = /^[245]\d\d$/.test(raw) ? raw : code !== undefined && /^[245]\d\d$/.test(code) ? code : undefined;
  if (raw === 'accepted' || raw === 'sent') return { status: 'sent' };
  if (raw === 'rejected' || raw === 'bounced' || raw === 'deferred' || reply !== undefined) {
    if (reply?.startsWith('2')) return { status: 'sent' };
    const permanent = reply !== undefined ? reply.startsWith('5') : raw !== 'deferred';
    return { status: 'failed', error: { code: reply ?? raw, permanent } };
  }
  return null;
}
