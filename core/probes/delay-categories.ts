/**
 * Why work is late, as structured categories: materials or supply, labour or manpower, client
 * approval or input, payment pending, weather, permits or compliance, a technical or design
 * issue, a dependency on another team, or something else. The reply's own words are always
 * kept beside the category.
 */
export const DELAY_CATEGORIES = [
  'materials',
  'labour',
  'client_input',
  'payment',
  'weather',
  'permits',
  'technical',
  'dependency',
  'other',
] as const;

/** One of {@link DELAY_CATEGORIES}. */
export type DelayCategory = (typeof DELAY_CATEGORIES)[number];

/** A delay or blocker reason: its category and the owner's words. */
export interface DelayReason {
  category: DelayCategory;
  text: string;
}
