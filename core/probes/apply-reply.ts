import { addDaysToIsoDate } from '../notifications/index.ts';
import type { TemplateKey } from '../notifications/index.ts';
import { DEFAULT_WORKFLOW, leavesFrom } from '../workflow/index.ts';
import type { StateCategory, Workflow } from '../workflow/index.ts';
import type { DelayCategory } from './delay-categories.ts';
import type { ProbeReply } from './parse-probe-reply.ts';

/** What applying a reply needs to know about the milestone. */
export interface ReplyMilestone {
  status: string;
  category: StateCategory;
  percentComplete?: number;
  /** `YYYY-MM-DD`. */
  dueDate?: string;
}

/**
 * The change a reply asks for. `events` are workflow events to run in order through
 * `planTransition`, after `percentComplete` is set (the default workflow's `submit` guard
 * needs 100%).
 */
export interface ReplyIntent {
  percentComplete?: number;
  events: string[];
  delay?: { category: DelayCategory; text: string; newDueDate?: string; blocked?: boolean };
}

/** The plan for a reply: the change, the message to answer with, and whether a person should look. */
export interface ReplyPlan {
  intent: ReplyIntent;
  messageKey: TemplateKey;
  /** Values for the acknowledgement besides the milestone's own. */
  messageValues: { percentComplete?: number; newDueDate?: string };
  /** True when the reply could not be applied as asked and someone should read it. */
  needsReview: boolean;
  /** Why `needsReview` is set. */
  note?: 'unclear_after_clarifications' | 'no_transition' | 'milestone_closed';
}

/**
 * Which workflow events a reply may cause, tried in order from the milestone's status: each
 * event is taken when the workflow has a transition for it from the current state. With the
 * default workflow, "done" from `planned` runs `start` then `submit`; from `on_hold`, `resume`
 * then `submit`; from `in_progress`, `submit`. "Blocked" runs `hold`. Progress reported on a
 * milestone that has not started runs `start`.
 */
export interface ReplyEventChains {
  done: readonly string[];
  blocked: readonly string[];
  progress: readonly string[];
}

/** The chains for the default workflow's events. */
export const DEFAULT_REPLY_EVENTS: ReplyEventChains = { done: ['start', 'resume', 'submit'], blocked: ['hold'], progress: ['start'] };

/**
 * Plans what a parsed reply does to its milestone, without writing anything.
 *
 * - `done` (or 100%): percent complete 100 and the events up to `submit`, so the work goes to
 *   verification rather than straight to verified; verification stays a person's decision.
 *   When no chain reaches `submit` (already submitted, disputed) nothing moves and the
 *   acknowledgement still goes out, flagged for review unless it was submitted already.
 * - `percent`: percent complete, plus `start` when the milestone had not started.
 * - `delayed`: a delay with its category, the owner's words and a proposed new due date (the
 *   date given, or the due date plus the days given); the due date itself is for a person to
 *   change.
 * - `blocked`: a delay marked blocked, plus `hold`.
 * - `on_track`: nothing changes but a completion estimate past the due date is a delay.
 * - `unclear`: a clarification; after `maxClarifications` of them, a note that the message was
 *   passed on, and `needsReview`. A reply is never dropped silently.
 */
export function applyReply(args: {
  reply: ProbeReply;
  milestone: ReplyMilestone;
  workflow?: Workflow;
  events?: ReplyEventChains;
  clarificationsSent?: number;
  maxClarifications?: number;
}): ReplyPlan {
  const { reply, milestone, workflow = DEFAULT_WORKFLOW, events = DEFAULT_REPLY_EVENTS, clarificationsSent = 0, maxClarifications = 2 } = args;
  const closed = milestone.category === 'done' || milestone.category === 'cancelled';
  const chain = (wanted: readonly string[], mustReach?: string): string[] => runChain(workflow, milestone.status, wanted, mustReach);

  switch (reply.kind) {
    case 'unclear':
      return clarificationsSent >= maxClarifications
        ? { intent: { events: [] }, messageKey: 'probe.ack.received', messageValues: {}, needsReview: true, note: 'unclear_after_clarifications' }
        : { intent: { events: [] }, messageKey: 'probe.clarification', messageValues: {}, needsReview: false };
    case 'done':
      return done();
    case 'percent': {
      if (reply.value >= 100) return done();
      const started = milestone.category === 'not_started' && reply.value > 0 ? chain(events.progress) : [];
      return {
        intent: { percentComplete: reply.value, events: closed ? [] : started },
        messageKey: 'probe.ack.percent',
        messageValues: { percentComplete: reply.value },
        needsReview: closed,
        ...(closed ? { note: 'milestone_closed' as const } : {}),
      };
    }
    case 'on_track': {
      if (reply.expectedDate !== undefined && milestone.dueDate !== undefined && reply.expectedDate > milestone.dueDate) {
        return delay('other', '', reply.expectedDate, false, reply.percent);
      }
      const intent: ReplyIntent = { events: [] };
      if (reply.percent !== undefined && !closed) intent.percentComplete = reply.percent;
      return { intent, messageKey: 'probe.ack.on_track', messageValues: {}, needsReview: false };
    }
    case 'delayed': {
      const newDueDate = reply.newDate ?? (reply.delayDays !== undefined && milestone.dueDate !== undefined ? addDaysToIsoDate(milestone.dueDate, reply.delayDays) : undefined);
      return delay(reply.reason?.category ?? 'other', reply.reason?.text ?? '', newDueDate, false, reply.percent);
    }
    case 'blocked':
      return delay(reply.reason.category, reply.reason.text, undefined, true, reply.percent);
    default:
      return reply satisfies never;
  }

  function done(): ReplyPlan {
    if (closed) return { intent: { events: [] }, messageKey: 'probe.ack.done', messageValues: {}, needsReview: false };
    const path = chain(events.done, 'submit');
    const alreadySubmitted = path.length === 0 && milestone.status === 'submitted';
    const stuck = path.length === 0 && !alreadySubmitted;
    return {
      intent: { percentComplete: 100, events: path },
      messageKey: 'probe.ack.done',
      messageValues: { percentComplete: 100 },
      needsReview: stuck,
      ...(stuck ? { note: 'no_transition' as const } : {}),
    };
  }

  function delay(category: DelayCategory, text: string, newDueDate: string | undefined, blocked: boolean, percent: number | undefined): ReplyPlan {
    const intent: ReplyIntent = {
      events: blocked && !closed ? chain(events.blocked) : [],
      delay: { category, text, ...(newDueDate !== undefined ? { newDueDate } : {}), ...(blocked ? { blocked } : {}) },
    };
    if (percent !== undefined && !closed) intent.percentComplete = percent;
    return {
      intent,
      messageKey: blocked ? 'probe.ack.blocked' : 'probe.ack.delayed',
      messageValues: newDueDate !== undefined ? { newDueDate } : {},
      needsReview: closed,
      ...(closed ? { note: 'milestone_closed' as const } : {}),
    };
  }
}

/**
 * Walks `wanted` from `status`, taking each event the workflow allows from the state reached
 * so far. With `mustReach`, returns nothing unless that event is taken.
 */
function runChain(workflow: Workflow, status: string, wanted: readonly string[], mustReach?: string): string[] {
  let current = status;
  const taken: string[] = [];
  for (const event of wanted) {
    const transition = workflow.transitions.find((t) => t.event === event && leavesFrom(workflow, t, current));
    if (!transition) continue;
    taken.push(event);
    current = transition.to;
  }
  if (mustReach !== undefined && !taken.includes(mustReach)) return [];
  return taken;
}
