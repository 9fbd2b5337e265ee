import { describe, expect, it } from 'vitest';
import { detectCycle, formatCycle } from '../../core/schedule/index.ts';
import type { DependencyEdge } from '../../core/schedule/index.ts';

const edge = (milestoneId: string, dependsOn: string): DependencyEdge => ({ milestoneId, dependsOn });

describe('detectCycle', () => {
  it('finds nothing in an acyclic graph, diamonds included', () => {
    const edges = [edge('b', 'a'), edge('c', 'a'), edge('d', 'b'), edge('d', 'c')];
    expect(detectCycle(edges)).toBeUndefined();
    expect(detectCycle(edges, [edge('e', 'd'), edge('e', 'a')])).toBeUndefined();
  });

  it('names the cycle a new edge would close, starting at the edited milestone', () => {
    // a depends on b, b on c; adding c → a closes the loop.
    const cycle = detectCycle([edge('a', 'b'), edge('b', 'c')], [edge('c', 'a')]);
    expect(cycle).toEqual(['c', 'a', 'b', 'c']);
    expect(formatCycle(cycle ?? [])).toBe('c → a → b → c');
  });

  it('reports only the milestones on the cycle, not the path into it', () => {
    const cycle = detectCycle([edge('x', 'a'), edge('a', 'b'), edge('b', 'c'), edge('d', 'c')], [edge('c', 'b')]);
    expect(cycle).toEqual(['c', 'b', 'c']);
  });

  it('treats a milestone depending on itself as a cycle', () => {
    expect(detectCycle([], [edge('a', 'a')])).toEqual(['a', 'a']);
  });

  it('finds a cycle already present in the existing edges', () => {
    const cycle = detectCycle([edge('p', 'q'), edge('q', 'r'), edge('r', 'p')]);
    expect(cycle).toHaveLength(4);
    expect(new Set(cycle)).toEqual(new Set(['p', 'q', 'r']));
    expect(cycle?.[0]).toBe(cycle?.[3]);
  });

  it('handles a 10,000-milestone chain without overflowing the stack', () => {
    const n = 10_000;
    const chain = Array.from({ length: n - 1 }, (_, i) => edge(`m${i}`, `m${i + 1}`));
    expect(detectCycle(chain)).toBeUndefined();

    const cycle = detectCycle(chain, [edge(`m${n - 1}`, 'm0')]);
    expect(cycle).toHaveLength(n + 1);
    expect(cycle?.[0]).toBe(`m${n - 1}`);
    expect(cycle?.[1]).toBe('m0');
    expect(cycle?.[n - 1]).toBe(`m${n - 2}`);
    expect(cycle?.[n]).toBe(`m${n - 1}`);
  });

  it('handles a 10,000-milestone fan-in graph', () => {
    const edges = Array.from({ length: 10_000 }, (_, i) => edge('final', `m${i}`));
    expect(detectCycle(edges, [edge('m9999', 'final')])).toEqual(['m9999', 'final', 'm9999']);
  });
});
