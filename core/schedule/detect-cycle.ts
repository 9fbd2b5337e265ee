import type { DependencyEdge } from './dependency.ts';

const WHITE = 0;
const GREY = 1;
const BLACK = 2;

/**
 * Finds a dependency cycle in `edges` plus `adding`, following each edge from a milestone to the
 * milestone it depends on. Returns the cycle closed on its first id (`['a', 'b', 'c', 'a']`:
 * a depends on b, b on c, c on a), or undefined when there is none. When the cycle runs through
 * an edge being added, it starts at that edge's milestone, which is the one the user is editing.
 *
 * Iterative depth-first search, O(nodes + edges), so chains of any length are safe.
 *
 * @example detectCycle([{ milestoneId: 'b', dependsOn: 'a' }], [{ milestoneId: 'a', dependsOn: 'b' }]) // ['a', 'b', 'a']
 */
export function detectCycle(
  edges: readonly DependencyEdge[],
  adding: readonly DependencyEdge[] = [],
): string[] | undefined {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const intern = (id: string): number => {
    let i = index.get(id);
    if (i === undefined) {
      i = ids.length;
      index.set(id, i);
      ids.push(id);
    }
    return i;
  };
  // New edges' milestones come first so the search meets the new edge early.
  for (const edge of adding) intern(edge.milestoneId);
  const all = [...adding, ...edges];
  for (const edge of all) {
    intern(edge.milestoneId);
    intern(edge.dependsOn);
  }

  const next: number[][] = ids.map(() => []);
  for (const edge of all) (next[intern(edge.milestoneId)] as number[]).push(intern(edge.dependsOn));

  const colour = new Uint8Array(ids.length);
  const depthOf = new Int32Array(ids.length);
  const stack: number[] = [];
  const cursor: number[] = [];
  for (let root = 0; root < ids.length; root++) {
    if (colour[root] !== WHITE) continue;
    colour[root] = GREY;
    depthOf[root] = 0;
    stack.push(root);
    cursor.push(0);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top] as number;
      const targets = next[node] as number[];
      const at = cursor[top] as number;
      if (at === targets.length) {
        colour[node] = BLACK;
        stack.pop();
        cursor.pop();
        continue;
      }
      cursor[top] = at + 1;
      const target = targets[at] as number;
      if (colour[target] === GREY) {
        const cycle = stack.slice(depthOf[target]).map((i) => ids[i] as string);
        return closeAtNewEdge(cycle, adding);
      }
      if (colour[target] === WHITE) {
        colour[target] = GREY;
        depthOf[target] = stack.length;
        stack.push(target);
        cursor.push(0);
      }
    }
  }
  return undefined;
}

function closeAtNewEdge(cycle: string[], adding: readonly DependencyEdge[]): string[] {
  const added = new Set(adding.map((edge) => `${edge.milestoneId}\u0000${edge.dependsOn}`));
  let start = 0;
  for (let i = 0; i < cycle.length; i++) {
    if (added.has(`${cycle[i]}\u0000${cycle[(i + 1) % cycle.length]}`)) {
      start = i;
      break;
    }
  }
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return [...rotated, rotated[0] as string];
}

/**
 * The cycle written for people.
 *
 * @example formatCycle(['a', 'b', 'a']) // 'a → b → a'
 */
export function formatCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}
