import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CHANNELS, NOTIFICATION_LOCALES } from './channels.ts';
import type { MessageTemplate } from './message-template-schema.ts';
import { TEMPLATE_KEY_LIST } from './template-keys.ts';
import { validateMessageTemplate } from './validate-message-template.ts';

const DATA_FILE = new URL('./data/default-templates.yaml', import.meta.url);

let cached: readonly MessageTemplate[] | undefined;

/**
 * The shipped templates: every key, channel and locale. Read and validated on first use (SMS
 * without DLT ids, which tenants add); invalid or missing shipped data is a bug, so it throws.
 */
export function loadDefaultTemplates(): readonly MessageTemplate[] {
  if (cached) return cached;
  const raw: unknown = parse(readFileSync(DATA_FILE, 'utf8'));
  if (!isRecord(raw)) throw new Error('data/default-templates.yaml must map template keys to locales');
  const templates: MessageTemplate[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!(TEMPLATE_KEY_LIST as readonly string[]).includes(key)) problems.push(`${key}: not a template key`);
  }
  for (const key of TEMPLATE_KEY_LIST) {
    for (const locale of NOTIFICATION_LOCALES) {
      for (const channel of CHANNELS) {
        const entry = pick(raw, key, locale, channel);
        if (!isRecord(entry)) {
          problems.push(`${key}.${locale}.${channel}: missing`);
          continue;
        }
        const { cloudTemplate, ...rest } = entry;
        const input: Record<string, unknown> = { ...rest, key, locale, channel };
        if (cloudTemplate !== undefined) input['whatsappTemplate'] = expandCloudTemplate(cloudTemplate, locale);
        const result = validateMessageTemplate(input, { requireDltTemplateId: false });
        if (!result.ok) {
          problems.push(...result.errors.map((e) => `${key}.${locale}.${channel}: ${e.code} at ${e.path || '(root)'}: ${e.message}`));
        } else {
          problems.push(...result.warnings.map((w) => `${key}.${locale}.${channel}: ${w.code}: ${w.message}`));
          templates.push(deepFreeze(result.value));
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(`data/default-templates.yaml is invalid:\n  ${problems.join('\n  ')}`);
  cached = Object.freeze(templates);
  return cached;
}

function expandCloudTemplate(value: unknown, language: string): unknown {
  if (!isRecord(value) || !Array.isArray(value['params'])) return value;
  const params = value['params'] as unknown[];
  return {
    name: value['name'],
    language,
    components: [{ type: 'body', parameters: params.map((name) => ({ type: 'text', text: `{{${String(name)}}}` })) }],
  };
}

function pick(raw: Record<string, unknown>, ...path: string[]): unknown {
  let node: unknown = raw;
  for (const part of path) node = isRecord(node) ? node[part] : undefined;
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
