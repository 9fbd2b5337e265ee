/** One element of a parsed document; attributes are not kept because nothing here reads them. */
export interface XmlElement {
  /** The name without its namespace prefix. */
  name: string;
  qualifiedName: string;
  children: XmlElement[];
  /** The element's own character data, entities decoded, CDATA included. */
  text: string;
}

const maxDepth = 64;
const namedEntities: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isNameStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code > 127;
}

function isNameChar(code: number): boolean {
  return isNameStart(code) || (code >= 48 && code <= 57) || code === 45 || code === 46 || code === 58;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function readName(text: string): string | undefined {
  let end = 0;
  while (end < text.length && isNameChar(text.charCodeAt(end))) end += 1;
  if (end === 0 || !isNameStart(text.charCodeAt(0))) return undefined;
  if (end < text.length && !isSpace(text.charCodeAt(end))) return undefined;
  return text.slice(0, end);
}

function decodeCodePoint(reference: string): string | undefined {
  const hex = reference.startsWith('x');
  const digits = hex ? reference.slice(1) : reference;
  if (digits.length === 0 || digits.length > 8) return undefined;
  for (const char of digits.toLowerCase()) {
    const isDigit = char >= '0' && char <= '9';
    if (!isDigit && !(hex && char >= 'a' && char <= 'f')) return undefined;
  }
  const codePoint = Number.parseInt(digits, hex ? 16 : 10);
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return undefined;
  return String.fromCodePoint(codePoint);
}

function decodeEntities(raw: string): string | undefined {
  let out = '';
  let pos = 0;
  while (pos < raw.length) {
    const amp = raw.indexOf('&', pos);
    if (amp < 0) return out + raw.slice(pos);
    const semi = raw.indexOf(';', amp);
    if (semi < 0) return undefined;
    const reference = raw.slice(amp + 1, semi);
    const decoded = reference.startsWith('#') ? decodeCodePoint(reference.slice(1)) : namedEntities[reference];
    if (decoded === undefined) return undefined;
    out += raw.slice(pos, amp) + decoded;
    pos = semi + 1;
  }
  return out;
}

// A `>` inside a quoted attribute value does not close the tag.
function findTagEnd(source: string, from: number): number {
  let quote: string | undefined;
  for (let pos = from; pos < source.length; pos += 1) {
    const char = source[pos];
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return pos;
    } else if (char === '<') {
      return -1;
    }
  }
  return -1;
}

/**
 * A small, non-validating XML reader for the few fields a SOAP notification carries.
 * It refuses DOCTYPE declarations outright, so no entity can be defined or expanded, and
 * returns undefined for anything it cannot read rather than guessing.
 */
export function parseXml(source: string): XmlElement | undefined {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;

  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      const open = stack.at(-1);
      if (open !== undefined) {
        const decoded = decodeEntities(raw);
        if (decoded === undefined) return undefined;
        open.text += decoded;
      } else if (raw.trim() !== '') {
        return undefined;
      }
    }
    if (lt < 0) break;

    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end < 0) return undefined;
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const open = stack.at(-1);
      const end = source.indexOf(']]>', lt + 9);
      if (open === undefined || end < 0) return undefined;
      open.text += source.slice(lt + 9, end);
      pos = end + 3;
    } else if (source.startsWith('<?', lt)) {
      const end = source.indexOf('?>', lt + 2);
      if (end < 0) return undefined;
      pos = end + 2;
    } else if (source.startsWith('<!', lt)) {
      return undefined;
    } else if (source.startsWith('</', lt)) {
      const end = source.indexOf('>', lt + 2);
      if (end < 0) return undefined;
      const closed = stack.pop();
      if (closed === undefined || closed.qualifiedName !== source.slice(lt + 2, end).trim()) return undefined;
      if (stack.length === 0) root = closed;
      pos = end + 1;
    } else {
      const end = findTagEnd(source, lt + 1);
      if (end < 0 || (root !== undefined && stack.length === 0)) return undefined;
      const selfClosing = source[end - 1] === '/';
      const qualifiedName = readName(source.slice(lt + 1, selfClosing ? end - 1 : end));
      if (qualifiedName === undefined) return undefined;
      const element: XmlElement = {
        name: qualifiedName.slice(qualifiedName.indexOf(':') + 1),
        qualifiedName,
        children: [],
        text: '',
      };
      const parent = stack.at(-1);
      parent?.children.push(element);
      if (selfClosing) {
        if (parent === undefined) root = element;
      } else {
        if (stack.length >= maxDepth) return undefined;
        stack.push(element);
      }
      pos = end + 1;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** The direct children of `element` with the given local name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((child) => child.name === name) ?? [];
}
