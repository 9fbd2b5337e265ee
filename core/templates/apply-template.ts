import { allocatePayments } from './allocate-payments.ts';
import { earliestEventTimes } from './earliest-event-times.ts';
import { buildEventGraph } from './event-graph.ts';
import type { GraphNode } from './event-graph.ts';
import { expandTemplate } from './expand-template.ts';
import type { ExpandedMilestone, ExpandedPhase, PlanDependency } from './expand-template.ts';
import { orderPlanItems } from './order-plan-items.ts';
import type { Region } from './region-schema.ts';
import type { Template } from './template-schema.ts';
import type { TemplateFailure, TemplateIssue } from './template-issue.ts';
import { weekendKinds } from './template-vocabulary.ts';
import type { Complexity, MilestoneType, Verification, Weekend } from './template-vocabulary.ts';
import { createWorkingDayCalendar, dayNumber } from './working-day-calendar.ts';

/** Options for {@link planFromTemplate}. */
export interface PlanFromTemplateOptions {
  readonly template: Template;
  readonly region?: Region | undefined;
  /** @default the template's own complexity */
  readonly complexity?: Complexity | undefined;
  /** @default 1 */
  readonly scale?: number | undefined;
  /** 'YYYY-MM-DD'; work starts on the first working day on or after it. */
  readonly startDate: string;
  /** Integer paise, at least 1. */
  readonly contractValue: number;
  /** @default { weekend: 'sat-sun', holidays: [] } */
  readonly calendar?: { readonly weekend?: Weekend | undefined; readonly holidays?: readonly string[] | undefined } | undefined;
}

/** A phase of a plan; its dates span its milestones. */
export interface PlannedPhase {
  readonly kind: 'phase';
  readonly key: string;
  readonly sourceKey: string;
  readonly repetition?: number;
  readonly region?: string;
  readonly title: string;
  readonly plannedStart: string;
  readonly dueDate: string;
}

/** A milestone or sub-milestone of a plan, with working-day dates and its payment in paise. */
export interface PlannedMilestone {
  readonly kind: 'milestone' | 'sub-milestone';
  readonly key: string;
  /** The phase's key for a milestone, the milestone's key for a sub-milestone. */
  readonly parentKey: string;
  readonly sourceKey: string;
  readonly repetition?: number;
  readonly region?: string;
  readonly title: string;
  readonly type: MilestoneType;
  readonly category: string;
  readonly durationDays: number;
  /** First working day of the work. */
  readonly plannedStart: string;
  /** Last working day of the work. */
  readonly dueDate: string;
  readonly payment?: { readonly amount: number; readonly gstRate: number; readonly hsnSac: string };
  readonly dependencies: readonly PlanDependency[];
  readonly verification: Verification;
}

/** One row of a plan. */
export type PlannedItem = PlannedPhase | PlannedMilestone;

/** Result of {@link planFromTemplate}. */
export type PlanFromTemplateResult = { readonly ok: true; readonly milestones: readonly PlannedItem[] } | TemplateFailure;

/**
 * Turns a template into a dated, priced plan for one project. Pure and linear in the plan's size.
 *
 * - Dates: a milestone starts on the first working day after all its finish-to-start predecessors'
 *   due dates (plus lag), and no earlier than its start-to-start predecessors' starts plus lag; a
 *   sub-milestone starts no earlier than its parent and its parent is due no earlier than it.
 *   A duration of n working days ends on the n-th working day; 0 and 1 both end on the start day.
 * - Money: integer paise summing to exactly `contractValue`. Each payment milestone gets
 *   floor(contractValue × bp / 10000); repetitions of one milestone split its amount equally with
 *   the remainder on the last repetition; what the floors leave goes to the last payment milestone
 *   in plan order.
 * - Order: topological, ties broken by template order; each phase comes just before its first
 *   milestone.
 *
 * @example planFromTemplate({ template, startDate: '2025-04-01', contractValue: 50_00_000_00, scale: 4 })
 */
export function planFromTemplate(options: PlanFromTemplateOptions): PlanFromTemplateResult {
  const invalid = checkOptions(options);
  if (invalid.length > 0) return { ok: false, errors: invalid };
  const expanded = expandTemplate(options);
  if (!expanded.ok) return expanded;
  const { milestones, phases } = expanded;

  const indexOf = new Map<string, number>();
  milestones.forEach((milestone, i) => indexOf.set(milestone.key, i));
  const nodes: GraphNode[] = milestones.map((milestone) => ({
    durationDays: milestone.durationDays,
    parent: milestone.kind === 'sub-milestone' ? (indexOf.get(milestone.parentKey) ?? -1) : -1,
    dependencies: milestone.dependencies.map((dep) => ({ on: indexOf.get(dep.onKey) ?? 0, type: dep.type, lagDays: dep.lagDays })),
  }));
  const times = earliestEventTimes(buildEventGraph(nodes));
  if (times === undefined) throw new Error('expandTemplate returned a plan with a dependency cycle');
  const order = orderPlanItems(nodes.length, (i) => {
    const node = nodes[i];
    if (node === undefined) return [];
    const preds = node.parent >= 0 ? [node.parent] : [];
    for (const dep of node.dependencies) preds.push(dep.on);
    return preds;
  });

  const calendar = createWorkingDayCalendar(options.startDate, options.calendar);
  let lastDay = 0;
  for (let i = 1; i < times.length; i += 2) lastDay = Math.max(lastDay, times[i] ?? 0);
  if (calendar.dateAt(lastDay) === undefined) {
    return { ok: false, errors: [{ code: 'date-out-of-range', path: 'scale', message: 'the plan would run past 9999-12-31; use a smaller scale' }] };
  }
  const dateAt = (index: number): string => calendar.dateAt(index) ?? '';

  const spans = new Map<string, { start: number; finish: number }>();
  milestones.forEach((milestone, i) => {
    if (milestone.kind !== 'milestone') return;
    const start = times[2 * i] ?? 0;
    const finish = times[2 * i + 1] ?? 0;
    const span = spans.get(milestone.parentKey);
    if (span === undefined) spans.set(milestone.parentKey, { start, finish });
    else {
      span.start = Math.min(span.start, start);
      span.finish = Math.max(span.finish, finish);
    }
  });

  const paying = order.filter((i) => milestones[i]?.payment !== undefined);
  const amounts = allocatePayments(
    options.contractValue,
    paying.map((i) => ({ basisPoints: milestones[i]?.payment?.basisPoints ?? 0, sourceKey: milestones[i]?.sourceKey ?? '' })),
  );
  const amountOf = new Map<number, number>();
  paying.forEach((i, n) => amountOf.set(i, amounts[n] ?? 0));

  const phaseByKey = new Map<string, ExpandedPhase>(phases.map((phase) => [phase.key, phase]));
  const placedPhases = new Set<string>();
  const rows: PlannedItem[] = [];
  for (const i of order) {
    const milestone = milestones[i];
    if (milestone === undefined) continue;
    if (milestone.kind === 'milestone' && !placedPhases.has(milestone.parentKey)) {
      placedPhases.add(milestone.parentKey);
      const phase = phaseByKey.get(milestone.parentKey);
      const span = spans.get(milestone.parentKey);
      if (phase !== undefined && span !== undefined) rows.push(plannedPhase(phase, dateAt(span.start), dateAt(span.finish)));
    }
    rows.push(plannedMilestone(milestone, dateAt(times[2 * i] ?? 0), dateAt(times[2 * i + 1] ?? 0), amountOf.get(i)));
  }
  return { ok: true, milestones: rows };
}

function plannedPhase(phase: ExpandedPhase, plannedStart: string, dueDate: string): PlannedPhase {
  return { ...phase, plannedStart, dueDate };
}

// Built field by field rather than by spreading: it runs once per milestone of plans with thousands.
function plannedMilestone(milestone: ExpandedMilestone, plannedStart: string, dueDate: string, amount: number | undefined): PlannedMilestone {
  const row: { -readonly [K in keyof PlannedMilestone]: PlannedMilestone[K] } = {
    kind: milestone.kind,
    key: milestone.key,
    parentKey: milestone.parentKey,
    sourceKey: milestone.sourceKey,
    title: milestone.title,
    type: milestone.type,
    category: milestone.category,
    durationDays: milestone.durationDays,
    plannedStart,
    dueDate,
    dependencies: milestone.dependencies,
    verification: milestone.verification,
  };
  if (milestone.repetition !== undefined) row.repetition = milestone.repetition;
  if (milestone.region !== undefined) row.region = milestone.region;
  if (milestone.payment !== undefined) row.payment = { amount: amount ?? 0, gstRate: milestone.payment.gstRate, hsnSac: milestone.payment.hsnSac };
  return row;
}

function checkOptions(options: PlanFromTemplateOptions): TemplateIssue[] {
  const errors: TemplateIssue[] = [];
  if (typeof options.startDate !== 'string' || dayNumber(options.startDate) === undefined) {
    errors.push({ code: 'invalid-option', path: 'startDate', message: "must be a real date written 'YYYY-MM-DD'" });
  }
  if (!Number.isSafeInteger(options.contractValue) || options.contractValue < 1) {
    errors.push({ code: 'invalid-option', path: 'contractValue', message: 'must be a positive whole number of paise (1 rupee = 100 paise)' });
  }
  const weekend = options.calendar?.weekend;
  if (weekend !== undefined && !(weekendKinds as readonly string[]).includes(weekend)) {
    errors.push({ code: 'invalid-option', path: 'calendar.weekend', message: `must be one of ${weekendKinds.join(', ')}` });
  }
  (options.calendar?.holidays ?? []).forEach((holiday, i) => {
    if (typeof holiday !== 'string' || dayNumber(holiday) === undefined) {
      errors.push({ code: 'invalid-option', path: `calendar.holidays[${i}]`, message: "must be a real date written 'YYYY-MM-DD'" });
    }
  });
  return errors;
}
