import type { WhatsAppWebSends } from './whatsapp-web-sends.ts';

/** How the `notify` worker runs; every field has a default. */
export interface NotifyWorkerOptions {
  /**
   * How `whatsapp-web` connections send: through this process's sessions when it drives WhatsApp
   * Web (`localWhatsAppWebSends`), or through the process that does (`routeWhatsAppWeb`); without
   * it, they cannot send.
   */
  whatsappWebSends?: WhatsAppWebSends;
  /** Sends in flight per process; most of a send is waiting on the provider. @default 32 */
  concurrency?: number;
}
