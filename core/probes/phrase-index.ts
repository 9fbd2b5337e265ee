import { normalizeReplyText, tokenize } from './normalize-reply.ts';

interface PhraseEntry {
  readonly words: readonly string[];
  /** Per word: true when it matches any word starting with it (written `delay*`). */
  readonly prefix: readonly boolean[];
  readonly label: string;
  readonly order: number;
}

/** A phrase found in a reply: word positions `[start, end)` and its label. */
export interface PhraseMatch {
  start: number;
  end: number;
  label: string;
  order: number;
}

/** Labelled phrases, indexed by first word, for longest-first matching. */
export class PhraseIndex {
  private readonly byFirst = new Map<string, PhraseEntry[]>();
  private readonly stems: PhraseEntry[] = [];

  /** `phrases` maps a label to its phrases; labels keep their order for tie-breaks. */
  constructor(phrases: ReadonlyArray<readonly [label: string, phrases: readonly string[]]>) {
    phrases.forEach(([label, list], order) => {
      for (const phrase of list) {
        const raw = phrase.trim().split(/\s+/);
        const prefix = raw.map((word) => word.endsWith('*'));
        const words = raw.map((word) => tokenize(normalizeReplyText(word.replace(/\*$/, ''))).join(''));
        if (words.some((word) => word === '')) throw new Error(`lexicon phrase '${phrase}' has an empty word`);
        const entry: PhraseEntry = { words, prefix, label, order };
        if (prefix[0]) this.stems.push(entry);
        else {
          const first = words[0] as string;
          const list2 = this.byFirst.get(first) ?? [];
          list2.push(entry);
          this.byFirst.set(first, list2);
        }
      }
    });
    const longestFirst = (a: PhraseEntry, b: PhraseEntry): number => b.words.length - a.words.length || a.order - b.order;
    for (const list of this.byFirst.values()) list.sort(longestFirst);
    this.stems.sort(longestFirst);
  }

  /**
   * Non-overlapping matches, left to right, taking the longest phrase at each word. Words
   * already `taken` are skipped and the matched ones are marked taken.
   */
  match(tokens: readonly string[], taken: boolean[] = new Array<boolean>(tokens.length).fill(false)): PhraseMatch[] {
    const found: PhraseMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      if (taken[i]) {
        i += 1;
        continue;
      }
      const best = this.longestAt(tokens, i, taken);
      if (!best) {
        i += 1;
        continue;
      }
      const end = i + best.words.length;
      for (let k = i; k < end; k += 1) taken[k] = true;
      found.push({ start: i, end, label: best.label, order: best.order });
      i = end;
    }
    return found;
  }

  private longestAt(tokens: readonly string[], at: number, taken: readonly boolean[]): PhraseEntry | undefined {
    const first = tokens[at] as string;
    const exact = this.byFirst.get(first) ?? [];
    let best: PhraseEntry | undefined;
    for (const entry of exact) {
      if (this.fits(entry, tokens, at, taken)) {
        best = entry;
        break;
      }
    }
    for (const entry of this.stems) {
      if (best && best.words.length >= entry.words.length) break;
      if (this.fits(entry, tokens, at, taken)) {
        best = entry;
        break;
      }
    }
    return best;
  }

  private fits(entry: PhraseEntry, tokens: readonly string[], at: number, taken: readonly boolean[]): boolean {
    if (at + entry.words.length > tokens.length) return false;
    for (let k = 0; k < entry.words.length; k += 1) {
      const token = tokens[at + k] as string;
      if (taken[at + k]) return false;
      const word = entry.words[k] as string;
      if (entry.prefix[k] ? !token.startsWith(word) : token !== word) return false;
    }
    return true;
  }
}
