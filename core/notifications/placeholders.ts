/** How a placeholder's value is turned into text. */
export type PlaceholderKind = 'text' | 'amount' | 'date' | 'percent' | 'number' | 'url';

interface PlaceholderSpec {
  readonly kind: PlaceholderKind;
  readonly description: string;
  /** Typical rendered values, used to estimate SMS length at save time. */
  readonly sample: { readonly en: string; readonly hi: string };
}

/**
 * Every placeholder a template may use, besides the `variables` it declares itself. Values are
 * passed to `renderMessage` under the same names.
 */
export const PLACEHOLDERS = {
  'milestone.title': { kind: 'text', description: 'The milestone title', sample: { en: 'Slab casting, 3rd floor', hi: 'तीसरी मंज़िल की स्लैब ढलाई' } },
  'project.name': { kind: 'text', description: 'The project name', sample: { en: 'Sharma Residency', hi: 'शर्मा रेज़िडेंसी' } },
  'owner.name': { kind: 'text', description: "The milestone owner's name", sample: { en: 'Ramesh Kumar', hi: 'रमेश कुमार' } },
  'recipient.name': { kind: 'text', description: "The recipient's name", sample: { en: 'Sunita Rao', hi: 'सुनीता राव' } },
  'client.name': { kind: 'text', description: 'The client (customer) name', sample: { en: 'Acme Traders', hi: 'एक्मे ट्रेडर्स' } },
  'tenant.name': { kind: 'text', description: 'The sending business, as registered for DLT', sample: { en: 'BuildWell', hi: 'बिल्डवेल' } },
  amount: { kind: 'amount', description: 'An amount in paise, printed in rupees with lakh/crore grouping', sample: { en: 'Rs 12,50,000', hi: '₹12,50,000' } },
  dueDate: { kind: 'date', description: "The due date, in the tenant's zone", sample: { en: '15 Dec 2026', hi: '15 दिस॰ 2026' } },
  newDueDate: { kind: 'date', description: 'A proposed new due date', sample: { en: '22 Dec 2026', hi: '22 दिस॰ 2026' } },
  replyOptions: { kind: 'text', description: 'How to answer a status probe', sample: { en: 'Reply 1 on track, 2 delayed, 3 done', hi: 'जवाब: 1 समय पर, 2 देरी, 3 पूरा' } },
  link: { kind: 'url', description: 'A link to the milestone, invoice or verification page', sample: { en: 'https://hub.example.in/m/8K2P', hi: 'https://hub.example.in/m/8K2P' } },
  probeRef: { kind: 'text', description: 'The probe reference (#P7K2M) that lets a reply find its probe', sample: { en: '#P7K2M', hi: '#P7K2M' } },
  percentComplete: { kind: 'percent', description: 'Percent complete', sample: { en: '40%', hi: '40%' } },
  expectedPercent: { kind: 'percent', description: 'Percent complete expected by now', sample: { en: '60%', hi: '60%' } },
  'invoice.number': { kind: 'text', description: 'The invoice number', sample: { en: 'INV/2026-27/0042', hi: 'INV/2026-27/0042' } },
  'escalation.level': { kind: 'number', description: 'The escalation level (1 = owner)', sample: { en: '2', hi: '2' } },
  'escalation.reason': { kind: 'text', description: 'Why the milestone is escalated', sample: { en: 'no reply to status requests', hi: 'स्थिति पूछने पर जवाब नहीं' } },
  'rule.name': { kind: 'text', description: 'The business rule that sent the message', sample: { en: 'Large payment due', hi: 'बड़ा भुगतान बाकी' } },
  daysOverdue: { kind: 'number', description: 'Whole days past the due date', sample: { en: '3', hi: '3' } },
} as const satisfies Readonly<Record<string, PlaceholderSpec>>;

/** The name of a built-in placeholder. */
export type PlaceholderName = keyof typeof PLACEHOLDERS;

/** True for a built-in placeholder name. */
export function isPlaceholderName(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name);
}

/** A placeholder or declared variable name: dotted identifiers, `milestone.title`, `site.name`. */
export const PLACEHOLDER_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*$/;

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*)\s*\}\}/g;

/** The placeholders in a text, in order of appearance, and any `{{` or `}}` that is not one. */
export function extractPlaceholders(text: string): { names: string[]; malformed: string[] } {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) names.push(match[1] as string);
  const rest = text.replace(PLACEHOLDER, '');
  const malformed: string[] = [];
  for (const match of rest.matchAll(/\{\{[^}]{0,40}\}?\}?|\}\}/g)) malformed.push(match[0]);
  return { names, malformed };
}

/** Replaces every placeholder with `valueOf(name)`. */
export function substitutePlaceholders(text: string, valueOf: (name: string) => string): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => valueOf(name));
}
