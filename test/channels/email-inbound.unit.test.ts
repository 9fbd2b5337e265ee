import { describe, expect, it } from 'vitest';
import { emailConnector, parseEmail, parseInboundEmail, stripQuotedReply } from '../../connectors/email/index.ts';

const crlf = (lines: string[]) => lines.join('\r\n');
const at = new Date('2025-03-31T05:00:00Z');
const post = (body: string | Uint8Array, contentType: string) => ({
  headers: { 'content-type': contentType },
  rawBody: typeof body === 'string' ? new TextEncoder().encode(body) : body,
  receivedAt: at,
});
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const ourProbe = '<mh.5d1c0ffee5d1c0ffee5d1c0ffee5d1c0@acme.in>';

// What Gmail sends: multipart/alternative, base64 UTF-8 text, quoted-printable HTML, encoded words,
// and an attribution line long enough to be wrapped.
const gmailReply = crlf([
  'MIME-Version: 1.0',
  'Date: Mon, 31 Mar 2025 10:29:41 +0530',
  'References: <older@acme.in>',
  ` ${ourProbe}`,
  `In-Reply-To: ${ourProbe}`,
  'Message-ID: <CAJ+gmail-reply-1@mail.gmail.com>',
  `Subject: =?UTF-8?B?${b64('Re: स्थिति: Foundation pour')}?=`,
  `From: =?UTF-8?Q?Asha_R=C4=81o?= <Asha.Rao@Example.in>`,
  'To: Acme Projects <projects@acme.in>',
  'Content-Type: multipart/alternative; boundary="000000000000abc123"',
  '',
  '--000000000000abc123',
  'Content-Type: text/plain; charset="UTF-8"',
  'Content-Transfer-Encoding: base64',
  '',
  b64('2 delayed — सरिया देर से आएगा\r\n\r\nOn Mon, 31 Mar 2025 at 10:00, Acme Projects <\r\nprojects@acme.in> wrote:\r\n\r\n> How is "Foundation pour" going?\r\n> Reply 1, 2 or 3.\r\n'),
  '--000000000000abc123',
  'Content-Type: text/html; charset="UTF-8"',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<div dir=3D"ltr">2 delayed =E2=80=94 steel is late</div><div class=3D"gmail_quote">On Mon wrote:<blockquote>How is it going?</blockquote></div>',
  '--000000000000abc123--',
  '',
]);

describe('inbound email replies', () => {
  it('reads a Gmail reply: encoded words, base64 UTF-8, quoted history removed, threaded to the probe', async () => {
    const result = await parseInboundEmail(post(gmailReply, 'message/rfc822'));
    expect(result).toEqual({
      ok: true,
      messages: [
        {
          messageId: '<CAJ+gmail-reply-1@mail.gmail.com>',
          from: 'asha.rao@example.in',
          to: 'projects@acme.in',
          text: '2 delayed — सरिया देर से आएगा',
          receivedAt: '2025-03-31T05:00:00.000Z',
          inReplyTo: ourProbe,
          subject: 'Re: स्थिति: Foundation pour',
          references: ['<older@acme.in>', ourProbe],
        },
      ],
      statuses: [],
      ignored: [],
    });
    const parsed = parseEmail(new TextEncoder().encode(gmailReply));
    expect(parsed.from).toEqual({ address: 'asha.rao@example.in', name: 'Asha Rāo' });
    expect(parsed.date?.toISOString()).toBe('2025-03-31T04:59:41.000Z');
  });

  it('reads an HTML-only Outlook reply and threads by References when In-Reply-To is missing', async () => {
    const outlook = crlf([
      'From: "Mehta, Ravi" <ravi.mehta@contractor.co.in>',
      'To: <projects@acme.in>',
      'Subject: RE: Status of Foundation pour',
      'Message-ID: <PN3P287MB1234@PN3P287.INDP287.PROD.OUTLOOK.COM>',
      `References: <a@acme.in> ${ourProbe}`,
      'Content-Type: text/html; charset="iso-8859-1"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<html><head><style>p{margin:0}</style></head><body><p>3 done &amp; handed over =96 photos to follow.</p>',
      '<div id=3D"divRplyFwdMsg"><b>From:</b> Acme Projects<br><b>Sent:</b> Monday</div><p>How is it going?</p></body></html>',
    ]);
    const result = await parseInboundEmail(post(outlook, 'message/rfc822'));
    expect(result).toMatchObject({ ok: true, messages: [{ from: 'ravi.mehta@contractor.co.in', text: '3 done & handed over – photos to follow.', inReplyTo: ourProbe }] });
  });

  it('turns a bounce into a permanent failure of the original message', async () => {
    const bounce = crlf([
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.in>',
      'To: projects@acme.in',
      'Subject: Undelivered Mail Returned to Sender',
      'Auto-Submitted: auto-replied',
      'Message-ID: <20250331050102.ABC@mx.acme.in>',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"',
      '',
      '--B1',
      'Content-Type: text/plain',
      '',
      'I\'m sorry to have to inform you that your message could not be delivered.',
      '--B1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.acme.in',
      'Arrival-Date: Mon, 31 Mar 2025 10:30:58 +0530',
      '',
      'Final-Recipient: rfc822; asha@old-domain.in',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <asha@old-domain.in>: Recipient address',
      '    rejected: User unknown in virtual mailbox table',
      '',
      '--B1',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Acme Projects <projects@acme.in>',
      'To: asha@old-domain.in',
      `Message-ID: ${ourProbe}`,
      'Subject: Status of Foundation pour',
      '--B1--',
    ]);
    const result = await parseInboundEmail(post(bounce, 'message/rfc822'));
    expect(result).toEqual({
      ok: true,
      messages: [],
      statuses: [
        {
          messageId: ourProbe,
          status: 'failed',
          error: { code: '550', permanent: true, message: 'smtp; 550 5.1.1 <asha@old-domain.in>: Recipient address rejected: User unknown in virtual mailbox table' },
          occurredAt: '2025-03-31T05:00:00.000Z',
          recipient: 'asha@old-domain.in',
        },
      ],
      ignored: [],
    });
  });

  it('ignores an out-of-office reply instead of reading it as an answer', async () => {
    const ooo = crlf(['From: asha@example.in', 'To: projects@acme.in', 'Subject: Automatic reply: Status', 'Auto-Submitted: auto-replied', `In-Reply-To: ${ourProbe}`, 'Message-ID: <ooo-1@example.in>', '', 'I am on leave until 7 April.']);
    const result = await parseInboundEmail(post(ooo, 'message/rfc822'));
    expect(result).toEqual({ ok: true, messages: [], statuses: [], ignored: [{ messageId: '<ooo-1@example.in>', reason: 'automated' }] });
    const changes = await emailConnector.parseWebhook!(post(ooo, 'message/rfc822'), {});
    expect(changes).toMatchObject({ ok: true, changes: [{ type: 'message.ignored', id: '<ooo-1@example.in>' }] });
  });

  it('reads the generic JSON shape { from, to, subject, text, headers }', async () => {
    const body = JSON.stringify({
      from: 'Asha Rao <asha@example.in>',
      to: 'projects@acme.in',
      subject: 'Re: Status',
      text: '1\n\n> quoted',
      headers: { 'Message-ID': '<json-1@example.in>', 'In-Reply-To': ourProbe, 'X-Hub-Probe': 'prb_7Kq2' },
    });
    const result = await parseInboundEmail(post(body, 'application/json'));
    expect(result).toMatchObject({ ok: true, messages: [{ messageId: '<json-1@example.in>', from: 'asha@example.in', text: '1', inReplyTo: ourProbe, contextId: 'prb_7Kq2' }] });
  });

  it('reads raw MIME wrapped in JSON ({ raw }) and in a SendGrid form (email field)', async () => {
    const fromJson = await parseInboundEmail(post(JSON.stringify({ raw: gmailReply }), 'application/json'));
    expect(fromJson).toMatchObject({ ok: true, messages: [{ messageId: '<CAJ+gmail-reply-1@mail.gmail.com>' }] });
    const form = new FormData();
    form.set('email', gmailReply);
    form.set('to', 'projects@acme.in');
    const res = new Response(form);
    const body = new Uint8Array(await res.arrayBuffer());
    const fromForm = await parseInboundEmail(post(body, res.headers.get('content-type')!));
    expect(fromForm).toMatchObject({ ok: true, messages: [{ messageId: '<CAJ+gmail-reply-1@mail.gmail.com>', text: '2 delayed — सरिया देर से आएगा' }] });
  });

  it('reads a Mailgun-style form with message-headers as JSON pairs', async () => {
    const body = new URLSearchParams({
      sender: 'asha@example.in',
      recipient: 'projects@acme.in',
      subject: 'Re: Status',
      'body-plain': '2 delayed\r\n\r\nOn Mon, 31 Mar 2025, Acme wrote:\r\n> Status?',
      'message-headers': JSON.stringify([
        ['Message-Id', '<mg-1@example.in>'],
        ['In-Reply-To', ourProbe],
      ]),
    }).toString();
    const result = await parseInboundEmail(post(body, 'application/x-www-form-urlencoded'));
    expect(result).toMatchObject({ ok: true, messages: [{ messageId: '<mg-1@example.in>', from: 'asha@example.in', text: '2 delayed', inReplyTo: ourProbe }] });
  });

  it('gives a message without a Message-ID a stable id from its bytes', async () => {
    const raw = crlf(['From: asha@example.in', 'To: projects@acme.in', '', '1']);
    const first = await parseInboundEmail(post(raw, 'message/rfc822'));
    const again = await parseInboundEmail(post(raw, 'message/rfc822'));
    expect(first.ok && first.messages[0]!.messageId).toMatch(/^<[0-9a-f]{32}@no-message-id\.invalid>$/);
    expect(first).toEqual(again);
  });

  it('refuses bodies it cannot read, with a reason', async () => {
    await expect(parseInboundEmail(post('{not json', 'application/json'))).resolves.toMatchObject({ ok: false, error: { code: 'invalid_body' } });
    await expect(parseInboundEmail(post('[1,2]', 'application/json'))).resolves.toMatchObject({ ok: false, error: { message: 'the JSON body must be an object' } });
    await expect(parseInboundEmail(post('x', 'image/png'))).resolves.toMatchObject({ ok: false, error: { message: expect.stringContaining('image/png') } });
    await expect(parseInboundEmail(post(crlf(['To: projects@acme.in', '', 'who am I']), 'message/rfc822'))).resolves.toMatchObject({ ok: false, error: { message: 'the message has no From address' } });
    await expect(emailConnector.parseInboundMessages!(post('x', 'image/png'), {})).rejects.toThrow(/not an email/);
  });
});

describe('MIME details', () => {
  it('decodes a multi-byte character split across two encoded words, RFC 2231 file names and latin1 bodies', () => {
    const raw = crlf([
      'From: a@b.in',
      'Subject: =?UTF-8?B?4KSu4KS/?= =?UTF-8?B?4KSy4KS/?=',
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      'preamble is ignored',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=E9 r=\r\neport',
      '--inner--',
      '--outer',
      "Content-Type: application/pdf; name*0*=UTF-8''%E0%A4%AC%E0%A4%BF; name*1*=%E0%A4%B2.pdf",
      'Content-Disposition: attachment',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjc=',
      '--outer--',
    ]);
    const parsed = parseEmail(raw);
    expect(parsed.subject).toBe('मिलि');
    expect(parsed.text).toBe('Café report');
    expect(parsed.attachments).toEqual([{ filename: 'बिल.pdf', contentType: 'application/pdf', size: 8 }]);
  });

  it('strips signatures, Outlook header blocks and Hindi attributions; keeps inline answers', () => {
    expect(stripQuotedReply('3 done\n-- \nAsha Rao\nSite engineer')).toBe('3 done');
    expect(stripQuotedReply('2 delayed\n\nFrom: Acme Projects <projects@acme.in>\nSent: Monday, 31 March 2025 10:00\nTo: Ravi\nSubject: Status')).toBe('2 delayed');
    expect(stripQuotedReply('1 समय पर है\n\nसोम, 31 मार्च 2025 को Acme Projects ने लिखा:\n> स्थिति?')).toBe('1 समय पर है');
    expect(stripQuotedReply('> How is it going?\n2 delayed\n> Anything else?')).toBe('2 delayed');
  });
});
