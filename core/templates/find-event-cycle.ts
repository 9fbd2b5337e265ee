import type { EventGraph } from './event-graph.ts';

/**
 * One cycle of the event graph as the events on it, in order, or undefined when there is none.
 * Iterative, so that a chain of ten thousand repetitions cannot overflow the call stack.
 */
export function findEventCycle(graph: EventGraph): number[] | undefined {
  const { eventCount, offsets, targets } = graph;
  const state = new Uint8Array(eventCount); // 0 unseen, 1 on the stack, 2 finished
  const cursor = new Int32Array(eventCount);
  const stack: number[] = [];
  for (let root = 0; root < eventCount; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    cursor[root] = offsets[root] ?? 0;
    stack.push(root);
    while (stack.length > 0) {
      const event = stack[stack.length - 1] ?? 0;
      const at = cursor[event] ?? 0;
      if (at < (offsets[event + 1] ?? 0)) {
        cursor[event] = at + 1;
        const next = targets[at] ?? 0;
        if (state[next] === 0) {
          state[next] = 1;
          cursor[next] = offsets[next] ?? 0;
          stack.push(next);
        } else if (state[next] === 1) {
          return stack.slice(stack.lastIndexOf(next));
        }
      } else {
        state[event] = 2;
        stack.pop();
      }
    }
  }
  return undefined;
}
