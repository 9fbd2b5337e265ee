import { z } from 'zod';

/**
 * Where a value sits in a JSON answer: dotted keys with `[n]` for array items (`page_context.has_more_page`,
 * `data[0].details`), `""` for the answer itself, or a list of literal keys for keys that contain
 * dots (`["@odata.nextLink"]`).
 */
export type JsonPath = string | readonly string[];

const SEGMENT = /^[^.[\]\s]+(?:\[\d+\])*$/;

/** Validates a JsonPath in a config. */
export const jsonPathSchema = z.union([
  z.string().max(200).refine((p) => p === '' || p.split('.').every((s) => SEGMENT.test(s)), { error: 'must be dotted keys with [n] for array items, e.g. data.items or data[0].id' }),
  z.array(z.string().min(1).max(200)).min(1).max(20),
]);

type Step = string | number;

function stepsOf(path: JsonPath): Step[] {
  if (typeof path !== 'string') return [...path];
  if (path === '') return [];
  const steps: Step[] = [];
  for (const part of path.split('.')) {
    const key = /^[^[]+/.exec(part)![0];
    steps.push(key);
    for (const m of part.matchAll(/\[(\d+)\]/g)) steps.push(Number(m[1]));
  }
  return steps;
}

/** The value at `path`, or undefined when any step is missing. Own properties only. */
export function readPath(value: unknown, path: JsonPath): unknown {
  let at: unknown = value;
  for (const step of stepsOf(path)) {
    if (at === null || typeof at !== 'object') return undefined;
    if (Array.isArray(at)) {
      const index = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : Number.NaN;
      at = Number.isInteger(index) ? at[index] : undefined;
    } else {
      const key = String(step);
      at = Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined;
    }
  }
  return at;
}

/** Wraps `value` so that it sits at `path`: `wrapAt('data[0]', r)` is `{ data: [r] }`. */
export function wrapAt(path: JsonPath, value: unknown): unknown {
  const steps = stepsOf(path);
  let out: unknown = value;
  for (let i = steps.length - 1; i >= 0; i -= 1) {
    const step = steps[i]!;
    if (typeof step === 'number') {
      const arr: unknown[] = new Array<unknown>(step).fill(null);
      arr[step] = out;
      out = arr;
    } else {
      out = { [step]: out };
    }
  }
  return out;
}

/** A path as people write it, for messages. */
export function showPath(path: JsonPath): string {
  return typeof path === 'string' ? path || '(the answer itself)' : JSON.stringify(path);
}
