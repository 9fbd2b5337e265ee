import { buildEventGraph } from './event-graph.ts';
import { describeCycle } from './describe-cycle.ts';
import { findEventCycle } from './find-event-cycle.ts';
import type { Region } from './region-schema.ts';
import type { ReportIssue } from './template-issue.ts';

/**
 * Rules a region must keep beyond its shape: keys unique across overlays that can apply to the same
 * industry, dependencies inside the same overlay, anchors not both before and after,
 * and no cycles.
 */
export function checkRegionRules(region: Region, report: ReportIssue): void {
  // Overlays for disjoint industries never meet in one plan, so only overlapping ones must differ in keys.
  const firstUse = new Map<string, { overlay: number; milestone: number }[]>();
  region.overlays.forEach((overlay, o) => {
    overlay.milestones.forEach((milestone, m) => {
      const uses = firstUse.get(milestone.key) ?? [];
      const clash = uses.find((use) => use.overlay === o || overlapping(region.overlays[use.overlay]?.industries, overlay.industries));
      if (clash !== undefined) {
        report({
          code: 'duplicate-key',
          path: ['overlays', o, 'milestones', m, 'key'],
          message: `key '${milestone.key}' is already used at overlays[${clash.overlay}].milestones[${clash.milestone}], which applies to the same industry`,
        });
      }
      uses.push({ overlay: o, milestone: m });
      firstUse.set(milestone.key, uses);
    });
  });
  region.overlays.forEach((overlay, o) => {
    const indexOf = new Map<string, number>();
    overlay.milestones.forEach((milestone, m) => {
      indexOf.set(milestone.key, m);
      if (milestone.after !== undefined && milestone.before.includes(milestone.after)) {
        report({ code: 'invalid-anchor', path: ['overlays', o, 'milestones', m, 'before'], message: `cannot be both after and before the '${milestone.after}' anchor` });
      }
    });
    let known = true;
    overlay.milestones.forEach((milestone, m) => {
      milestone.dependsOn.forEach((dep, d) => {
        if (!indexOf.has(dep.key)) {
          known = false;
          report({ code: 'unknown-dependency', path: ['overlays', o, 'milestones', m, 'dependsOn', d, 'key'], message: `'${dep.key}' is not a milestone of this overlay` });
        }
      });
    });
    if (!known) return;
    const nodes = overlay.milestones.map((milestone) => ({
      durationDays: milestone.durationDays,
      parent: -1,
      dependencies: milestone.dependsOn.map((dep) => ({ on: indexOf.get(dep.key) ?? 0, type: dep.type, lagDays: dep.lagDays })),
    }));
    const cycle = findEventCycle(buildEventGraph(nodes));
    if (cycle !== undefined) {
      const first = Math.floor((cycle[0] ?? 0) / 2);
      report({
        code: 'dependency-cycle',
        path: ['overlays', o, 'milestones', first, 'dependsOn'],
        message: `dependency cycle: ${describeCycle(cycle, (node) => overlay.milestones[node]?.key ?? '?')}`,
      });
    }
  });
}

function overlapping(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  return a.some((industry) => b.includes(industry));
}
