/**
 * A deterministic topological order: nodes are taken in their given (template) order, and each one
 * is preceded by whatever it waits for that has not been placed yet. Linear and iterative.
 *
 * `predecessors(i)` lists what node i waits for, most important first. The graph must be acyclic.
 */
export function orderPlanItems(count: number, predecessors: (node: number) => readonly number[]): number[] {
  const placed = new Uint8Array(count); // 0 not seen, 1 waiting for predecessors, 2 placed
  const order: number[] = [];
  const stack: { node: number; preds: readonly number[]; next: number }[] = [];
  for (let root = 0; root < count; root++) {
    if (placed[root] !== 0) continue;
    placed[root] = 1;
    stack.push({ node: root, preds: predecessors(root), next: 0 });
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) break;
      if (frame.next < frame.preds.length) {
        const pred = frame.preds[frame.next] ?? 0;
        frame.next += 1;
        if (placed[pred] === 0) {
          placed[pred] = 1;
          stack.push({ node: pred, preds: predecessors(pred), next: 0 });
        } else if (placed[pred] === 1) {
          throw new Error('orderPlanItems was given a cyclic graph');
        }
      } else {
        placed[frame.node] = 2;
        order.push(frame.node);
        stack.pop();
      }
    }
  }
  return order;
}
