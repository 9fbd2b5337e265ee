import { detectCycle } from './detect-cycle.ts';
import type { Dependency } from './dependency.ts';
import { isIsoDate, toEpochDay } from './date-only.ts';
import { countWorkingDays } from './working-days.ts';
import type { WorkingCalendar } from './working-days.ts';

/**
 * A milestone to schedule. Give `durationDays`, or `plannedStart` and `dueDate`; an explicit
 * duration wins. Dates span inclusively: planned Monday and due Friday is 5 working days, or
 * 5 calendar days, because work happens on the due date too.
 */
export interface ScheduleItem {
  id: string;
  durationDays?: number;
  plannedStart?: string;
  dueDate?: string;
}

/** One milestone's place in the schedule, in days from the project's start (day 0). */
export interface ScheduledItem {
  id: string;
  duration: number;
  earliestStart: number;
  earliestFinish: number;
  latestStart: number;
  latestFinish: number;
  /** Total float: how far it can slip without moving the project's finish. */
  slack: number;
  /** Free float: how far it can slip without moving any successor's earliest start. */
  freeSlack: number;
  critical: boolean;
}

/** The critical-path schedule. */
export interface CriticalPathSchedule {
  /** Days from the project's start to its earliest finish. */
  projectDuration: number;
  /** In the order the items were given. */
  items: ScheduledItem[];
  /** Ids with zero slack, by earliest start, then earliest finish, then dependency order. */
  criticalPath: string[];
}

/** Why no schedule could be computed. */
export type CriticalPathError =
  | { code: 'duplicate_milestone'; message: string; milestoneId: string }
  | { code: 'unknown_milestone'; message: string; milestoneId: string }
  | { code: 'invalid_duration'; message: string; milestoneId: string }
  | { code: 'cycle'; message: string; cycle: string[] };

/**
 * Critical-path method over a project's milestones: forward and backward passes, total and
 * free slack, and the zero-slack milestones. Finish-to-start edges constrain
 * `start(successor) ≥ finish(predecessor) + lag`, start-to-start edges
 * `start(successor) ≥ start(predecessor) + lag`. Conditional edges are ignored: when they
 * will hold cannot be known in advance. Durations are whole days, working days by default
 * (`durationUnit: 'calendar'` to count every day). O(items + dependencies); the output
 * depends only on the input.
 *
 * @example
 * criticalPath({
 *   items: [{ id: 'a', durationDays: 3 }, { id: 'b', durationDays: 2 }],
 *   dependencies: [{ milestoneId: 'b', dependsOn: 'a', type: 'finish-to-start' }],
 * }) // { ok: true, value: { projectDuration: 5, criticalPath: ['a', 'b'], ... } }
 */
export function criticalPath(input: {
  items: readonly ScheduleItem[];
  dependencies: readonly Dependency[];
  durationUnit?: 'working' | 'calendar';
  calendar?: WorkingCalendar;
}): { ok: true; value: CriticalPathSchedule } | { ok: false; error: CriticalPathError } {
  const { items, dependencies, durationUnit = 'working', calendar = {} } = input;
  const n = items.length;
  const index = new Map<string, number>();
  const duration = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const item = items[i] as ScheduleItem;
    if (index.has(item.id)) {
      return fail({ code: 'duplicate_milestone', milestoneId: item.id, message: `milestone '${item.id}' is listed twice` });
    }
    index.set(item.id, i);
    const days = durationOf(item, durationUnit, calendar);
    if (!days.ok) return fail({ code: 'invalid_duration', milestoneId: item.id, message: days.message });
    duration[i] = days.value;
  }

  // Edges point from predecessor to successor; `startToStart` marks SS edges.
  const outgoing: number[][] = Array.from({ length: n }, () => []);
  const incoming: number[][] = Array.from({ length: n }, () => []);
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const edgeLag: number[] = [];
  const startToStart: boolean[] = [];
  const scheduled: Dependency[] = [];
  for (const dependency of dependencies) {
    if (dependency.type === 'conditional') continue;
    const successor = index.get(dependency.milestoneId);
    const predecessor = index.get(dependency.dependsOn);
    for (const [id, at] of [[dependency.milestoneId, successor], [dependency.dependsOn, predecessor]] as const) {
      if (at === undefined) {
        const message = `dependency names '${id}', which is not in the schedule`;
        return fail({ code: 'unknown_milestone', milestoneId: id, message });
      }
    }
    const edge = edgeFrom.length;
    edgeFrom.push(predecessor as number);
    edgeTo.push(successor as number);
    edgeLag.push(dependency.lagDays ?? 0);
    startToStart.push(dependency.type === 'start-to-start');
    outgoing[predecessor as number]?.push(edge);
    incoming[successor as number]?.push(edge);
    scheduled.push(dependency);
  }

  const order = topologicalOrder(n, outgoing, incoming, edgeTo);
  if (order.length < n) {
    const cycle = detectCycle(scheduled) ?? [];
    return fail({ code: 'cycle', cycle, message: `dependencies form a cycle: ${cycle.join(' → ')}` });
  }

  const earliestStart = new Float64Array(n);
  const earliestFinish = new Float64Array(n);
  for (const i of order) {
    let start = 0;
    for (const edge of incoming[i] as number[]) {
      const from = edgeFrom[edge] as number;
      const anchor = startToStart[edge] ? (earliestStart[from] as number) : (earliestFinish[from] as number);
      start = Math.max(start, anchor + (edgeLag[edge] as number));
    }
    earliestStart[i] = start;
    earliestFinish[i] = start + (duration[i] as number);
  }
  let projectDuration = 0;
  for (let i = 0; i < n; i++) projectDuration = Math.max(projectDuration, earliestFinish[i] as number);

  const latestStart = new Float64Array(n);
  const latestFinish = new Float64Array(n);
  const freeSlack = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const i = order[k] as number;
    const d = duration[i] as number;
    let finish = projectDuration;
    let free = projectDuration - (earliestFinish[i] as number);
    for (const edge of outgoing[i] as number[]) {
      const to = edgeTo[edge] as number;
      const lag = edgeLag[edge] as number;
      if (startToStart[edge]) {
        finish = Math.min(finish, (latestStart[to] as number) - lag + d);
        free = Math.min(free, (earliestStart[to] as number) - lag - (earliestStart[i] as number));
      } else {
        finish = Math.min(finish, (latestStart[to] as number) - lag);
        free = Math.min(free, (earliestStart[to] as number) - lag - (earliestFinish[i] as number));
      }
    }
    latestFinish[i] = finish;
    latestStart[i] = finish - d;
    freeSlack[i] = free;
  }

  const position = new Int32Array(n);
  order.forEach((i, k) => {
    position[i] = k;
  });
  const scheduledItems: ScheduledItem[] = items.map((item, i) => {
    const slack = (latestStart[i] as number) - (earliestStart[i] as number);
    return {
      id: item.id,
      duration: duration[i] as number,
      earliestStart: earliestStart[i] as number,
      earliestFinish: earliestFinish[i] as number,
      latestStart: latestStart[i] as number,
      latestFinish: latestFinish[i] as number,
      slack,
      freeSlack: freeSlack[i] as number,
      critical: slack === 0,
    };
  });
  const critical = scheduledItems
    .map((item, i) => ({ item, i }))
    .filter(({ item }) => item.critical)
    .sort(
      (a, b) =>
        a.item.earliestStart - b.item.earliestStart ||
        a.item.earliestFinish - b.item.earliestFinish ||
        (position[a.i] as number) - (position[b.i] as number),
    )
    .map(({ item }) => item.id);
  return { ok: true, value: { projectDuration, items: scheduledItems, criticalPath: critical } };
}

function fail(error: CriticalPathError): { ok: false; error: CriticalPathError } {
  return { ok: false, error };
}

// Kahn's algorithm over successors sorted by item position: the order, and so every tie-break
// built on it, depends on the items' order but not on the order dependencies were listed in.
function topologicalOrder(n: number, outgoing: number[][], incoming: number[][], edgeTo: number[]): number[] {
  for (const edges of outgoing) edges.sort((a, b) => (edgeTo[a] as number) - (edgeTo[b] as number));
  const waiting = new Int32Array(n);
  for (let i = 0; i < n; i++) waiting[i] = (incoming[i] as number[]).length;
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (waiting[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    for (const edge of outgoing[order[head] as number] as number[]) {
      const to = edgeTo[edge] as number;
      waiting[to] = (waiting[to] as number) - 1;
      if (waiting[to] === 0) order.push(to);
    }
  }
  return order;
}

function durationOf(
  item: ScheduleItem,
  unit: 'working' | 'calendar',
  calendar: WorkingCalendar,
): { ok: true; value: number } | { ok: false; message: string } {
  if (item.durationDays !== undefined) {
    if (Number.isInteger(item.durationDays) && item.durationDays >= 0) return { ok: true, value: item.durationDays };
    return { ok: false, message: `'${item.id}' has duration ${item.durationDays}; durations are whole days, zero or more` };
  }
  const { plannedStart, dueDate } = item;
  if (plannedStart === undefined || dueDate === undefined) {
    return { ok: false, message: `'${item.id}' needs durationDays, or plannedStart and dueDate` };
  }
  if (!isIsoDate(plannedStart) || !isIsoDate(dueDate)) {
    return { ok: false, message: `'${item.id}' has dates that are not YYYY-MM-DD` };
  }
  if (dueDate < plannedStart) return { ok: false, message: `'${item.id}' is due (${dueDate}) before it starts (${plannedStart})` };
  const value =
    unit === 'calendar' ? toEpochDay(dueDate) - toEpochDay(plannedStart) + 1 : countWorkingDays(plannedStart, dueDate, calendar);
  return { ok: true, value };
}
