import type { Logger } from 'pino';
import type { WhatsAppWebSession, WhatsAppWebSessions } from '../../connectors/whatsapp-web/index.ts';
import { webhookRoutesCollection } from '../../core/connections/index.ts';
import type { Store } from '../../core/store/index.ts';
import type { InboundWebhookHandler } from '../../webhooks/index.ts';

/**
 * WhatsApp Web reports people's messages and delivery acks from its live session, not by
 * webhook. This wraps the process's sessions so every session opened feeds them to the notify
 * handler, as `message.received` and `message.status` changes of that connection, exactly as
 * webhooks of the other channels arrive.
 */
export function bridgeWhatsAppWebSessions(deps: {
  sessions: WhatsAppWebSessions;
  store: Store;
  handler: InboundWebhookHandler;
  logger: Logger;
  now: () => Date;
}): WhatsAppWebSessions {
  const { sessions, store, handler, logger, now } = deps;
  const bridged = new WeakSet<WhatsAppWebSession>();

  async function feed(connectionId: string, change: { eventId: string; type: string; id: string; occurredAt: string; data: unknown }): Promise<void> {
    const route = await store.platform(webhookRoutesCollection).findById(connectionId);
    if (route === null) return;
    const at = now();
    try {
      await handler.handle(
        {
          tenantId: route.tenant,
          connectionId,
          connectorId: 'whatsapp-web',
          envelopeId: `waweb:${change.eventId}`,
          eventKey: change.eventId,
          receivedAt: at,
          changes: [{ eventId: change.eventId, type: change.type, object: 'message', id: change.id, occurredAt: change.occurredAt, data: change.data as Record<string, unknown> }],
          attempt: 1,
        },
        { db: store.forTenant(route.tenant), now: at },
      );
    } catch (err) {
      logger.warn({ connectionId, eventId: change.eventId, err: { message: (err as Error).message } }, 'whatsapp-web event not applied');
    }
  }

  function bridge(session: WhatsAppWebSession): WhatsAppWebSession {
    if (bridged.has(session)) return session;
    bridged.add(session);
    session.onInbound((m) => void feed(session.connectionId, { eventId: m.messageId, type: 'message.received', id: m.messageId, occurredAt: m.receivedAt, data: m }));
    session.onStatus((s) => void feed(session.connectionId, { eventId: `${s.messageId}:${s.status}`, type: 'message.status', id: s.messageId, occurredAt: s.occurredAt, data: s }));
    return session;
  }

  return {
    get: (connectionId) => {
      const session = sessions.get(connectionId);
      return session === undefined ? undefined : bridge(session);
    },
    open: async (connectionId, settings) => bridge(await sessions.open(connectionId, settings)),
    close: (connectionId) => sessions.close(connectionId),
    closeAll: () => sessions.closeAll(),
  };
}
