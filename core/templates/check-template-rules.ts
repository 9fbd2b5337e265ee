import { buildEventGraph } from './event-graph.ts';
import type { GraphNode } from './event-graph.ts';
import { describeCycle } from './describe-cycle.ts';
import { findEventCycle } from './find-event-cycle.ts';
import type { Template } from './template-schema.ts';
import { formatIssuePath } from './template-issue.ts';
import type { ReportIssue } from './template-issue.ts';
import { complexityRank } from './template-vocabulary.ts';
import type { Anchor, Complexity, DependencyType } from './template-vocabulary.ts';

const FULL_CONTRACT_BP = 10_000;

interface WorkItem {
  readonly key: string;
  readonly path: readonly PropertyKey[];
  readonly durationDays: number;
  readonly parent: number;
  readonly dependsOn: readonly { readonly key: string; readonly type: DependencyType; readonly lagDays: number }[];
}

/**
 * The rules of a template that span fields. Reports every problem it finds rather than the first,
 * so an admin can fix a document in one pass.
 */
export function checkTemplateRules(template: Template, report: ReportIssue): void {
  const claimed = new Map<string, string>();
  const phaseKeys = new Set<string>();
  const items: WorkItem[] = [];
  const anchors = new Map<Anchor, string>();
  let paymentTotal = 0;
  let keysUnique = true;

  const claim = (key: string, path: readonly PropertyKey[]): void => {
    const first = claimed.get(key);
    if (first === undefined) {
      claimed.set(key, formatIssuePath(path));
      return;
    }
    keysUnique = false;
    report({ code: 'duplicate-key', path: [...path, 'key'], message: `key '${key}' is already used at ${first}` });
  };

  const checkPayment = (
    item: { paymentBasisPoints?: number | undefined },
    path: readonly PropertyKey[],
    rank: number,
    gstRate: number | undefined,
    hsnSac: string | undefined,
  ): void => {
    if (item.paymentBasisPoints === undefined) return;
    paymentTotal += item.paymentBasisPoints;
    if (rank > 0) {
      report({
        code: 'optional-payment',
        path: [...path, 'paymentBasisPoints'],
        message: 'a payment must sit on a milestone present at every complexity level; remove minComplexity here or on its phase or parent',
      });
    }
    if (gstRate === undefined || hsnSac === undefined) {
      report({
        code: 'missing-tax-details',
        path: [...path, gstRate === undefined ? 'gstRate' : 'hsnSac'],
        message: 'a payment needs gstRate and hsnSac, on the milestone, its parent or the template',
      });
    }
  };

  template.phases.forEach((phase, p) => {
    const phasePath = ['phases', p];
    claim(phase.key, phasePath);
    phaseKeys.add(phase.key);
    const phaseRank = rankOf(phase.minComplexity);
    if (phase.repeatDependency !== undefined && !phase.repeatable) {
      report({ code: 'invalid-repeat', path: [...phasePath, 'repeatDependency'], message: 'repeatDependency needs repeatable: true' });
    }
    phase.milestones.forEach((milestone, m) => {
      const path = [...phasePath, 'milestones', m];
      claim(milestone.key, path);
      const rank = Math.max(phaseRank, rankOf(milestone.minComplexity));
      if (milestone.repeatable && phase.repeatable) {
        report({ code: 'invalid-repeat', path: [...path, 'repeatable'], message: 'a milestone cannot repeat inside a phase that already repeats' });
      }
      if (milestone.repeatDependency !== undefined && !milestone.repeatable) {
        report({ code: 'invalid-repeat', path: [...path, 'repeatDependency'], message: 'repeatDependency needs repeatable: true' });
      }
      milestone.anchors.forEach((anchor, a) => {
        const first = anchors.get(anchor);
        if (first !== undefined) {
          report({ code: 'invalid-anchor', path: [...path, 'anchors', a], message: `anchor '${anchor}' is already on '${first}'` });
        } else {
          anchors.set(anchor, milestone.key);
        }
        if (rank > 0) {
          report({ code: 'invalid-anchor', path: [...path, 'anchors', a], message: 'an anchor must sit on a milestone present at every complexity level' });
        }
      });
      const gstRate = milestone.gstRate ?? template.gstRate;
      const hsnSac = milestone.hsnSac ?? template.hsnSac;
      checkPayment(milestone, path, rank, gstRate, hsnSac);
      const parent = items.length;
      items.push({ key: milestone.key, path, durationDays: milestone.durationDays, parent: -1, dependsOn: milestone.dependsOn });
      milestone.subMilestones.forEach((sub, s) => {
        const subPath = [...path, 'subMilestones', s];
        claim(sub.key, subPath);
        const subRank = Math.max(rank, rankOf(sub.minComplexity));
        checkPayment(sub, subPath, subRank, sub.gstRate ?? gstRate, sub.hsnSac ?? hsnSac);
        items.push({ key: sub.key, path: subPath, durationDays: sub.durationDays, parent, dependsOn: sub.dependsOn });
      });
    });
  });

  const indexOf = new Map<string, number>();
  items.forEach((item, i) => {
    if (!indexOf.has(item.key)) indexOf.set(item.key, i);
  });
  let dependenciesKnown = true;
  for (const item of items) {
    item.dependsOn.forEach((dep, d) => {
      const path = [...item.path, 'dependsOn', d, 'key'];
      if (dep.key === item.key) {
        dependenciesKnown = false;
        report({ code: 'dependency-cycle', path, message: `'${item.key}' depends on itself` });
      } else if (!indexOf.has(dep.key)) {
        dependenciesKnown = false;
        const message = phaseKeys.has(dep.key)
          ? `'${dep.key}' is a phase; depend on one of its milestones instead`
          : `no milestone or sub-milestone has key '${dep.key}'`;
        report({ code: 'unknown-dependency', path, message });
      }
    });
  }

  if (paymentTotal !== FULL_CONTRACT_BP) {
    report({
      code: 'payment-total',
      path: ['phases'],
      message: `payments sum to ${paymentTotal} bp (${(paymentTotal / 100).toFixed(2)}%); they must sum to exactly ${FULL_CONTRACT_BP} bp (100%)`,
    });
  }

  if (keysUnique && dependenciesKnown) {
    const nodes: GraphNode[] = items.map((item) => ({
      durationDays: item.durationDays,
      parent: item.parent,
      dependencies: item.dependsOn.map((dep) => ({ on: indexOf.get(dep.key) ?? 0, type: dep.type, lagDays: dep.lagDays })),
    }));
    const cycle = findEventCycle(buildEventGraph(nodes));
    if (cycle !== undefined) {
      const first = items[Math.floor((cycle[0] ?? 0) / 2)];
      report({
        code: 'dependency-cycle',
        path: [...(first?.path ?? []), 'dependsOn'],
        message: `dependency cycle: ${describeCycle(cycle, (node) => items[node]?.key ?? '?')}`,
      });
    }
  }

  const regionCodes = new Set<string>();
  template.regions.forEach((region, r) => {
    if (regionCodes.has(region.code)) {
      report({ code: 'duplicate-region', path: ['regions', r, 'code'], message: `region '${region.code}' is listed twice` });
    }
    regionCodes.add(region.code);
  });
}

function rankOf(level: Complexity | undefined): number {
  return level === undefined ? 0 : complexityRank(level);
}
