import type { DependencyType } from './template-vocabulary.ts';

/** A schedulable node as the event graph sees it: its own work, its parent and what it waits for. */
export interface GraphNode {
  readonly durationDays: number;
  /** Index of the parent milestone for a sub-milestone, otherwise -1. */
  readonly parent: number;
  readonly dependencies: readonly { readonly on: number; readonly type: DependencyType; readonly lagDays: number }[];
}

/**
 * The start (`2i`) and finish (`2i + 1`) events of every node, as compressed adjacency lists whose
 * weights are the minimum distance in working days. Finish is the last working day of the work.
 */
export interface EventGraph {
  readonly eventCount: number;
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Int32Array;
}

/**
 * Builds the event graph in linear time. Cycles in it are exactly the dependency cycles a plan
 * cannot be scheduled with, including the ones that run through a parent and its sub-milestones.
 */
export function buildEventGraph(nodes: readonly GraphNode[]): EventGraph {
  const eventCount = nodes.length * 2;
  const degree = new Int32Array(eventCount + 1);
  nodes.forEach((node, i) => {
    degree[2 * i] = (degree[2 * i] ?? 0) + 1;
    for (const dep of node.dependencies) {
      const from = dep.type === 'finish-to-start' ? 2 * dep.on + 1 : 2 * dep.on;
      degree[from] = (degree[from] ?? 0) + 1;
    }
    if (node.parent >= 0) {
      degree[2 * node.parent] = (degree[2 * node.parent] ?? 0) + 1;
      degree[2 * i + 1] = (degree[2 * i + 1] ?? 0) + 1;
    }
  });
  const offsets = new Int32Array(eventCount + 1);
  for (let e = 0; e < eventCount; e++) offsets[e + 1] = (offsets[e] ?? 0) + (degree[e] ?? 0);
  const fill = offsets.slice(0, eventCount);
  const edgeCount = offsets[eventCount] ?? 0;
  const targets = new Int32Array(edgeCount);
  const weights = new Int32Array(edgeCount);
  const add = (from: number, to: number, weight: number): void => {
    const at = fill[from] ?? 0;
    targets[at] = to;
    weights[at] = weight;
    fill[from] = at + 1;
  };
  nodes.forEach((node, i) => {
    // A zero-day milestone starts and finishes on the same working day.
    add(2 * i, 2 * i + 1, Math.max(node.durationDays - 1, 0));
    for (const dep of node.dependencies) {
      if (dep.type === 'finish-to-start') add(2 * dep.on + 1, 2 * i, 1 + dep.lagDays);
      else add(2 * dep.on, 2 * i, dep.lagDays);
    }
    if (node.parent >= 0) {
      add(2 * node.parent, 2 * i, 0);
      add(2 * i + 1, 2 * node.parent + 1, 0);
    }
  });
  return { eventCount, offsets, targets, weights };
}
