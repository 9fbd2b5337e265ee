/** One element of a parsed document. */
export interface XmlElement {
  /** The name without its namespace prefix. */
  name: string;
  /** Attributes by qualified name (`xsi:type`), values decoded. */
  attributes: Readonly<Record<string, string>>;
  children: XmlElement[];
  /** The element's own character data, entities decoded, CDATA included. */
  text: string;
}

const MAX_DEPTH = 64;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const ATTRIBUTE = /^\s+([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/;

function decode(raw: string): string | undefined {
  let failed = false;
  const out = raw.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[a-z]+);|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) {
      failed = true;
      return match;
    }
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        failed = true;
        return match;
      }
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) failed = true;
    return named ?? match;
  });
  return failed ? undefined : out;
}

function readTag(source: string, at: number): { name: string; attributes: Record<string, string>; end: number; selfClosing: boolean } | undefined {
  const name = NAME.exec(source.slice(at + 1))?.[0];
  if (name === undefined) return undefined;
  let pos = at + 1 + name.length;
  const attributes: Record<string, string> = {};
  for (;;) {
    const attribute = ATTRIBUTE.exec(source.slice(pos, pos + 4096));
    if (attribute === null) break;
    const value = decode(attribute[2] ?? attribute[3] ?? '');
    if (value === undefined || Object.hasOwn(attributes, attribute[1]!)) return undefined;
    attributes[attribute[1]!] = value;
    pos += attribute[0].length;
  }
  const close = /^\s*(\/?)>/.exec(source.slice(pos, pos + 64));
  if (close === null) return undefined;
  return { name, attributes, end: pos + close[0].length, selfClosing: close[1] === '/' };
}

/**
 * A small, non-validating XML reader for SOAP notifications. It refuses DOCTYPE declarations (so
 * no entity can be defined or expanded) and anything it cannot read, returning undefined rather
 * than guessing.
 */
export function readXml(source: string): XmlElement | undefined {
  const stack: Array<XmlElement & { qualifiedName: string }> = [];
  let root: XmlElement | undefined;
  let pos = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < source.length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? source.length : lt;
    if (textEnd > pos) {
      const raw = source.slice(pos, textEnd);
      const open = stack.at(-1);
      if (open === undefined) {
        if (raw.trim() !== '') return undefined;
      } else {
        const text = decode(raw);
        if (text === undefined) return undefined;
        open.text += text;
      }
    }
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end < 0) return undefined;
      pos = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      const open = stack.at(-1);
      if (end < 0 || open === undefined) return undefined;
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
      const closed = stack.pop();
      if (end < 0 || closed === undefined || closed.qualifiedName !== source.slice(lt + 2, end).trim()) return undefined;
      if (stack.length === 0) root = closed;
      pos = end + 1;
    } else {
      if (root !== undefined && stack.length === 0) return undefined;
      const tag = readTag(source, lt);
      if (tag === undefined) return undefined;
      const element = { name: tag.name.slice(tag.name.indexOf(':') + 1), qualifiedName: tag.name, attributes: tag.attributes, children: [], text: '' };
      const parent = stack.at(-1);
      parent?.children.push(element);
      if (tag.selfClosing) {
        if (parent === undefined) root = element;
      } else {
        if (stack.length >= MAX_DEPTH) return undefined;
        stack.push(element);
      }
      pos = tag.end;
    }
  }
  return stack.length === 0 ? root : undefined;
}

/** The direct children of `element` with the given local name. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element?.children.filter((child) => child.name === name) ?? [];
}
