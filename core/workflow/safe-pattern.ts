/** Why {@link compileSafePattern} refused a pattern. */
export interface PatternError {
  readonly code: 'invalid_pattern' | 'unsafe_pattern';
  readonly message: string;
}

/** Longest pattern source accepted. */
export const MAX_PATTERN_LENGTH = 200;

/**
 * Compiles an admin-supplied regular expression, refusing the shapes that backtrack
 * catastrophically (a quantified group that itself repeats or alternates, backreferences),
 * because Node has no linear-time regex engine and one bad rule must not stall a worker.
 * This is a conservative check: it may refuse some harmless patterns.
 *
 * @example compileSafePattern('^PO-[0-9]{6}$') // { ok: true, value: /^PO-[0-9]{6}$/u }
 * @example compileSafePattern('(a+)+$') // { ok: false, error: { code: 'unsafe_pattern', ... } }
 */
export function compileSafePattern(
  source: string,
): { ok: true; value: RegExp } | { ok: false; error: PatternError } {
  if (source.length > MAX_PATTERN_LENGTH) {
    return fail('unsafe_pattern', `pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const hazard = findBacktrackingHazard(source);
  if (hazard) return fail('unsafe_pattern', hazard);
  try {
    return { ok: true, value: new RegExp(source, 'u') };
  } catch (cause) {
    return fail('invalid_pattern', cause instanceof Error ? cause.message : 'invalid regular expression');
  }
}

function fail(code: PatternError['code'], message: string): { ok: false; error: PatternError } {
  return { ok: false, error: { code, message } };
}

interface GroupFrame {
  repeats: boolean;
}

function findBacktrackingHazard(source: string): string | undefined {
  const groups: GroupFrame[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k')) return 'backreferences are not allowed';
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      groups.push({ repeats: false });
    } else if (ch === ')') {
      const closed = groups.pop();
      if (!closed) continue;
      const quantified = isRepeatingQuantifier(source, i + 1);
      if (quantified && closed.repeats) {
        return 'a repeated group must not itself contain repetition or alternation';
      }
      // The enclosing group inherits the risk: `((a+)b)+` backtracks like `(a+)+`.
      const parent = groups[groups.length - 1];
      if (parent && (closed.repeats || quantified)) parent.repeats = true;
    } else if (ch === '|' || isRepeatingQuantifier(source, i)) {
      const current = groups[groups.length - 1];
      if (current) current.repeats = true;
    }
  }
  return undefined;
}

function isRepeatingQuantifier(source: string, at: number): boolean {
  const ch = source[at];
  if (ch === '*' || ch === '+') return true;
  if (ch !== '{') return false;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!match) return false;
  if (match[2] === undefined) return Number(match[1]) > 1;
  return match[3] === '' || Number(match[3]) > 1;
}
