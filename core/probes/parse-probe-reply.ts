import { DEFAULT_TIME_ZONE } from '../money/index.ts';
import { addDaysToIsoDate, dateInZone } from '../notifications/index.ts';
import type { NotificationLocale } from '../notifications/index.ts';
import type { DelayCategory, DelayReason } from './delay-categories.ts';
import { normalizeReplyText, tokenize } from './normalize-reply.ts';
import type { PhraseMatch } from './phrase-index.ts';
import { removeProbeRefs } from './probe-ref.ts';
import { findDate } from './reply-dates.ts';
import { replyLexicon } from './reply-lexicon.ts';
import type { CompiledLexicon, ReplySignal } from './reply-lexicon.ts';

/** What an owner's reply to a status probe says. Dates are `YYYY-MM-DD` in the tenant's zone. */
export type ProbeReply =
  | { kind: 'on_track'; percent?: number; expectedDate?: string }
  | { kind: 'delayed'; reason?: DelayReason; newDate?: string; delayDays?: number; percent?: number }
  | { kind: 'done' }
  | { kind: 'percent'; value: number; expectedDate?: string }
  | { kind: 'blocked'; reason: DelayReason; percent?: number }
  | { kind: 'unclear'; text: string };

/** Options for {@link parseProbeReply}. */
export interface ParseReplyOptions {
  /**
   * The language the probe went out in. Replies are read in English, Hinglish and Hindi
   * whatever it is, since owners switch freely between them.
   */
  locale?: NotificationLocale;
  /** The time the reply arrived; needed to read "by 15 Dec", "kal tak" or "in 3 days". */
  now?: Date;
  /** @default 'Asia/Kolkata' */
  timeZone?: string;
  /** The milestone's due date (`YYYY-MM-DD`): a completion estimate past it is a delay. */
  dueDate?: string;
}

/** Longest reply read; the rest of a long email is kept by the caller, not parsed. */
export const MAX_REPLY_CHARS = 2000;

const OPTION = /^\s*(?:option|opt|reply|ans|answer|jawab|जवाब)?\s*[:#-]?\s*([123])\u20e3?(?![\p{N}])(.*)$/su;
/** Greetings and courtesies people put before their answer: "Sir, 3", "ok 1", "namaste ji, 2". */
const COURTESY_WORDS = "(?:sir|sirji|madam|ma'?am|mam|ji|hi|hello|hey|ok|okay|haan|han|namaste|namaskar|नमस्ते|जी|सर)(?![\\p{L}\\p{M}])[\\s,.:!-]*";
const COURTESY = new RegExp(`^(?:${COURTESY_WORDS})+`, 'u');
const NOT_AN_OPTION_AFTER = new Set(['percent', 'pct', 'pc', 'प्रतिशत', 'pm', 'am', 'baje', 'बजे', 'hrs', 'hours', 'hour', 'ghante', 'घंटे']);
const PERCENT = /(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|percent|per cent|pct|pc|prcnt|percentage|pratishat|प्रतिशत|फीसदी|fisdi|feesdi)(?![\p{L}\p{M}])/u;
const DELAY_BEFORE = new Set(['by', 'aur', 'more', 'another', 'extra']);
const DELAY_AFTER = /^(late|more|extra|aur|zyada|jyada|delay.*|der.*|deri|lagenge|lagega|lagege|behind|ki|की|और|देरी|देर|लगेंगे|लगेगा)$/u;
const RANGE_OR_TIME = /^[\s]*(?:[/.-]\s*\d|%)/u;
const LEADING_OPTION = new RegExp(
  `^\\s*(?:${COURTESY_WORDS})*(?:option|opt|reply|ans|answer|jawab|जवाब)?\\s*[:#-]?\\s*[123१२३](?:\\uFE0F?\\u20E3)?\\s*[-–—:.,)\\]]*\\s*`,
  'iu',
);
const LEADING_DELAY_WORD = /^(?:delayed|delay|late|deri|der|देरी|देर)(?=$|[\s\-–—:.,])[\s\-–—:.,]*/iu;

/**
 * Reads a reply to a status probe. Understands the numbered options (1 on track, 2 delayed,
 * 3 done, also as keycap emoji and followed by a reason: "2 waiting for cement"), words in
 * English, Hinglish and Hindi ("done", "ho gaya", "हो गया", "deri nahi", "stuck"), percents
 * ("50%", "70 percent", "aadha"), delays ("delayed by 3 days", "2 din aur"), dates ("by 15
 * Dec", "15/12" day first, "kal tak") and, as a last resort, emoji (👍 ✅). Delay reasons get a
 * category from the lexicon and keep the owner's words. Anything else is `unclear`, which the
 * caller answers with a clarification. Strip quoted email history before calling.
 */
export function parseProbeReply(text: string, options: ParseReplyOptions = {}): ProbeReply {
  const lex = replyLexicon();
  const original = removeProbeRefs(text)
    .replace(/\s+/g, ' ')
    .replace(/^\s*(?:(?:re|fwd?|aw)\s*:\s*)+/i, '')
    .replace(/^[\s:;,\-–—]+/, '')
    .trim()
    .slice(0, MAX_REPLY_CHARS);
  const normalized = normalizeReplyText(original);
  const unclear: ProbeReply = { kind: 'unclear', text: original };
  if (normalized.trim() === '') return unclear;

  const today = options.now ? dateInZone(options.now, options.timeZone ?? DEFAULT_TIME_ZONE) : undefined;
  const tokens = tokenize(normalized);
  const signals = readSignals(tokens, lex);
  const has = (signal: ReplySignal): boolean => signals.has(signal);
  const option = readOption(normalized, lex);
  const percent = readPercent(normalized, tokens, lex);
  const span = readDuration(tokens, lex, has('delayed') || has('problem'));
  const dated = findDate(normalized, today, lex) ?? readRelativeDate(tokens, today, lex, has('future_done') || has('delayed'));
  const expectedDate = dated ?? (span?.kind === 'eta' && today ? addDaysToIsoDate(today, span.days) : undefined);
  const delayDays = span?.kind === 'delay' ? span.days : undefined;
  const reason = (): DelayReason => readReason(original, tokens, lex, option !== undefined);

  const delayed = (extra: { percent?: number; estimateOnly?: boolean } = {}): ProbeReply => {
    const why: DelayReason = extra.estimateOnly ? { category: 'other', text: '' } : reason();
    const newDate = expectedDate ?? (delayDays !== undefined && options.dueDate ? addDaysToIsoDate(options.dueDate, delayDays) : undefined);
    return {
      kind: 'delayed',
      ...(why.text !== '' || why.category !== 'other' ? { reason: why } : {}),
      ...(newDate !== undefined ? { newDate } : {}),
      ...(delayDays !== undefined ? { delayDays } : {}),
      ...(extra.percent !== undefined ? { percent: extra.percent } : {}),
    };
  };
  const onTrack = (): ProbeReply => {
    if (expectedDate !== undefined && options.dueDate !== undefined && expectedDate > options.dueDate) {
      // Only the estimate says it is late: there is no reason to record, just the new date.
      return delayed({ estimateOnly: true, ...(percent !== undefined ? { percent } : {}) });
    }
    return { kind: 'on_track', ...(percent !== undefined ? { percent } : {}), ...(expectedDate !== undefined ? { expectedDate } : {}) };
  };

  if (option === 'on_track') return onTrack();
  if (option === 'delayed') return delayed(percent !== undefined ? { percent } : {});
  if (option === 'done') return { kind: 'done' };

  if (has('blocked')) return { kind: 'blocked', reason: reason(), ...(percent !== undefined ? { percent } : {}) };
  const delaySignal = has('delayed') || has('problem') || delayDays !== undefined;
  if (percent !== undefined) {
    if (percent >= 100) return { kind: 'done' };
    if (delaySignal) return delayed({ percent });
    return { kind: 'percent', value: percent, ...(expectedDate !== undefined ? { expectedDate } : {}) };
  }
  if (has('done') && !has('not_done') && !has('future_done')) return { kind: 'done' };
  if (delaySignal) return delayed();
  if (has('future_done') || has('on_track') || expectedDate !== undefined) return onTrack();

  for (const [emoji, kind] of lex.emoji) {
    if (!normalized.includes(emoji)) continue;
    if (kind === 'blocked') return { kind: 'blocked', reason: { category: 'other', text: '' } };
    if (kind === 'delayed') return { kind: 'delayed' };
    return kind === 'done' ? { kind: 'done' } : { kind: 'on_track' };
  }
  return unclear;
}

function readOption(normalized: string, lex: CompiledLexicon): 'on_track' | 'delayed' | 'done' | undefined {
  const match = OPTION.exec(normalized.replace(COURTESY, ''));
  if (!match) return undefined;
  const rest = match[2] as string;
  if (RANGE_OR_TIME.test(rest)) return undefined;
  const next = tokenize(rest)[0];
  if (/^\s*\d/.test(rest)) return undefined;
  if (next !== undefined && (lex.unitDays.has(next) || NOT_AN_OPTION_AFTER.has(next))) return undefined;
  return match[1] === '1' ? 'on_track' : match[1] === '2' ? 'delayed' : 'done';
}

function readSignals(tokens: readonly string[], lex: CompiledLexicon): Set<ReplySignal> {
  const matches = lex.signals.match(tokens);
  const found = new Set<ReplySignal>();
  for (const m of matches) {
    let signal = m.label as ReplySignal;
    if (signal === 'ignore') continue;
    const opposite = lex.opposite[signal];
    if (opposite !== undefined && isNegated(tokens, m, lex)) signal = opposite;
    found.add(signal);
  }
  return found;
}

function isNegated(tokens: readonly string[], match: PhraseMatch, lex: CompiledLexicon): boolean {
  const before = tokens[match.start - 1];
  if (before !== undefined && lex.negateBefore.has(before)) return true;
  for (let k = match.end; k < Math.min(match.end + 2, tokens.length); k += 1) {
    if (lex.negateAfter.has(tokens[k] as string)) return true;
  }
  return false;
}

function readPercent(normalized: string, tokens: readonly string[], lex: CompiledLexicon): number | undefined {
  const match = PERCENT.exec(normalized);
  if (match) {
    const value = Math.round(Number(match[1]));
    return value >= 0 && value <= 100 ? value : undefined;
  }
  for (const token of tokens) {
    const value = lex.percentWords.get(token);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** "3 days", "ek hafta", "2 din": the size of a delay, or a completion estimate ("in 3 days"). */
function readDuration(tokens: readonly string[], lex: CompiledLexicon, delayMentioned: boolean): { kind: 'delay' | 'eta'; days: number } | undefined {
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const word = tokens[i] as string;
    const count = /^\d{1,3}$/.test(word) ? Number(word) : lex.numbers.get(word);
    const unit = lex.unitDays.get(tokens[i + 1] as string);
    if (count === undefined || unit === undefined || count === 0) continue;
    const days = count * unit;
    const before = tokens[i - 1];
    const after = tokens[i + 2];
    if ((before !== undefined && lex.etaBefore.has(before)) || (after !== undefined && lex.etaAfter.has(after))) return { kind: 'eta', days };
    if ((before !== undefined && DELAY_BEFORE.has(before)) || (after !== undefined && DELAY_AFTER.test(after))) return { kind: 'delay', days };
    return { kind: delayMentioned ? 'delay' : 'eta', days };
  }
  return undefined;
}

/** "tomorrow", "next week"; "kal"/"parso" only with "tak" or "by", or beside a delay or estimate. */
function readRelativeDate(tokens: readonly string[], today: string | undefined, lex: CompiledLexicon, dateContext: boolean): string | undefined {
  if (today === undefined) return undefined;
  const plain = lex.relativePlain.match(tokens)[0];
  if (plain) return addDaysToIsoDate(today, Number(plain.label));
  for (const m of lex.relativeMarked.match(tokens)) {
    const after = tokens[m.end];
    const before = tokens[m.start - 1];
    if (dateContext || after === 'tak' || after === 'तक' || before === 'by' || before === 'till' || before === 'until') {
      return addDaysToIsoDate(today, Number(m.label));
    }
  }
  return undefined;
}

function readReason(original: string, tokens: readonly string[], lex: CompiledLexicon, hadOption: boolean): DelayReason {
  let text = hadOption ? original.replace(LEADING_OPTION, '') : original;
  text = text.replace(LEADING_DELAY_WORD, '').trim();
  const scores = new Map<DelayCategory, number>();
  for (const m of lex.reasons.match(tokens)) {
    const category = m.label as DelayCategory;
    scores.set(category, (scores.get(category) ?? 0) + (m.end - m.start));
  }
  let category: DelayCategory = 'other';
  let best = 0;
  for (const candidate of lex.reasonOrder) {
    const score = scores.get(candidate) ?? 0;
    if (score > best) {
      best = score;
      category = candidate;
    }
  }
  return { category, text };
}
