/**
 * What a workflow state means to the rest of the hub, whatever the tenant calls it:
 * dependencies, scheduling and reports read the category, never the state id.
 */
export const STATE_CATEGORIES = ['not_started', 'active', 'done', 'cancelled'] as const;

/** One of {@link STATE_CATEGORIES}. */
export type StateCategory = (typeof STATE_CATEGORIES)[number];

/** True for the categories that close a milestone (`done`, `cancelled`). */
export function isClosedCategory(category: StateCategory): boolean {
  return category === 'done' || category === 'cancelled';
}
