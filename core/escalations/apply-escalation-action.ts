import { breachEscalation, openEscalation, raiseEscalation, resolveEscalation } from './escalation.ts';
import type { Escalation, EscalationResult } from './escalation.ts';
import type { EscalationAction } from './sweep-escalations.ts';

/**
 * Applies one sweep action to the escalation it names: `open` creates one (with `newId`),
 * `raise`, `breach` and `close` change `current`. Early warnings are not escalations and are
 * refused, as is an action for a different escalation.
 */
export function applyEscalationAction(current: Escalation | undefined, action: EscalationAction, newId?: string): EscalationResult {
  switch (action.type) {
    case 'open':
      return {
        ok: true,
        value: openEscalation({ id: newId ?? action.key, milestoneId: action.milestoneId, trigger: action.trigger, causeKey: action.causeKey, at: action.at, level: action.level }),
      };
    case 'raise':
      if (!current || current.id !== action.escalationId) throw new Error(`raise action for ${action.escalationId} applied to ${current?.id ?? 'nothing'}`);
      return raiseEscalation(current, { toLevel: action.toLevel, at: action.at, reason: action.reason });
    case 'breach':
      if (!current || current.id !== action.escalationId) throw new Error(`breach action for ${action.escalationId} applied to ${current?.id ?? 'nothing'}`);
      return breachEscalation(current, { at: action.at, reason: action.reason });
    case 'close':
      if (!current || current.id !== action.escalationId) throw new Error(`close action for ${action.escalationId} applied to ${current?.id ?? 'nothing'}`);
      return resolveEscalation(current, { at: action.at, resolution: 'cause_cleared', note: action.reason });
    default:
      throw new Error(`${action.type} is not an escalation change`);
  }
}
