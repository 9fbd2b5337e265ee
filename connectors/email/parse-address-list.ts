/** One mailbox of an address header. */
export interface EmailAddress {
  /** Lower-cased `local@domain`. */
  address: string;
  /** The display name, when there is one. */
  name?: string;
}

// Splits at top-level commas: not inside quotes, angle brackets or comments.
function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < value.length; i += 1) {
    const ch = value[i]!;
    if (quoted) {
      current += ch;
      if (ch === '\\' && i + 1 < value.length) current += value[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === '(') comment += 1;
    else if (ch === ')' && comment > 0) comment -= 1;
    else if (ch === '<' && comment === 0) angle += 1;
    else if (ch === '>' && angle > 0 && comment === 0) angle -= 1;
    else if ((ch === ',' || ch === ';') && angle === 0 && comment === 0) {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out;
}

function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (!quoted && ch === '(') depth += 1;
    else if (!quoted && ch === ')' && depth > 0) depth -= 1;
    else if (depth === 0) {
      if (ch === '"') quoted = !quoted;
      out += ch;
    }
  }
  return out;
}

function unquote(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) return trimmed.slice(1, -1).replace(/\\(.)/g, '$1');
  return trimmed;
}

const ADDR_SPEC = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/;

/**
 * The mailboxes of an address header (`From`, `To`, `Cc`), already free of encoded words.
 * Group syntax (`team: a@x, b@y;`) yields its members; anything without an address is skipped.
 * @example parseAddressList('"Rao, Asha" <Asha@Example.in>, b@x.in') // [{ address: 'asha@example.in', name: 'Rao, Asha' }, { address: 'b@x.in' }]
 */
export function parseAddressList(value: string): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (let item of splitTopLevel(value)) {
    // A group's display name ends at the first top-level colon outside an angle address.
    const colon = item.indexOf(':');
    const angleStart = item.indexOf('<');
    if (colon >= 0 && (angleStart < 0 || colon < angleStart) && !item.slice(0, colon).includes('"')) item = item.slice(colon + 1);
    const open = item.lastIndexOf('<');
    const close = item.lastIndexOf('>');
    if (open >= 0 && close > open) {
      const address = item.slice(open + 1, close).trim().replace(/^@[^:]*:/, '');
      if (!ADDR_SPEC.test(address)) continue;
      const name = unquote(stripComments(item.slice(0, open)));
      out.push(name === '' ? { address: address.toLowerCase() } : { address: address.toLowerCase(), name });
      continue;
    }
    const commentName = /\(([^()]*)\)/.exec(item)?.[1]?.trim();
    const bare = stripComments(item).trim();
    if (!ADDR_SPEC.test(bare)) continue;
    out.push(commentName ? { address: bare.toLowerCase(), name: commentName } : { address: bare.toLowerCase() });
  }
  return out;
}
