import type { MessageValues } from './render-message.ts';

const DATE_FIELDS = new Set(['dueDate', 'newDueDate']);

/**
 * Message values in a form the store can hold: dotted names nested (`milestone.title` →
 * `{ milestone: { title } }`), declared `variables` kept under their own key, since field names
 * cannot contain dots.
 */
export function nestValues(values: MessageValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (name === 'variables') {
      out['variables'] = Object.entries(value as Record<string, string>).map(([key, text]) => ({ name: key, value: text }));
      continue;
    }
    const parts = name.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (typeof next === 'object' && next !== null && !(next instanceof Date) ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return out;
}

/** The inverse of {@link nestValues}. */
export function flattenValues(stored: Record<string, unknown>): MessageValues {
  const out: Record<string, unknown> = {};
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (!prefix && key === 'variables' && Array.isArray(value)) {
        out['variables'] = Object.fromEntries((value as Array<{ name: string; value: string }>).map((v) => [v.name, v.value]));
      } else if (typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value)) {
        walk(value as Record<string, unknown>, name);
      } else {
        out[name] = DATE_FIELDS.has(name) && typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value) : value;
      }
    }
  };
  walk(stored, '');
  return out as MessageValues;
}
