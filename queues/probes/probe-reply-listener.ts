import type { InboundMessageListener } from '../notify/index.ts';
import { handleProbeReply } from './handle-probe-reply.ts';
import type { ProbeDeps } from './probe-deps.ts';

/**
 * The inbound-message listener for probe replies (WhatsApp, SMS, email): register it on the
 * process's InboundMessageBus. A message that answers no open probe is left to the listeners
 * after it.
 */
export function probeReplyListener(deps: ProbeDeps): InboundMessageListener {
  return {
    name: 'probe-replies',
    async onInboundMessage(message) {
      const outcome = await handleProbeReply(deps, {
        tenantId: message.tenantId,
        channel: message.channel,
        from: message.from,
        ...(message.personId ? { personId: message.personId } : {}),
        text: message.text,
        receivedAt: message.receivedAt,
        providerMessageId: message.providerMessageId,
        ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
        ...(message.contextId ? { contextId: message.contextId } : {}),
        ...(message.probeId ? { probeId: message.probeId } : {}),
      });
      if (outcome.status === 'applied') return { status: 'handled', note: `probe ${outcome.probeId}: ${outcome.kind}` };
      if (outcome.status === 'duplicate') return { status: 'handled', note: 'already applied' };
      return { status: 'ignored', reason: outcome.reason };
    },
  };
}
