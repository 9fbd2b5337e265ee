import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { DELAY_CATEGORIES } from './delay-categories.ts';
import type { DelayCategory } from './delay-categories.ts';
import { normalizeReplyText, tokenize } from './normalize-reply.ts';
import { PhraseIndex } from './phrase-index.ts';

/** What a phrase in a reply says. */
export const REPLY_SIGNALS = ['done', 'not_done', 'future_done', 'on_track', 'delayed', 'blocked', 'problem', 'ignore'] as const;

/** One of {@link REPLY_SIGNALS}. */
export type ReplySignal = (typeof REPLY_SIGNALS)[number];

const phrases = z.array(z.string().min(1)).min(1);
const signalMap = z.strictObject(Object.fromEntries(REPLY_SIGNALS.map((s) => [s, phrases])) as Record<ReplySignal, typeof phrases>);
const reasonMap = z.strictObject(
  Object.fromEntries(DELAY_CATEGORIES.filter((c) => c !== 'other').map((c) => [c, phrases])) as Record<Exclude<DelayCategory, 'other'>, typeof phrases>,
);

const lexiconSchema = z.strictObject({
  signals: signalMap,
  negation: z.strictObject({
    before: z.array(z.string()),
    after: z.array(z.string()),
    opposite: z.partialRecord(z.enum(REPLY_SIGNALS), z.enum(REPLY_SIGNALS)),
  }),
  reasons: reasonMap,
  numbers: z.record(z.string(), z.number().int().min(0).max(100)),
  units: z.strictObject({ day: phrases, week: phrases, month: phrases }),
  eta: z.strictObject({ before: z.array(z.string()), after: z.array(z.string()) }),
  percentWords: z.record(z.string(), z.number().int().min(0).max(100)),
  months: z.record(z.string(), z.number().int().min(1).max(12)),
  relativeDays: z.strictObject({
    plain: z.record(z.string(), z.number().int().min(0).max(60)),
    marked: z.record(z.string(), z.number().int().min(0).max(60)),
  }),
  emoji: z.strictObject({ on_track: z.array(z.string()), done: z.array(z.string()), delayed: z.array(z.string()), blocked: z.array(z.string()) }),
});

/** The lexicon, folded and indexed for matching. */
export interface CompiledLexicon {
  signals: PhraseIndex;
  reasons: PhraseIndex;
  /** Category per reason label order, for tie-breaks. */
  reasonOrder: readonly DelayCategory[];
  negateBefore: ReadonlySet<string>;
  negateAfter: ReadonlySet<string>;
  opposite: Readonly<Partial<Record<ReplySignal, ReplySignal>>>;
  numbers: ReadonlyMap<string, number>;
  unitDays: ReadonlyMap<string, number>;
  etaBefore: ReadonlySet<string>;
  etaAfter: ReadonlySet<string>;
  percentWords: ReadonlyMap<string, number>;
  /** Folded month names, longest first (for building date patterns). */
  months: ReadonlyMap<string, number>;
  relativePlain: PhraseIndex;
  relativeMarked: PhraseIndex;
  emoji: ReadonlyArray<readonly [string, 'on_track' | 'done' | 'delayed' | 'blocked']>;
}

const DATA_FILE = new URL('./data/reply-lexicon.yaml', import.meta.url);
let compiled: CompiledLexicon | undefined;

const fold = (word: string): string => tokenize(normalizeReplyText(word)).join(' ');

/** The shipped lexicon, read and checked on first use. A bad file is a bug, so it throws. */
export function replyLexicon(): CompiledLexicon {
  if (compiled) return compiled;
  const raw: unknown = parse(readFileSync(DATA_FILE, 'utf8'));
  const parsed = lexiconSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`data/reply-lexicon.yaml is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const lex = parsed.data;
  // Ties between categories go to the one listed first in the file, so keep the file's order.
  const fileOrder = Object.keys((raw as { reasons: Record<string, unknown> }).reasons);
  const reasonEntries = (Object.entries(lex.reasons) as Array<[Exclude<DelayCategory, 'other'>, string[]]>).sort(
    (a, b) => fileOrder.indexOf(a[0]) - fileOrder.indexOf(b[0]),
  );
  const unitDays = new Map<string, number>();
  for (const word of lex.units.day) unitDays.set(fold(word), 1);
  for (const word of lex.units.week) unitDays.set(fold(word), 7);
  for (const word of lex.units.month) unitDays.set(fold(word), 30);
  const relative = (map: Record<string, number>): PhraseIndex => new PhraseIndex(Object.entries(map).map(([phrase, days]) => [String(days), [phrase]] as const));
  compiled = {
    signals: new PhraseIndex(Object.entries(lex.signals)),
    reasons: new PhraseIndex(reasonEntries),
    reasonOrder: reasonEntries.map(([category]) => category),
    negateBefore: new Set(lex.negation.before.map(fold)),
    negateAfter: new Set(lex.negation.after.map(fold)),
    opposite: lex.negation.opposite,
    numbers: new Map(Object.entries(lex.numbers).map(([word, n]) => [fold(word), n])),
    unitDays,
    etaBefore: new Set(lex.eta.before.map(fold)),
    etaAfter: new Set(lex.eta.after.map(fold)),
    percentWords: new Map(Object.entries(lex.percentWords).map(([word, n]) => [fold(word), n])),
    months: new Map(
      Object.entries(lex.months)
        .map(([word, n]) => [fold(word), n] as const)
        .sort((a, b) => b[0].length - a[0].length),
    ),
    relativePlain: relative(lex.relativeDays.plain),
    relativeMarked: relative(lex.relativeDays.marked),
    emoji: (Object.entries(lex.emoji) as Array<['on_track' | 'done' | 'delayed' | 'blocked', string[]]>).flatMap(([kind, list]) =>
      list.map((e) => [normalizeReplyText(e), kind] as const),
    ),
  };
  return compiled;
}
