/** Formats a zod-style path (`['fields', 3, 'toRemote']`) as `fields[3].toRemote`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The field index an issue path points into (`fields[3].toRemote` → 3), or -1 for spec-level paths. */
export function fieldIndexOf(path: string): number {
  const match = /^fields\[(\d+)\]/.exec(path);
  return match === null ? -1 : Number(match[1]);
}
