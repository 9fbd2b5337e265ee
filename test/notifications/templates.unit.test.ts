import { describe, expect, it } from 'vitest';
import {
  CHANNELS,
  loadDefaultTemplates,
  NOTIFICATION_LOCALES,
  renderMessage,
  selectTemplate,
  TEMPLATE_KEY_LIST,
  validateMessageTemplate,
} from '../../core/notifications/index.ts';
import type { MessageTemplate, MessageValues, RenderedMessage } from '../../core/notifications/index.ts';
import { replyOptionsText } from '../../core/probes/index.ts';

const DLT = '1107161234567890123';

function valid(input: Record<string, unknown>): MessageTemplate {
  const result = validateMessageTemplate(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function codes(input: Record<string, unknown>, options = {}): string[] {
  const result = validateMessageTemplate(input, options);
  return result.ok ? [] : result.errors.map((e) => e.code);
}

function rendered(template: MessageTemplate, values: MessageValues, timeZone?: string): RenderedMessage {
  const result = renderMessage(template, values, timeZone ? { timeZone } : {});
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const FULL_VALUES: MessageValues = {
  'milestone.title': 'Slab casting, 3rd floor',
  'project.name': 'Sharma Residency',
  'owner.name': 'Ramesh Kumar',
  'recipient.name': 'Sunita Rao',
  'client.name': 'Acme Traders',
  'tenant.name': 'BuildWell',
  amount: 125_000_000,
  dueDate: '2026-12-15',
  newDueDate: '2026-12-22',
  replyOptions: 'Reply 1 on track, 2 delayed, 3 done',
  link: 'https://hub.example.in/m/8K2P',
  probeRef: '#P7K2M',
  percentComplete: 40,
  expectedPercent: 65,
  'invoice.number': 'INV/2026-27/0042',
  'escalation.level': 2,
  'escalation.reason': 'there has been no reply to status requests',
  'rule.name': 'Payment milestone stalled',
  daysOverdue: 3,
};

describe('default templates', () => {
  const defaults = loadDefaultTemplates();

  it('cover every key, channel and locale', () => {
    expect(defaults).toHaveLength(TEMPLATE_KEY_LIST.length * CHANNELS.length * NOTIFICATION_LOCALES.length);
    for (const key of TEMPLATE_KEY_LIST) {
      for (const channel of CHANNELS) {
        for (const locale of NOTIFICATION_LOCALES) {
          expect(defaults.some((t) => t.key === key && t.channel === channel && t.locale === locale), `${key} ${channel} ${locale}`).toBe(true);
        }
      }
    }
  });

  it('all render with a full set of values, and SMS fits in three parts', () => {
    for (const template of defaults) {
      const message = rendered(template, FULL_VALUES);
      expect(message.text).not.toMatch(/\{\{|\}\}/);
      if (message.channel === 'sms') expect(message.sms.segments, `${template.key} ${template.locale}`).toBeLessThanOrEqual(3);
      if (message.channel === 'sms' && template.locale === 'en') expect(message.sms.encoding, template.key).toBe('GSM-7');
      if (message.channel === 'email') expect(message.subject).not.toContain('\n');
    }
  });

  it('ship the probe in English and Hindi, naming the milestone and the probe ref', () => {
    for (const locale of NOTIFICATION_LOCALES) {
      for (const channel of CHANNELS) {
        const selected = selectTemplate({ key: 'probe.status', channel, locale });
        expect(selected?.source).toBe('default');
        const message = rendered(selected!.template, { ...FULL_VALUES, replyOptions: replyOptionsText(locale, channel === 'sms' ? 'short' : 'long') });
        expect(message.text).toContain('Slab casting, 3rd floor');
        expect(message.text).toContain('#P7K2M');
        if (locale === 'hi') expect(message.text).toMatch(/[\u0900-\u097F]/);
      }
    }
  });

  it('carry WhatsApp Cloud API templates for messages that start a conversation', () => {
    const probe = selectTemplate({ key: 'probe.status', channel: 'whatsapp', locale: 'hi' })!.template;
    const message = rendered(probe, FULL_VALUES);
    expect(message.channel === 'whatsapp' && message.template).toMatchObject({
      name: 'hub_status_probe',
      language: { code: 'hi' },
      components: [{ type: 'body', parameters: expect.arrayContaining([{ type: 'text', text: '#P7K2M' }]) }],
    });
    const ack = selectTemplate({ key: 'probe.ack.done', channel: 'whatsapp', locale: 'en' })!.template;
    expect(ack.whatsappTemplate).toBeUndefined();
  });

  it('include a clarification that offers the reply options again', () => {
    const template = selectTemplate({ key: 'probe.clarification', channel: 'whatsapp', locale: 'en' })!.template;
    const text = rendered(template, { ...FULL_VALUES, replyOptions: replyOptionsText('en') }).text;
    expect(text).toMatch(/^Sorry, I did not understand/);
    expect(text).toContain('Reply 1 if on track, 2 if delayed');
  });
});

describe('validateMessageTemplate', () => {
  const probe = { key: 'probe.status', channel: 'whatsapp', locale: 'en', body: '{{milestone.title}}? {{replyOptions}} {{probeRef}}' };

  it('accepts a good template', () => {
    expect(validateMessageTemplate(probe)).toMatchObject({ ok: true, warnings: [] });
  });

  it.each([
    ['unknown placeholder', { ...probe, body: `${probe.body} {{milestone.colour}}` }, 'unknown-placeholder'],
    ['misspelt placeholder', { ...probe, body: '{{milestone.titel}} {{replyOptions}} {{probeRef}}' }, 'unknown-placeholder'],
    ['missing required placeholder', { ...probe, body: '{{milestone.title}}? {{replyOptions}}' }, 'missing-placeholder'],
    ['unclosed placeholder', { ...probe, body: `${probe.body} {{owner.name` }, 'malformed-placeholder'],
    ['empty placeholder', { ...probe, body: `${probe.body} {{}}` }, 'malformed-placeholder'],
    ['stray closing braces', { ...probe, body: `${probe.body} }}` }, 'malformed-placeholder'],
    ['email without subject', { ...probe, channel: 'email' }, 'subject-required'],
    ['subject on WhatsApp', { ...probe, subject: 'Hello' }, 'not-for-channel'],
    ['html format on SMS', { ...probe, channel: 'sms', dltTemplateId: DLT, format: 'html' }, 'not-for-channel'],
    ['WhatsApp template on SMS', { ...probe, channel: 'sms', dltTemplateId: DLT, whatsappTemplate: { name: 'x', language: 'en' } }, 'not-for-channel'],
    ['DLT id on email', { ...probe, channel: 'email', subject: 's', dltTemplateId: DLT }, 'not-for-channel'],
    ['SMS without DLT id', { ...probe, channel: 'sms' }, 'dlt-template-id-required'],
    ['variable shadowing a built-in', { ...probe, variables: ['amount'] }, 'variable-shadows-placeholder'],
    ['unknown key', { ...probe, key: 'probe.unknown' }, 'invalid-shape'],
    ['unknown locale', { ...probe, locale: 'ta' }, 'invalid-shape'],
    ['empty body', { ...probe, body: '' }, 'invalid-shape'],
    ['bad DLT id', { ...probe, channel: 'sms', dltTemplateId: 'DLT-1' }, 'invalid-shape'],
    ['bad WhatsApp template name', { ...probe, whatsappTemplate: { name: 'Status Probe', language: 'en' } }, 'invalid-shape'],
    ['unknown field', { ...probe, colour: 'red' }, 'invalid-shape'],
    ['not an object', 'hello', 'invalid-shape'],
  ])('refuses %s', (_name, input, code) => {
    expect(codes(input as Record<string, unknown>)).toContain(code);
  });

  it('reports an unknown placeholder inside a WhatsApp template parameter with its path', () => {
    const result = validateMessageTemplate({
      ...probe,
      whatsappTemplate: { name: 'hub_status_probe', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: '{{milestone.name}}' }] }] },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatchObject({ code: 'unknown-placeholder', path: 'whatsappTemplate.components[0].parameters[0].text' });
  });

  it('warns when a WhatsApp template does not pass a required placeholder', () => {
    const result = validateMessageTemplate({ ...probe, whatsappTemplate: { name: 'hub_status_probe', language: 'en', components: [] } });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['missing-placeholder', 'missing-placeholder', 'missing-placeholder']);
  });

  it('accepts declared variables and renders them', () => {
    const template = valid({ ...probe, body: `${probe.body} at {{site.name}}`, variables: ['site.name'] });
    const text = rendered(template, { ...FULL_VALUES, variables: { 'site.name': 'Plot 42' } }).text;
    expect(text).toContain('at Plot 42');
  });

  it('lets the shipped-defaults mode skip the DLT id', () => {
    expect(codes({ ...probe, channel: 'sms' }, { requireDltTemplateId: false })).toEqual([]);
  });

  it('estimates SMS parts: GSM-7 for English, UCS-2 for Hindi', () => {
    const en = validateMessageTemplate({ ...probe, channel: 'sms', dltTemplateId: DLT });
    expect(en.ok && en.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    const hi = validateMessageTemplate({ ...probe, channel: 'sms', locale: 'hi', dltTemplateId: DLT, body: 'काम की स्थिति: {{milestone.title}}? {{replyOptions}} {{probeRef}}' });
    expect(hi.ok && hi.sms).toMatchObject({ encoding: 'UCS-2', segments: 2 });
  });

  it('refuses an SMS that takes more parts than allowed', () => {
    const long = 'यह एक बहुत लंबा संदेश है जो कई हिस्सों में जाएगा। '.repeat(5);
    const body = `${long}{{milestone.title}} {{replyOptions}} {{probeRef}}`;
    expect(codes({ ...probe, channel: 'sms', locale: 'hi', dltTemplateId: DLT, body })).toEqual(['sms-too-long']);
    expect(codes({ ...probe, channel: 'sms', locale: 'hi', dltTemplateId: DLT, body }, { maxSmsSegments: 6 })).toEqual([]);
  });
});

describe('renderMessage', () => {
  const sms = (locale: 'en' | 'hi', body: string, extra: Record<string, unknown> = {}): MessageTemplate =>
    valid({ key: 'payment.reminder.before_due', channel: 'sms', locale, dltTemplateId: DLT, body, ...extra });

  it.each([
    [125_000_000, '₹12,50,000'],
    [1_234_567_890, '₹1,23,45,678.90'],
    [50_000, '₹500'],
    [10_000_000_000, '₹10,00,00,000'],
  ])('prints %i paise as %s with lakh/crore grouping', (paise, text) => {
    const template = valid({ key: 'invoice.sent', channel: 'whatsapp', locale: 'en', body: '{{amount}} {{invoice.number}}' });
    expect(rendered(template, { amount: paise, 'invoice.number': 'X' }).text).toBe(`${text} X`);
  });

  it('prints compact lakh and crore in English and Hindi', () => {
    const body = '{{amount}} / {{dueDate}}';
    const en = valid({ key: 'payment.reminder.before_due', channel: 'whatsapp', locale: 'en', body, amountStyle: 'compact' });
    const hi = valid({ key: 'payment.reminder.before_due', channel: 'whatsapp', locale: 'hi', body, amountStyle: 'compact' });
    expect(rendered(en, { amount: 125_000_000, dueDate: '2026-12-15' }).text).toBe('₹12.5 L / 15 Dec 2026');
    expect(rendered(en, { amount: 12_345_678_901, dueDate: '2026-12-15' }).text).toBe('₹12.35 Cr / 15 Dec 2026');
    expect(rendered(hi, { amount: 125_000_000, dueDate: '2026-12-15' }).text).toBe('₹12.5 लाख / 15 दिस॰ 2026');
  });

  it('writes Rs instead of ₹ in English SMS so the message stays GSM-7', () => {
    const message = rendered(sms('en', 'Pay {{amount}} by {{dueDate}}'), { amount: 125_000_000, dueDate: '2026-12-15' });
    expect(message.text).toBe('Pay Rs 12,50,000 by 15 Dec 2026');
    expect(message.channel === 'sms' && message.sms).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(message.channel === 'sms' && message.dltTemplateId).toBe(DLT);
  });

  it('counts Hindi SMS in UCS-2 parts of 70, then 67', () => {
    const message = rendered(sms('hi', '{{amount}} का भुगतान {{dueDate}} को देय है'), { amount: 125_000_000, dueDate: '2026-12-15' });
    expect(message.text).toBe('₹12,50,000 का भुगतान 15 दिस॰ 2026 को देय है');
    expect(message.channel === 'sms' && message.sms).toEqual({ encoding: 'UCS-2', units: message.text.length, segments: 1, perSegment: 70 });
  });

  it("prints an instant on the tenant's calendar, whatever zone the server runs in", () => {
    const template = valid({ key: 'payment.reminder.before_due', channel: 'whatsapp', locale: 'en', body: '{{amount}} {{dueDate}}' });
    // 20:00 UTC on the 15th is already the 16th in India, and still the 15th in New York.
    const due = new Date('2026-12-15T20:00:00Z');
    expect(rendered(template, { amount: 100, dueDate: due }).text).toBe('₹1 16 Dec 2026');
    expect(rendered(template, { amount: 100, dueDate: due }, 'America/New_York').text).toBe('₹1 15 Dec 2026');
    const hi = valid({ key: 'payment.reminder.before_due', channel: 'whatsapp', locale: 'hi', body: '{{amount}} {{dueDate}}' });
    expect(rendered(hi, { amount: 100, dueDate: due }).text).toBe('₹1 16 दिस॰ 2026');
  });

  it('prints a calendar date as that day in every zone', () => {
    const template = valid({ key: 'payment.reminder.before_due', channel: 'whatsapp', locale: 'en', body: '{{amount}} {{dueDate}}' });
    expect(rendered(template, { amount: 100, dueDate: '2026-03-31' }, 'Pacific/Kiritimati').text).toBe('₹1 31 Mar 2026');
  });

  it('HTML-escapes values in HTML email bodies and derives a text part', () => {
    const template = valid({
      key: 'verification.requested',
      channel: 'email',
      locale: 'en',
      subject: 'Verify {{milestone.title}}',
      format: 'html',
      body: '<p>Please verify <b>{{milestone.title}}</b>: <a href="{{link}}">open</a></p>',
    });
    const message = rendered(template, { 'milestone.title': 'Tiles <script>alert(1)</script> & "grout"', link: 'https://hub.example.in/v?a=1&b=2' });
    expect(message.channel).toBe('email');
    if (message.channel !== 'email') return;
    expect(message.html).toBe(
      '<p>Please verify <b>Tiles &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;grout&quot;</b>: <a href="https://hub.example.in/v?a=1&amp;b=2">open</a></p>',
    );
    expect(message.text).toBe('Please verify Tiles <script>alert(1)</script> & "grout": open');
    expect(message.subject).toBe('Verify Tiles <script>alert(1)</script> & "grout"');
  });

  it('escapes plain-text email bodies into the HTML part and keeps the text part plain', () => {
    const template = valid({ key: 'verification.requested', channel: 'email', locale: 'en', subject: 'Verify', body: 'Hello,\n\n{{milestone.title}} is ready' });
    const message = rendered(template, { 'milestone.title': 'A < B' });
    expect(message.channel === 'email' && message.html).toBe('<p>Hello,</p>\n<p>A &lt; B is ready</p>');
    expect(message.text).toBe('Hello,\n\nA < B is ready');
  });

  it('keeps line breaks out of subjects (no header injection)', () => {
    const template = valid({ key: 'verification.requested', channel: 'email', locale: 'en', subject: 'Verify {{milestone.title}}', body: '{{milestone.title}}' });
    const message = rendered(template, { 'milestone.title': 'Roof\r\nBcc: someone@example.com' });
    expect(message.channel === 'email' && message.subject).toBe('Verify Roof Bcc: someone@example.com');
  });

  it('flattens line breaks in WhatsApp template parameters, as the Cloud API requires', () => {
    const template = valid({
      key: 'verification.requested',
      channel: 'whatsapp',
      locale: 'en',
      body: '{{milestone.title}}',
      whatsappTemplate: { name: 'hub_verification_requested', language: 'en', components: [{ type: 'body', parameters: [{ type: 'text', text: '{{milestone.title}}' }] }] },
    });
    const message = rendered(template, { 'milestone.title': 'Line one\nline\ttwo      wide' });
    expect(message.channel === 'whatsapp' && message.template?.components[0]?.parameters[0]?.text).toBe('Line one line two   wide');
    expect(message.text).toBe('Line one\nline\ttwo      wide');
  });

  it('refuses to render with a missing value rather than send a placeholder', () => {
    const template = valid({ key: 'verification.requested', channel: 'whatsapp', locale: 'en', body: 'Hi {{recipient.name}}, verify {{milestone.title}}' });
    const result = renderMessage(template, { 'milestone.title': 'Roof' });
    expect(result).toEqual({ ok: false, error: { code: 'missing-values', placeholders: ['recipient.name'], message: 'no value for {{recipient.name}}' } });
  });

  it.each([
    ['amount with fractional paise', { amount: 12.5 }, 'amount'],
    ['amount as a string', { amount: '1000' }, 'amount'],
    ['a date that is not a date', { dueDate: '2026-02-30' }, 'dueDate'],
    ['a link that is not http(s)', { link: 'javascript:alert(1)' }, 'link'],
  ])('refuses %s', (_name, values, placeholder) => {
    const template = valid({ key: 'invoice.sent', channel: 'whatsapp', locale: 'en', body: '{{amount}} {{invoice.number}} {{dueDate}} {{link}}' });
    const base: MessageValues = { amount: 100, 'invoice.number': 'X', dueDate: '2026-12-15', link: 'https://x.in' };
    const result = renderMessage(template, { ...base, ...(values as MessageValues) });
    expect(result.ok === false && result.error).toMatchObject({ code: 'invalid-values', placeholders: [placeholder] });
  });
});

describe('selectTemplate', () => {
  const own = valid({ key: 'probe.ack.done', channel: 'whatsapp', locale: 'en', body: 'Shabash! {{milestone.title}} done.' });

  it("prefers the tenant's template in the recipient's language", () => {
    expect(selectTemplate({ key: 'probe.ack.done', channel: 'whatsapp', locale: 'en', tenantTemplates: [own] })).toMatchObject({ source: 'tenant', localeFallback: false, template: own });
  });

  it("prefers a default in the recipient's language to the tenant's English", () => {
    const chosen = selectTemplate({ key: 'probe.ack.done', channel: 'whatsapp', locale: 'hi', tenantTemplates: [own] });
    expect(chosen).toMatchObject({ source: 'default', localeFallback: false });
    expect(chosen?.template.locale).toBe('hi');
  });

  it('falls back to English when nothing exists in the language', () => {
    const english = loadDefaultTemplates().filter((t) => t.locale === 'en');
    const chosen = selectTemplate({ key: 'probe.status', channel: 'sms', locale: 'hi', defaults: english });
    expect(chosen).toMatchObject({ source: 'default', localeFallback: true });
    expect(selectTemplate({ key: 'probe.status', channel: 'sms', locale: 'hi', defaults: [] })).toBeUndefined();
  });
});
