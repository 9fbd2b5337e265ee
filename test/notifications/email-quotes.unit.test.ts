import { describe, expect, it } from 'vitest';
import { parseProbeReply, stripEmailQuotes } from '../../core/probes/index.ts';

describe('stripEmailQuotes', () => {
  it.each([
    [
      'Gmail',
      '2 waiting for cement\n\nOn Tue, 1 Dec 2026 at 10:00, Milestone Hub <probes@hub.example.in> wrote:\n> How is "Slab casting" going?\n> Reply 1, 2 or 3',
      '2 waiting for cement',
    ],
    [
      'Gmail with the attribution wrapped onto two lines',
      'Done, handed over today.\n\nOn Tue, 1 Dec 2026 at 10:00 AM Milestone Hub <probes@hub.example.in>\nwrote:\n\n> quoted',
      'Done, handed over today.',
    ],
    [
      'Gmail in Hindi',
      'हो गया\n\nमंगल, 1 दिस॰ 2026 को 10:00 am बजे Milestone Hub <probes@hub.example.in> ने लिखा:\n> पुराना संदेश',
      'हो गया',
    ],
    [
      'Outlook with the underscore rule and header block',
      '70%\r\n\r\n________________________________\r\nFrom: Milestone Hub <probes@hub.example.in>\r\nSent: Tuesday, December 1, 2026 10:00 AM\r\nTo: Ramesh\r\nSubject: Status check',
      '70%',
    ],
    [
      'Outlook header block without a rule',
      'delayed, rain\n\nFrom: Milestone Hub <probes@hub.example.in>\nSent: Tuesday, December 1, 2026 10:00 AM\nSubject: Status check',
      'delayed, rain',
    ],
    ['Original Message separator', '1\n-----Original Message-----\nFrom: x\nHow is it going?', '1'],
    ['iPhone signature', 'ho gaya\n\nSent from my iPhone', 'ho gaya'],
    ['Outlook mobile signature', '3\n\nGet Outlook for Android', '3'],
    ['signature delimiter', '50%\n-- \nRamesh Kumar\nSite Engineer', '50%'],
    ['interleaved quotes', '> How is it going?\n2 waiting for client approval\n> Reply 1, 2 or 3', '2 waiting for client approval'],
    ['nothing to strip', 'Slab done.\nShuttering removed tomorrow.', 'Slab done.\nShuttering removed tomorrow.'],
    ['a From: in the reply itself', 'From: the site, slab is done', 'From: the site, slab is done'],
  ])('%s', (_name, text, expected) => {
    expect(stripEmailQuotes(text)).toBe(expected);
  });

  it('lets the reply be parsed without the quoted probe confusing it', () => {
    const email = '3\n\nOn Tue, 1 Dec 2026 at 10:00, Hub <p@hub.example.in> wrote:\n> Reply 1 if on track, 2 if delayed, 3 if done';
    expect(parseProbeReply(stripEmailQuotes(email))).toEqual({ kind: 'done' });
    // Unstripped, the quoted options would read as an unclear mixture.
    expect(parseProbeReply('on track?\n> 2 if delayed')).not.toEqual({ kind: 'done' });
  });
});
