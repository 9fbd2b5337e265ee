import type { WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';

/** How the `notify` worker runs; every field has a default. */
export interface NotifyWorkerOptions {
  /** The WhatsApp Web sessions this process runs; without them `whatsapp-web` connections cannot send. */
  whatsappWebSessions?: WhatsAppWebSessions;
  /** Sends in flight per process; most of a send is waiting on the provider. @default 32 */
  concurrency?: number;
}
