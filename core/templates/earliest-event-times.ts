import type { EventGraph } from './event-graph.ts';

/**
 * The earliest working-day index of every event (longest path from day 0), in one linear pass
 * in topological order; undefined when the graph has a cycle.
 */
export function earliestEventTimes(graph: EventGraph): Float64Array | undefined {
  const { eventCount, offsets, targets, weights } = graph;
  const indegree = new Int32Array(eventCount);
  for (const target of targets) indegree[target] = (indegree[target] ?? 0) + 1;
  const queue = new Int32Array(eventCount);
  let tail = 0;
  for (let e = 0; e < eventCount; e++) if (indegree[e] === 0) queue[tail++] = e;
  const times = new Float64Array(eventCount);
  for (let head = 0; head < tail; head++) {
    const event = queue[head] ?? 0;
    const time = times[event] ?? 0;
    for (let at = offsets[event] ?? 0; at < (offsets[event + 1] ?? 0); at++) {
      const next = targets[at] ?? 0;
      const candidate = time + (weights[at] ?? 0);
      if (candidate > (times[next] ?? 0)) times[next] = candidate;
      indegree[next] = (indegree[next] ?? 0) - 1;
      if (indegree[next] === 0) queue[tail++] = next;
    }
  }
  return tail === eventCount ? times : undefined;
}
