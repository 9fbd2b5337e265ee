/**
 * Atlassian Document Format, the rich-text shape REST v3 uses for descriptions and comments.
 * v2 speaks plain strings (wiki markup), so the fake keeps the text and, when a v3 caller sent
 * one, the original document, and converts on the way out.
 */

export interface AdfNode {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  content?: AdfNode[];
}

export interface AdfDoc extends AdfNode {
  type: 'doc';
  version: 1;
  content: AdfNode[];
}

/** A rich-text value as stored: the text every version can show, plus the v3 document if one was sent. */
export interface RichText {
  text: string;
  adf?: AdfDoc;
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const doc = value as Record<string, unknown>;
  return doc.type === 'doc' && doc.version === 1 && Array.isArray(doc.content);
}

/** Paragraphs split on blank lines, single newlines become hard breaks, as Jira's converter does. */
export function textToAdf(text: string): AdfDoc {
  if (text === '') return { type: 'doc', version: 1, content: [] };
  const content: AdfNode[] = text.split(/\n{2,}/).map((paragraph) => {
    const inline: AdfNode[] = [];
    paragraph.split('\n').forEach((line, index) => {
      if (index > 0) inline.push({ type: 'hardBreak' });
      if (line !== '') inline.push({ type: 'text', text: line });
    });
    return { type: 'paragraph', content: inline };
  });
  return { type: 'doc', version: 1, content };
}

const blockTypes = new Set(['paragraph', 'heading', 'blockquote', 'codeBlock', 'listItem', 'panel', 'rule']);

function inlineText(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      // Wiki markup's mention form, which is what v2 shows for an ADF mention.
      return `[~accountid:${String(node.attrs?.id ?? '')}]`;
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    default:
      return (node.content ?? []).map(inlineText).join('');
  }
}

/** Plain text of a document: blocks separated by blank lines. Marks are dropped. */
export function adfToText(doc: AdfNode): string {
  const blocks: string[] = [];
  const walk = (node: AdfNode): void => {
    if (blockTypes.has(node.type)) {
      blocks.push(inlineText(node));
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return blocks.join('\n\n');
}

export function richTextFromString(text: string): RichText {
  return { text };
}

export function richTextFromAdf(doc: AdfDoc): RichText {
  return { text: adfToText(doc), adf: doc };
}

/** The value a caller of the given API version expects to read back. */
export function renderRichText(value: RichText, apiVersion: '2' | '3'): string | AdfDoc {
  if (apiVersion === '2') return value.text;
  return value.adf ?? textToAdf(value.text);
}
