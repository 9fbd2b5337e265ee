import { z } from 'zod';

const variableName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,30}$/, { error: 'must be a flow variable name such as VAR1' });

/** One DLT-approved template as added to MSG91. */
export const msg91TemplateSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be lower-case letters, digits, _ or -' }).describe('How messages name it (OutboundMessage.template.name)'),
  templateId: z.string().regex(/^[A-Za-z0-9]{8,40}$/, { error: "must be MSG91's template id" }).describe('MSG91 template id, sent as template_id'),
  dltTemplateId: z.string().regex(/^\d{19}$/, { error: 'must be the 19-digit DLT content template id' }).describe('DLT content template id (TE id) MSG91 maps the template to'),
  variables: z.array(variableName).min(1).max(10).default(['VAR1']).describe('Flow variables, in the order message parameters fill them'),
});

/** A `msg91` connection's config: sender, templates and which one carries free text. */
export const msg91ConfigSchema = z
  .strictObject({
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('https://control.msg91.com').describe('MSG91 API base URL; a local fake in tests'),
    senderId: z.string().regex(/^[A-Z]{6}$/, { error: 'must be the 6-letter DLT header (sender id)' }).describe('DLT header the templates are registered under'),
    templates: z.array(msg91TemplateSchema).min(1).max(50),
    textTemplate: z.string().optional().describe('Template with one variable that carries a whole rendered message, for messages that name no template'),
    shortUrl: z.boolean().default(false).describe('Let MSG91 shorten links in the text'),
  })
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.templates.forEach((t, i) => {
      if (names.has(t.name)) ctx.addIssue({ code: 'custom', path: ['templates', i, 'name'], message: `template name ${t.name} is used twice` });
      names.add(t.name);
    });
    if (config.textTemplate === undefined) return;
    const text = config.templates.find((t) => t.name === config.textTemplate);
    if (text === undefined) ctx.addIssue({ code: 'custom', path: ['textTemplate'], message: `no template is named ${config.textTemplate}` });
    else if (text.variables.length !== 1) ctx.addIssue({ code: 'custom', path: ['textTemplate'], message: 'the text template must have exactly one variable' });
  });

/** Parsed `msg91` config. */
export type Msg91Config = z.output<typeof msg91ConfigSchema>;

/** One MSG91 template in a parsed config. */
export type Msg91Template = z.output<typeof msg91TemplateSchema>;

/** The MSG91 auth key (sent in the `authkey` header). */
export const msg91CredentialsSchema = z.strictObject({ authKey: z.string().min(8).max(128) });

/** Parsed `msg91` credentials. */
export type Msg91Credentials = z.output<typeof msg91CredentialsSchema>;
