import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProbeReply, replyOptionsText } from '../../core/probes/index.ts';
import type { ProbeReply } from '../../core/probes/index.ts';

// Tuesday 1 December 2026, 11:30 IST; the milestone is due on 10 December.
const NOW = new Date('2026-12-01T06:00:00Z');
const read = (text: string): ProbeReply => parseProbeReply(text, { now: NOW, timeZone: 'Asia/Kolkata', dueDate: '2026-12-10' });

describe('parseProbeReply', () => {
  it.each<[string, { kind: ProbeReply['kind'] } & Record<string, unknown>]>([
    // The numbered options, bare and with more to say.
    ['1', { kind: 'on_track' }],
    ['2', { kind: 'delayed' }],
    ['3', { kind: 'done' }],
    [' 3. ', { kind: 'done' }],
    ['1️⃣', { kind: 'on_track' }],
    ['3️⃣', { kind: 'done' }],
    ['Option 3', { kind: 'done' }],
    ['३', { kind: 'done' }],
    ['2 waiting for cement', { kind: 'delayed', reason: { category: 'materials', text: 'waiting for cement' } }],
    ['2 - client approval pending', { kind: 'delayed', reason: { category: 'client_input', text: 'client approval pending' } }],
    ['2) rain', { kind: 'delayed', reason: { category: 'weather', text: 'rain' } }],
    ['2️⃣ baarish ki wajah se', { kind: 'delayed', reason: { category: 'weather', text: 'baarish ki wajah se' } }],
    ['२ बारिश', { kind: 'delayed', reason: { category: 'weather', text: 'बारिश' } }],
    ['2, labour shortage after Diwali', { kind: 'delayed', reason: { category: 'labour', text: 'labour shortage after Diwali' } }],
    ['2, 60% done, steel shortage', { kind: 'delayed', percent: 60, reason: { category: 'materials', text: '60% done, steel shortage' } }],
    ['2 by 15 Dec', { kind: 'delayed', newDate: '2026-12-15' }],
    ['1, 70% complete', { kind: 'on_track', percent: 70 }],
    ['3 - handed over to client today', { kind: 'done' }],
    ['Sir, 3', { kind: 'done' }],
    ['ok 1', { kind: 'on_track' }],
    ['Namaste ji, 2 - cement nahi aaya', { kind: 'delayed', reason: { category: 'materials', text: 'cement nahi aaya' } }],
    ['3 sir', { kind: 'done' }],
    // Done, in three languages.
    ['done', { kind: 'done' }],
    ['Done.', { kind: 'done' }],
    ['DONE', { kind: 'done' }],
    ['Completed', { kind: 'done' }],
    ['work completed sir', { kind: 'done' }],
    ['ho gaya', { kind: 'done' }],
    ['Ho gya sir', { kind: 'done' }],
    ['kaam pura ho gaya', { kind: 'done' }],
    ['हो गया', { kind: 'done' }],
    ['काम पूरा हो गया है', { kind: 'done' }],
    ['completed, 2 days late', { kind: 'done' }],
    ['100% done', { kind: 'done' }],
    // Percent complete.
    ['50%', { kind: 'percent', value: 50 }],
    ['70 percent', { kind: 'percent', value: 70 }],
    ['about 45 % done', { kind: 'percent', value: 45 }],
    ['80% ho gaya', { kind: 'percent', value: 80 }],
    ['50 प्रतिशत', { kind: 'percent', value: 50 }],
    ['७५%', { kind: 'percent', value: 75 }],
    ['aadha ho gaya', { kind: 'percent', value: 50 }],
    ['62.5% complete', { kind: 'percent', value: 63 }],
    ['70% done, will finish by 8 Dec', { kind: 'percent', value: 70, expectedDate: '2026-12-08' }],
    // On track.
    ['on track', { kind: 'on_track' }],
    ['All good, on schedule', { kind: 'on_track' }],
    ['work in progress, no issues', { kind: 'on_track' }],
    ['sab theek chal raha hai', { kind: 'on_track' }],
    ['kaam time pe hai', { kind: 'on_track' }],
    ['deri nahi hai', { kind: 'on_track' }],
    ['no delay', { kind: 'on_track' }],
    ['काम समय पर चल रहा है', { kind: 'on_track' }],
    ['कोई दिक्कत नहीं', { kind: 'on_track' }],
    ['kal tak ho jayega', { kind: 'on_track', expectedDate: '2026-12-02' }],
    ['will be done by tomorrow', { kind: 'on_track', expectedDate: '2026-12-02' }],
    ['3 din me ho jayega', { kind: 'on_track', expectedDate: '2026-12-04' }],
    ['will complete in 5 days', { kind: 'on_track', expectedDate: '2026-12-06' }],
    // Delays, with and without reasons and dates.
    ['delayed by 3 days', { kind: 'delayed', delayDays: 3, newDate: '2026-12-13' }],
    ['delay - client approval pending', { kind: 'delayed', reason: { category: 'client_input', text: 'client approval pending' } }],
    ['Delayed: waiting for NOC from fire department', { kind: 'delayed', reason: { category: 'permits', text: 'waiting for NOC from fire department' } }],
    ['1 week delay', { kind: 'delayed', delayDays: 7, newDate: '2026-12-17' }],
    ['running 2 weeks late due to monsoon', { kind: 'delayed', delayDays: 14, reason: { category: 'weather', text: 'running 2 weeks late due to monsoon' } }],
    ['2 din aur lagenge, mistri nahi aaya', { kind: 'delayed', delayDays: 2, reason: { category: 'labour', text: '2 din aur lagenge, mistri nahi aaya' } }],
    ['cement nahi aaya', { kind: 'delayed', reason: { category: 'materials', text: 'cement nahi aaya' } }],
    ['सीमेंट नहीं आया इसलिए देरी', { kind: 'delayed', reason: { category: 'materials', text: 'सीमेंट नहीं आया इसलिए देरी' } }],
    ['देरी - भुगतान बाकी है', { kind: 'delayed', reason: { category: 'payment', text: 'भुगतान बाकी है' } }],
    ['payment nahi aaya client se', { kind: 'delayed', reason: { category: 'payment', text: 'payment nahi aaya client se' } }],
    ['advance payment pending', { kind: 'delayed', reason: { category: 'payment' } }],
    ['late because the design drawings had errors', { kind: 'delayed', reason: { category: 'technical' } }],
    ['waiting for electrical team to finish', { kind: 'delayed', reason: { category: 'dependency' } }],
    ['delay due to server crash', { kind: 'delayed', reason: { category: 'technical', text: 'due to server crash' } }],
    ['some delay', { kind: 'delayed' }],
    ['by 15 Dec', { kind: 'delayed', newDate: '2026-12-15' }],
    ['15/12', { kind: 'delayed', newDate: '2026-12-15' }],
    ['done by 20th December', { kind: 'delayed', newDate: '2026-12-20' }],
    ['will be done by 8/12', { kind: 'on_track', expectedDate: '2026-12-08' }],
    ['new date 05-01-2027', { kind: 'delayed', newDate: '2027-01-05' }],
    ['15 जनवरी तक हो जाएगा', { kind: 'delayed', newDate: '2027-01-15' }],
    // Blocked.
    ['stuck - waiting for NOC from municipality', { kind: 'blocked', reason: { category: 'permits', text: 'stuck - waiting for NOC from municipality' } }],
    ['kaam ruka hua hai, labour nahi aaya', { kind: 'blocked', reason: { category: 'labour' } }],
    ['work stopped, JCB breakdown', { kind: 'blocked', reason: { category: 'technical' } }],
    ['काम बंद है, बारिश', { kind: 'blocked', reason: { category: 'weather' } }],
    ['on hold', { kind: 'blocked', reason: { category: 'other', text: 'on hold' } }],
    // Emoji alone.
    ['👍', { kind: 'on_track' }],
    ['👍🏽', { kind: 'on_track' }],
    ['✅', { kind: 'done' }],
    ['✔️', { kind: 'done' }],
    ['⏳', { kind: 'delayed' }],
    // A probe reference in the reply is not part of the answer.
    ['#P7K2M 3', { kind: 'done' }],
    ['Re #P7K2M: 2 rain', { kind: 'delayed', reason: { category: 'weather' } }],
  ])('%j → %j', (text, expected) => {
    expect(read(text)).toMatchObject(expected);
  });

  it.each([
    'asdfgh',
    '???',
    'ok',
    'Okay',
    'k',
    '4',
    '0',
    '12345',
    'hmm',
    'call me',
    'who is this?',
    'Good morning sir',
    'thank you',
    '🙏',
    'not done yet',
    'abhi nahi hua',
    '1 2 3',
    '999%',
    'cement',
    '',
    '   ',
    '.',
  ])('%j → unclear', (text) => {
    expect(read(text)).toMatchObject({ kind: 'unclear' });
  });

  it('keeps the free text of an unclear reply', () => {
    expect(read('  call me   after lunch ')).toEqual({ kind: 'unclear', text: 'call me after lunch' });
  });

  it('does not take a number of days or a percent for an option', () => {
    expect(read('2 days').kind).not.toBe('done');
    expect(read('3 days more')).toMatchObject({ kind: 'delayed', delayDays: 3 });
    expect(read('1%')).toMatchObject({ kind: 'percent', value: 1 });
    expect(read('2-3 days more')).toMatchObject({ kind: 'delayed' });
    expect(read('3 baje tak ho jayega')).toMatchObject({ kind: 'on_track' });
  });

  it('reads a completion estimate past the due date as a delay, and before it as on track', () => {
    expect(parseProbeReply('will be done by 20 Dec', { now: NOW, dueDate: '2026-12-25' })).toEqual({ kind: 'on_track', expectedDate: '2026-12-20' });
    expect(parseProbeReply('will be done by 20 Dec', { now: NOW, dueDate: '2026-12-15' })).toEqual({ kind: 'delayed', newDate: '2026-12-20' });
    expect(parseProbeReply('will be done by 20 Dec', { now: NOW })).toEqual({ kind: 'on_track', expectedDate: '2026-12-20' });
  });

  it('puts a date without a year in the coming months (DD/MM, Indian order)', () => {
    expect(parseProbeReply('by 5/1', { now: NOW, dueDate: '2026-12-10' })).toMatchObject({ newDate: '2027-01-05' });
    expect(parseProbeReply('by 3/12', { now: NOW, dueDate: '2026-12-01' })).toMatchObject({ newDate: '2026-12-03' });
    expect(parseProbeReply('delayed to 31/02', { now: NOW })).toEqual({ kind: 'delayed', reason: { category: 'other', text: 'to 31/02' } });
  });

  it('needs the time of arrival to read a date without a year', () => {
    expect(parseProbeReply('delayed, by 15 Dec')).toEqual({ kind: 'delayed', reason: { category: 'other', text: 'by 15 Dec' } });
    expect(parseProbeReply('delayed, by 15 Dec 2026')).toMatchObject({ newDate: '2026-12-15' });
  });

  it("reads the day in the tenant's zone", () => {
    // 20:00 UTC on 1 Dec is already 2 Dec in India: "tomorrow" is the 3rd.
    const late = new Date('2026-12-01T20:00:00Z');
    expect(parseProbeReply('will be done tomorrow', { now: late, timeZone: 'Asia/Kolkata' })).toMatchObject({ expectedDate: '2026-12-03' });
    expect(parseProbeReply('will be done tomorrow', { now: late, timeZone: 'UTC' })).toMatchObject({ expectedDate: '2026-12-02' });
  });

  it('understands its own reply options text', () => {
    expect(replyOptionsText('en')).toContain('1 if on track');
    expect(replyOptionsText('hi', 'short')).toBe('जवाब: 1 समय पर, 2 देरी, 3 पूरा');
  });

  it('always answers with a known kind, whatever it is sent', () => {
    const kinds = new Set(['on_track', 'delayed', 'done', 'percent', 'blocked', 'unclear']);
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'grapheme' }), (text) => {
        const reply = parseProbeReply(text, { now: NOW, dueDate: '2026-12-10' });
        expect(kinds.has(reply.kind)).toBe(true);
        if (reply.kind === 'percent') expect(reply.value).toBeGreaterThanOrEqual(0);
        if (reply.kind === 'percent') expect(reply.value).toBeLessThanOrEqual(100);
      }),
      { numRuns: 500 },
    );
  });

  it('reads a very long reply without trouble', () => {
    expect(parseProbeReply(`2 ${'cement '.repeat(5000)}`)).toMatchObject({ kind: 'delayed', reason: { category: 'materials' } });
  });
});
