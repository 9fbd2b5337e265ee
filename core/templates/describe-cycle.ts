/**
 * Names a cycle of events by the keys of the nodes on it, e.g. `a → b → a`, keeping long cycles
 * readable by eliding their middle.
 */
export function describeCycle(events: readonly number[], keyOf: (node: number) => string): string {
  const keys: string[] = [];
  for (const event of events) {
    const key = keyOf(Math.floor(event / 2));
    if (keys[keys.length - 1] !== key) keys.push(key);
  }
  if (keys.length > 1 && keys[0] === keys[keys.length - 1]) keys.pop();
  const shown = keys.length > 12 ? [...keys.slice(0, 6), `… ${keys.length - 12} more …`, ...keys.slice(-6)] : keys;
  return [...shown, keys[0] ?? ''].join(' → ');
}
