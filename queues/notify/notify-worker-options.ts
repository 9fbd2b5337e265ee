import type { WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import type { WhatsAppWebSends } from './whatsapp-web-sends.ts';

/** How the `notify` worker runs; every field has a default. */
export interface NotifyWorkerOptions {
  /**
   * The WhatsApp Web sessions this process runs, or (several processes running sessions) the sends
   * of `routeWhatsAppWeb`, which reach the one process driving WhatsApp Web; without either,
   * `whatsapp-web` connections cannot send.
   */
  whatsappWebSessions?: WhatsAppWebSessions | WhatsAppWebSends;
  /** Sends in flight per process; most of a send is waiting on the provider. @default 32 */
  concurrency?: number;
}
