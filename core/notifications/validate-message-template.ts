import { messageTemplateSchema } from './message-template-schema.ts';
import type { MessageTemplate } from './message-template-schema.ts';
import { extractPlaceholders, isPlaceholderName, PLACEHOLDERS, substitutePlaceholders } from './placeholders.ts';
import { countSmsSegments } from './sms-segments.ts';
import type { SmsSegmentInfo } from './sms-segments.ts';
import { TEMPLATE_KEYS } from './template-keys.ts';
import { issuesFromZod } from './template-issue.ts';
import type { MessageTemplateIssue } from './template-issue.ts';

/** Options for {@link validateMessageTemplate}. */
export interface ValidateTemplateOptions {
  /**
   * Refuse SMS templates without a DLT template id. Indian SMS needs one, so this is on by
   * default; the shipped defaults are checked with it off, as tenants register their own.
   * @default true
   */
  requireDltTemplateId?: boolean;
  /** Most SMS parts a rendered message may take, estimated with typical values. @default 3 */
  maxSmsSegments?: number;
}

/** A valid template, with what is worth knowing but not wrong. */
export interface ValidTemplate {
  ok: true;
  value: MessageTemplate;
  warnings: MessageTemplateIssue[];
  /** For SMS: the estimated size of a typical rendered message. */
  sms?: SmsSegmentInfo;
}

/** The outcome of {@link validateMessageTemplate}. */
export type ValidateTemplateResult = ValidTemplate | { ok: false; errors: MessageTemplateIssue[] };

/** Lengths that stand in for declared variables when estimating SMS size. */
const VARIABLE_SAMPLE = 'xxxxxxxxxxxxxxxxxxxx';

/**
 * Checks a template before it is saved: its shape, that every placeholder is known (built-in
 * or declared in `variables`), that the key's required placeholders are in the body, that the
 * channel-specific fields fit the channel, and for SMS the DLT template id and the number of
 * parts a typical message takes (GSM-7 160/153 per part, UCS-2 for Hindi 70/67).
 */
export function validateMessageTemplate(input: unknown, options: ValidateTemplateOptions = {}): ValidateTemplateResult {
  const { requireDltTemplateId = true, maxSmsSegments = 3 } = options;
  const parsed = messageTemplateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesFromZod(parsed.error.issues) };
  const template = parsed.data;
  const errors: MessageTemplateIssue[] = [];
  const warnings: MessageTemplateIssue[] = [];
  const declared = new Set(template.variables ?? []);

  for (const name of declared) {
    if (isPlaceholderName(name)) {
      errors.push({ code: 'variable-shadows-placeholder', path: 'variables', message: `'${name}' is a built-in placeholder; remove it from variables` });
    }
  }

  const texts: Array<{ path: string; text: string }> = [{ path: 'body', text: template.body }];
  if (template.subject !== undefined) texts.push({ path: 'subject', text: template.subject });
  template.whatsappTemplate?.components.forEach((component, c) => {
    component.parameters.forEach((parameter, p) => {
      texts.push({ path: `whatsappTemplate.components[${c}].parameters[${p}].text`, text: parameter.text });
    });
  });
  for (const { path, text } of texts) {
    const { names, malformed } = extractPlaceholders(text);
    for (const bad of malformed) {
      errors.push({ code: 'malformed-placeholder', path, message: `'${bad}' is not a placeholder; write {{name}} with a known name` });
    }
    for (const name of new Set(names)) {
      if (!isPlaceholderName(name) && !declared.has(name)) {
        errors.push({ code: 'unknown-placeholder', path, message: `unknown placeholder {{${name}}}; declare it in variables or use a built-in one` });
      }
    }
  }

  const bodyNames = new Set(extractPlaceholders(template.body).names);
  const parameterNames = new Set(texts.filter((t) => t.path.startsWith('whatsappTemplate')).flatMap((t) => extractPlaceholders(t.text).names));
  for (const required of TEMPLATE_KEYS[template.key].required) {
    if (!bodyNames.has(required)) {
      errors.push({ code: 'missing-placeholder', path: 'body', message: `${template.key} needs {{${required}}} in the body` });
    }
    if (template.whatsappTemplate && !parameterNames.has(required)) {
      warnings.push({
        code: 'missing-placeholder',
        path: 'whatsappTemplate.components',
        message: `{{${required}}} is not a parameter of the WhatsApp template; its approved text must carry that information`,
      });
    }
  }

  checkChannelFields(template, errors, requireDltTemplateId);

  let sms: SmsSegmentInfo | undefined;
  if (template.channel === 'sms') {
    const sample = substitutePlaceholders(template.body, (name) =>
      isPlaceholderName(name) ? PLACEHOLDERS[name].sample[template.locale] : VARIABLE_SAMPLE,
    );
    sms = countSmsSegments(sample);
    if (sms.segments > maxSmsSegments) {
      errors.push({
        code: 'sms-too-long',
        path: 'body',
        message: `a typical message takes ${sms.segments} SMS parts (${sms.units} ${sms.encoding} units); at most ${maxSmsSegments} are allowed`,
      });
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return sms ? { ok: true, value: template, warnings, sms } : { ok: true, value: template, warnings };
}

function checkChannelFields(template: MessageTemplate, errors: MessageTemplateIssue[], requireDltTemplateId: boolean): void {
  const wrong = (path: string, channel: string): void => {
    errors.push({ code: 'not-for-channel', path, message: `${path} applies to ${channel} templates only` });
  };
  if (template.channel === 'email') {
    if (template.subject === undefined) errors.push({ code: 'subject-required', path: 'subject', message: 'an email template needs a subject' });
  } else {
    if (template.subject !== undefined) wrong('subject', 'email');
    if (template.format !== undefined) wrong('format', 'email');
  }
  if (template.channel !== 'whatsapp' && template.whatsappTemplate !== undefined) wrong('whatsappTemplate', 'whatsapp');
  if (template.channel !== 'sms' && template.dltTemplateId !== undefined) wrong('dltTemplateId', 'sms');
  if (template.channel === 'sms' && requireDltTemplateId && template.dltTemplateId === undefined) {
    errors.push({
      code: 'dlt-template-id-required',
      path: 'dltTemplateId',
      message: 'SMS in India needs the template id registered on the DLT platform',
    });
  }
}
