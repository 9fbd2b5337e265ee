/** A locale the money formatters speak. Bare `en`/`hi` mean the Indian variants. */
export type InrLocale = 'en' | 'en-IN' | 'hi' | 'hi-IN';

/** Which digits to print: Western (`latn`, the default even in Hindi) or Devanagari (`deva`). */
export type DigitSystem = 'latn' | 'deva';

export function languageOf(locale: InrLocale): 'en' | 'hi' {
  switch (locale) {
    case 'en':
    case 'en-IN':
      return 'en';
    case 'hi':
    case 'hi-IN':
      return 'hi';
    default:
      throw new RangeError(`unsupported locale ${String(locale)}; use en-IN or hi-IN`);
  }
}
