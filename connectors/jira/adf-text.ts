/** A node of Atlassian Document Format, the rich text REST v3 uses for descriptions and comments. */
export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
}

/** A whole ADF document. */
export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** True for an ADF document (`{ type: 'doc', version: 1, content: [...] }`). */
export function isAdfDoc(value: unknown): value is AdfDoc {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}

/**
 * Plain text as an ADF document the way Jira converts wiki text: blank lines separate paragraphs,
 * single newlines become hard breaks.
 * @example textToAdf('Scope\nphase 1') // one paragraph: text, hardBreak, text
 */
export function textToAdf(text: string): AdfDoc {
  if (text === '') return { type: 'doc', version: 1, content: [] };
  const content = text.split(/\n{2,}/).map((paragraph): AdfNode => {
    const inline: AdfNode[] = [];
    paragraph.split('\n').forEach((line, index) => {
      if (index > 0) inline.push({ type: 'hardBreak' });
      if (line !== '') inline.push({ type: 'text', text: line });
    });
    return { type: 'paragraph', content: inline };
  });
  return { type: 'doc', version: 1, content };
}

const BLOCKS = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule']);

function inlineText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      // What REST v2 shows for a mention, so both versions read the same text.
      return `[~accountid:${String(node.attrs?.id ?? '')}]`;
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    default:
      return (node.content ?? []).map(inlineText).join('');
  }
}

/**
 * The text of an ADF document as REST v2 would return it: blocks separated by blank lines,
 * marks dropped. Mappings then see the same `fields.description` whichever version was read.
 */
export function adfToText(doc: AdfNode): string {
  const blocks: string[] = [];
  const walk = (node: AdfNode): void => {
    if (BLOCKS.has(node.type)) {
      blocks.push(inlineText(node));
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return blocks.join('\n\n');
}
