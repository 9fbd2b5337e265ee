import { buildEventGraph } from './event-graph.ts';
import type { GraphNode } from './event-graph.ts';
import { describeCycle } from './describe-cycle.ts';
import { findEventCycle } from './find-event-cycle.ts';
import type { Region } from './region-schema.ts';
import type { Template } from './template-schema.ts';
import type { TemplateFailure, TemplateIssue } from './template-issue.ts';
import { complexityLevels, complexityRank } from './template-vocabulary.ts';
import type { Anchor, Complexity, DependencyType, MilestoneType, Verification } from './template-vocabulary.ts';

/** More items than any real project plan; it keeps one request from exhausting memory. */
export const MAX_EXPANDED_ITEMS = 200_000;

/** Options for {@link expandTemplate}. */
export interface ExpandTemplateOptions {
  readonly template: Template;
  /** Its overlays that name the template's industry (or no industry) are added. */
  readonly region?: Region | undefined;
  /** @default the template's own complexity */
  readonly complexity?: Complexity | undefined;
  /** How many times repeatable phases and milestones occur: floors, sprints, stores, batches. @default 1 */
  readonly scale?: number | undefined;
}

/** A dependency of an expanded milestone, by expanded key. */
export interface PlanDependency {
  readonly onKey: string;
  readonly type: DependencyType;
  readonly lagDays: number;
}

/** A phase after expansion; a repeatable phase yields one per repetition. */
export interface ExpandedPhase {
  readonly kind: 'phase';
  /** `superstructure:3` for a repetition, `region:in-mh` for a region's compliance phase. */
  readonly key: string;
  /** The key in the template or region. */
  readonly sourceKey: string;
  readonly repetition?: number;
  /** ISO 3166-2 code when the phase holds a region's compliance milestones. */
  readonly region?: string;
  readonly title: string;
}

/** A milestone or sub-milestone after expansion. */
export interface ExpandedMilestone {
  readonly kind: 'milestone' | 'sub-milestone';
  /** `slab:3` for a repetition, `in-mh:maharera-registration` for a region's milestone. */
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
  readonly verification: Verification;
  readonly dependencies: readonly PlanDependency[];
  /** `basisPoints` is the share of the whole source milestone; its repetitions split it. */
  readonly payment?: { readonly basisPoints: number; readonly gstRate: number; readonly hsnSac: string };
}

/** Phases and milestones in template order, repetitions and region steps included. */
export interface ExpandedTemplate {
  readonly ok: true;
  readonly phases: readonly ExpandedPhase[];
  readonly milestones: readonly ExpandedMilestone[];
}

/** Result of {@link expandTemplate}. */
export type ExpandTemplateResult = ExpandedTemplate | TemplateFailure;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface SourceDependency {
  readonly key: string;
  readonly type: DependencyType;
  readonly lagDays: number;
}

interface SourceNode {
  readonly key: string;
  readonly kind: 'milestone' | 'sub-milestone';
  // Phase key for a milestone, milestone key for a sub-milestone.
  readonly parentKey: string;
  // The milestone a sub-milestone belongs to; a milestone's own key.
  readonly top: string;
  readonly title: string;
  readonly type: MilestoneType;
  readonly category: string;
  readonly durationDays: number;
  readonly verification: Verification;
  readonly dependsOn: SourceDependency[];
  readonly payment: ExpandedMilestone['payment'];
  readonly rank: number;
  readonly group: string | undefined;
  readonly region: string | undefined;
  readonly children: SourceNode[];
}

interface SourcePhase {
  readonly key: string;
  readonly title: string;
  readonly rank: number;
  readonly group: string | undefined;
  readonly region: string | undefined;
  readonly milestones: SourceNode[];
}

interface RepeatGroup {
  readonly type: DependencyType;
  readonly lagDays: number;
  readonly members: SourceNode[];
  roots: Set<SourceNode>;
  sinks: SourceNode[];
}

interface ResolvedDependency {
  readonly target: SourceNode;
  readonly type: DependencyType;
  readonly lagDays: number;
}

/**
 * Expands a template into concrete phases and milestones for one project: drops what the chosen
 * complexity leaves out, repeats what is repeatable `scale` times and adds a region's compliance
 * steps. Runs in time linear in the size of the result.
 *
 * - A dropped milestone's dependants inherit its own dependencies, so order survives.
 * - Repetitions get keys `key:n` and titles `Title — unit n`; inside a repetition, dependencies
 *   stay inside it. Repetition n waits for n-1 by the group's `repeatDependency`: with
 *   finish-to-start its first milestones wait for the last ones of n-1, with start-to-start for the
 *   first ones of n-1.
 * - Depending on a repeated milestone from outside means its last repetition (finish-to-start) or
 *   its first (start-to-start).
 * - Region steps go in a phase keyed `region:<code>` and their keys are prefixed `<code>:`
 *   (`in-mh:maharera-registration`); `after` and `before` bind them to the template's anchors and
 *   are skipped when the template has no anchor of that name.
 *
 * @example expandTemplate({ template, complexity: 'complex', scale: 12 })
 */
export function expandTemplate(options: ExpandTemplateOptions): ExpandTemplateResult {
  const { template, region } = options;
  const complexity = options.complexity ?? template.complexity;
  const scale = options.scale ?? 1;
  const optionErrors: TemplateIssue[] = [];
  if (!(complexityLevels as readonly string[]).includes(complexity)) {
    optionErrors.push({ code: 'invalid-option', path: 'complexity', message: `must be one of ${complexityLevels.join(', ')}` });
  }
  if (!Number.isSafeInteger(scale) || scale < 1) {
    optionErrors.push({ code: 'invalid-option', path: 'scale', message: 'must be a positive integer' });
  }
  if (optionErrors.length > 0) return { ok: false, errors: optionErrors };
  const limit = complexityRank(complexity);

  const phases: SourcePhase[] = [];
  const byKey = new Map<string, SourceNode>();
  const anchorsAt = new Map<Anchor, SourceNode>();
  const groups = new Map<string, RepeatGroup>();
  const newGroup = (repeat: { type: DependencyType; lagDays: number } | undefined): RepeatGroup => ({
    type: repeat?.type ?? 'finish-to-start',
    lagDays: repeat?.lagDays ?? 0,
    members: [],
    roots: new Set(),
    sinks: [],
  });

  for (const phase of template.phases) {
    const phaseRank = rankOf(phase.minComplexity);
    const source: SourcePhase = {
      key: phase.key,
      title: phase.title,
      rank: phaseRank,
      group: phase.repeatable ? phase.key : undefined,
      region: undefined,
      milestones: [],
    };
    if (phase.repeatable) groups.set(phase.key, newGroup(phase.repeatDependency));
    for (const milestone of phase.milestones) {
      const rank = Math.max(phaseRank, rankOf(milestone.minComplexity));
      const group = source.group ?? (milestone.repeatable ? milestone.key : undefined);
      if (milestone.repeatable && !phase.repeatable) groups.set(milestone.key, newGroup(milestone.repeatDependency));
      const gstRate = milestone.gstRate ?? template.gstRate;
      const hsnSac = milestone.hsnSac ?? template.hsnSac;
      const node: SourceNode = {
        key: milestone.key,
        kind: 'milestone',
        parentKey: phase.key,
        top: milestone.key,
        title: milestone.title,
        type: milestone.type,
        category: milestone.category,
        durationDays: milestone.durationDays,
        verification: milestone.verification,
        dependsOn: [...milestone.dependsOn],
        payment: paymentOf(milestone.key, milestone.paymentBasisPoints, gstRate, hsnSac),
        rank,
        group,
        region: undefined,
        children: [],
      };
      byKey.set(node.key, node);
      for (const anchor of milestone.anchors) anchorsAt.set(anchor, node);
      for (const sub of milestone.subMilestones) {
        const child: SourceNode = {
          key: sub.key,
          kind: 'sub-milestone',
          parentKey: milestone.key,
          top: milestone.key,
          title: sub.title,
          type: sub.type ?? milestone.type,
          category: sub.category ?? milestone.category,
          durationDays: sub.durationDays,
          verification: sub.verification ?? milestone.verification,
          dependsOn: [...sub.dependsOn],
          payment: paymentOf(sub.key, sub.paymentBasisPoints, sub.gstRate ?? gstRate, sub.hsnSac ?? hsnSac),
          rank: Math.max(rank, rankOf(sub.minComplexity)),
          group,
          region: undefined,
          children: [],
        };
        byKey.set(child.key, child);
        node.children.push(child);
      }
      source.milestones.push(node);
    }
    phases.push(source);
  }

  const errors: TemplateIssue[] = [];
  if (region !== undefined) {
    const prefix = region.code.toLowerCase();
    const source: SourcePhase = {
      // Template keys never contain ':', so this cannot clash with a phase of the template.
      key: `region:${prefix}`,
      title: `Regional compliance — ${region.name}`,
      rank: 0,
      group: undefined,
      region: region.code,
      milestones: [],
    };
    region.overlays.forEach((overlay, o) => {
      if (overlay.industries !== undefined && !overlay.industries.includes(template.industry)) return;
      overlay.milestones.forEach((step, m) => {
        const key = `${prefix}:${step.key}`;
        if (byKey.has(key)) {
          errors.push({ code: 'duplicate-key', path: `region.overlays[${o}].milestones[${m}].key`, message: `region ${region.code} adds '${step.key}' twice` });
          return;
        }
        const dependsOn: SourceDependency[] = step.dependsOn.map((dep) => ({ ...dep, key: `${prefix}:${dep.key}` }));
        const after = step.after === undefined ? undefined : anchorsAt.get(step.after);
        if (after !== undefined) dependsOn.push({ key: after.key, type: 'finish-to-start', lagDays: 0 });
        const node: SourceNode = {
          key,
          kind: 'milestone',
          parentKey: source.key,
          top: key,
          title: step.title,
          type: step.type,
          category: step.category,
          durationDays: step.durationDays,
          verification: step.verification,
          dependsOn,
          payment: undefined,
          rank: rankOf(step.minComplexity),
          group: undefined,
          region: region.code,
          children: [],
        };
        byKey.set(key, node);
        for (const anchor of step.before) anchorsAt.get(anchor)?.dependsOn.push({ key, type: 'finish-to-start', lagDays: 0 });
        source.milestones.push(node);
      });
    });
    if (source.milestones.length > 0) phases.push(source);
  }

  const included = (node: SourceNode): boolean => node.rank <= limit;
  const resolved = new Map<SourceNode, ResolvedDependency[]>();
  // For an included node: its dependencies. For a dropped one: what its dependants inherit.
  const resolve = (node: SourceNode): ResolvedDependency[] => {
    const known = resolved.get(node);
    if (known !== undefined) return known;
    resolved.set(node, []);
    const own = included(node) || node.kind === 'milestone'
      ? node.dependsOn
      : [...node.dependsOn, { key: node.parentKey, type: 'start-to-start' as const, lagDays: 0 }];
    const out: ResolvedDependency[] = [];
    for (const dep of own) {
      const target = byKey.get(dep.key);
      if (target === undefined) {
        errors.push({ code: 'unknown-dependency', path: node.key, message: `'${node.key}' depends on unknown key '${dep.key}'` });
        continue;
      }
      if (included(target)) {
        out.push({ target, type: dep.type, lagDays: dep.lagDays });
      } else {
        // The dropped step's own link type carries over: it is what held the dependant back.
        for (const via of resolve(target)) out.push({ target: via.target, type: via.type, lagDays: via.lagDays + dep.lagDays });
      }
    }
    const unique = dedupe(out, (dep) => `${dep.type} ${dep.target.key}`);
    resolved.set(node, unique);
    return unique;
  };

  let itemCount = 0;
  for (const phase of phases) {
    if (phase.rank > limit) continue;
    const repeats = phase.group === undefined ? 1 : scale;
    let phaseItems = 0;
    for (const milestone of phase.milestones) {
      if (!included(milestone)) continue;
      let size = 1;
      for (const child of milestone.children) {
        if (included(child)) {
          resolve(child);
          size += 1;
        }
      }
      resolve(milestone);
      if (milestone.group !== undefined) groups.get(milestone.group)?.members.push(milestone);
      phaseItems += phase.group === undefined && milestone.group !== undefined ? size * scale : size;
    }
    if (phaseItems > 0) itemCount += repeats * (phaseItems + 1);
  }
  if (errors.length > 0) return { ok: false, errors };
  if (itemCount > MAX_EXPANDED_ITEMS) {
    return {
      ok: false,
      errors: [{ code: 'too-large', path: 'scale', message: `the plan would have ${itemCount} items; at most ${MAX_EXPANDED_ITEMS} are allowed` }],
    };
  }

  for (const group of groups.values()) {
    const waitedOn = new Set<string>();
    const waiting = new Set<string>();
    for (const member of group.members) {
      for (const node of [member, ...member.children]) {
        if (!included(node)) continue;
        for (const dep of resolved.get(node) ?? []) {
          if (dep.target.group === member.group && dep.target.top !== member.key) {
            waiting.add(member.key);
            waitedOn.add(dep.target.top);
          }
        }
      }
    }
    group.roots = new Set(group.members.filter((member) => !waiting.has(member.key)));
    group.sinks = group.members.filter((member) => !waitedOn.has(member.key));
  }

  const unit = template.scaleUnit;
  const outPhases: ExpandedPhase[] = [];
  const outMilestones: ExpandedMilestone[] = [];
  const keyOf = (node: SourceNode, repetition: number | undefined): string => (repetition === undefined ? node.key : `${node.key}:${repetition}`);

  const emit = (node: SourceNode, repetition: number | undefined, parentKey: string): void => {
    const dependencies: PlanDependency[] = [];
    for (const dep of resolved.get(node) ?? []) {
      const target = dep.target;
      let on: number | undefined;
      if (target.group === undefined) on = undefined;
      else if (target.group === node.group) on = repetition;
      else on = dep.type === 'finish-to-start' ? scale : 1;
      dependencies.push({ onKey: keyOf(target, on), type: dep.type, lagDays: dep.lagDays });
    }
    const group = node.group === undefined ? undefined : groups.get(node.group);
    if (group !== undefined && repetition !== undefined && repetition > 1 && group.roots.has(node)) {
      const previous = group.type === 'finish-to-start' ? group.sinks : group.roots;
      for (const before of previous) dependencies.push({ onKey: keyOf(before, repetition - 1), type: group.type, lagDays: group.lagDays });
    }
    // Optional fields are set only when present, without spreads: this runs once per expanded item.
    const milestone: Mutable<ExpandedMilestone> = {
      kind: node.kind,
      key: keyOf(node, repetition),
      parentKey,
      sourceKey: node.key,
      title: repetition === undefined ? node.title : `${node.title} — ${unit} ${repetition}`,
      type: node.type,
      category: node.category,
      durationDays: node.durationDays,
      verification: node.verification,
      dependencies: dependencies.length < 2 ? dependencies : dedupe(dependencies, (dep) => `${dep.type} ${dep.onKey}`),
    };
    if (repetition !== undefined) milestone.repetition = repetition;
    if (node.region !== undefined) milestone.region = node.region;
    if (node.payment !== undefined) milestone.payment = node.payment;
    outMilestones.push(milestone);
  };

  const emitWithChildren = (milestone: SourceNode, repetition: number | undefined, phaseKey: string): void => {
    emit(milestone, repetition, phaseKey);
    const key = keyOf(milestone, repetition);
    for (const child of milestone.children) if (included(child)) emit(child, repetition, key);
  };

  for (const phase of phases) {
    if (phase.rank > limit) continue;
    const milestones = phase.milestones.filter(included);
    if (milestones.length === 0) continue;
    const repetitions = phase.group === undefined ? [undefined] : Array.from({ length: scale }, (_, i) => i + 1);
    for (const repetition of repetitions) {
      const key = repetition === undefined ? phase.key : `${phase.key}:${repetition}`;
      outPhases.push({
        kind: 'phase',
        key,
        sourceKey: phase.key,
        ...(repetition === undefined ? {} : { repetition }),
        ...(phase.region === undefined ? {} : { region: phase.region }),
        title: repetition === undefined ? phase.title : `${phase.title} — ${unit} ${repetition}`,
      });
      for (const milestone of milestones) {
        if (repetition === undefined && milestone.group !== undefined) {
          for (let n = 1; n <= scale; n++) emitWithChildren(milestone, n, key);
        } else {
          emitWithChildren(milestone, repetition, key);
        }
      }
    }
  }

  const cycle = findCycle(outMilestones);
  if (cycle !== undefined) return { ok: false, errors: [{ code: 'dependency-cycle', path: 'dependsOn', message: `dependency cycle: ${cycle}` }] };
  return { ok: true, phases: outPhases, milestones: outMilestones };
}

function findCycle(milestones: readonly ExpandedMilestone[]): string | undefined {
  const indexOf = new Map<string, number>();
  milestones.forEach((milestone, i) => indexOf.set(milestone.key, i));
  const nodes: GraphNode[] = milestones.map((milestone) => ({
    durationDays: milestone.durationDays,
    parent: milestone.kind === 'sub-milestone' ? (indexOf.get(milestone.parentKey) ?? -1) : -1,
    dependencies: milestone.dependencies.map((dep) => ({ on: indexOf.get(dep.onKey) ?? 0, type: dep.type, lagDays: dep.lagDays })),
  }));
  const cycle = findEventCycle(buildEventGraph(nodes));
  return cycle === undefined ? undefined : describeCycle(cycle, (node) => milestones[node]?.key ?? '?');
}

function paymentOf(key: string, basisPoints: number | undefined, gstRate: number | undefined, hsnSac: string | undefined): ExpandedMilestone['payment'] {
  if (basisPoints === undefined) return undefined;
  if (gstRate === undefined || hsnSac === undefined) {
    throw new TypeError(`payment milestone '${key}' has no GST rate or HSN/SAC code; validate the template before expanding it`);
  }
  return { basisPoints, gstRate, hsnSac };
}

function rankOf(level: Complexity | undefined): number {
  return level === undefined ? 0 : complexityRank(level);
}

// Keeps the first of each identity, with the longest lag: the binding constraint.
function dedupe<T extends { readonly lagDays: number }>(items: readonly T[], identity: (item: T) => string): T[] {
  if (items.length < 2) return [...items];
  const byIdentity = new Map<string, T>();
  for (const item of items) {
    const id = identity(item);
    const first = byIdentity.get(id);
    if (first === undefined) byIdentity.set(id, item);
    else if (item.lagDays > first.lagDays) byIdentity.set(id, { ...first, lagDays: item.lagDays });
  }
  return [...byIdentity.values()];
}
