import { pathReader, pathWriter } from './field-path.ts';
import type { PathSegment } from './field-path.ts';

// pathReader/pathWriter share one body across every path, so V8's property caches at those
// reads and writes see every key and every record shape and go megamorphic. A compiled mapping
// reads and writes the same paths for every record; giving each path its own small function,
// with its keys as literals, keeps each access monomorphic (several times faster over a
// 20-field mapping). Building one costs tens of microseconds, so these are for compile-once use;
// they behave exactly like pathReader/pathWriter, which stand in where code generation is
// disallowed (node --disallow-code-generation-from-strings).
//
// Keys enter the source only as JSON string literals and indexes only as integers, so no path
// can inject code.

function literal(segment: PathSegment): string {
  if (typeof segment === 'number') {
    if (!Number.isSafeInteger(segment) || segment < 0) throw new TypeError(`invalid array index ${segment}`);
    return String(segment);
  }
  return JSON.stringify(segment);
}

function generate<T>(params: string[], body: string, fallback: () => T): T {
  try {
    return new Function(...params, body) as T;
  } catch (error) {
    if (error instanceof EvalError) return fallback();
    throw error;
  }
}

/** `pathReader`, as a function of its own for this path. */
export function generatedPathReader(segments: readonly PathSegment[]): (record: unknown) => unknown {
  let body = '"use strict";\nlet v = record;\n';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      body += `if (v === null || typeof v !== "object" || !Array.isArray(v)) return undefined;\nv = v[${literal(segment)}];\n`;
    } else {
      // A function here is an inherited Object.prototype member: plain JSON never holds one.
      body += `if (v === null || typeof v !== "object" || Array.isArray(v)) return undefined;\nv = v[${literal(segment)}];\n`
        + 'if (typeof v === "function") return undefined;\n';
    }
  }
  body += 'return v;';
  return generate(['record'], body, () => pathReader(segments));
}

/** `pathWriter`, as a function of its own for this path. */
export function generatedPathWriter(segments: readonly PathSegment[]): (target: Record<string, unknown>, value: unknown) => void {
  if (segments.length === 0) throw new TypeError('generatedPathWriter: empty path');
  let body = '"use strict";\nlet c = target;\nlet n;\n';
  for (let i = 0; i < segments.length - 1; i += 1) {
    const key = literal(segments[i] as PathSegment);
    const created = typeof segments[i + 1] === 'number' ? '[]' : '{}';
    body += `n = c[${key}];\nif (n === null || typeof n !== "object") { n = ${created}; c[${key}] = n; }\nc = n;\n`;
  }
  body += `c[${literal(segments[segments.length - 1] as PathSegment)}] = value;`;
  return generate(['target', 'value'], body, () => pathWriter(segments));
}
