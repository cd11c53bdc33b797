/**
 * Early-warning levels (API-CONTRACT-2 §1), for the domain rules that read a product's
 * `warningLevel` (procurement, grants). Ascending: blue < yellow < orange < red (蓝 黄 橙 红).
 * `src/lib/warning-levels.ts` holds the same list with the monitoring rules built on it; it
 * should re-export this one so the levels are written once.
 */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];
