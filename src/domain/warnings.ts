/**
 * Warning levels (API-CONTRACT-2 §1): blue < yellow < orange < red (蓝 黄 橙 红). A product's
 * `warningLevel` is the highest of its active warnings; an active red warning suspends it;
 * orange and red warnings are public. Written once, imported by the server and the web app.
 */

/** Ascending: blue < yellow < orange < red (蓝 黄 橙 红). */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** Orange and red warnings are public (the register, `GET /api/v1/public/warnings`, the Atom feed). */
export const PUBLIC_WARNING_LEVELS = ['orange', 'red'] as const satisfies readonly WarningLevel[];

/** Negative when `a` is lower than `b`, 0 when equal, positive when higher. */
export function compareWarningLevels(a: WarningLevel, b: WarningLevel): number {
  return WARNING_LEVELS.indexOf(a) - WARNING_LEVELS.indexOf(b);
}

/** The product's `warningLevel`: the highest of its active warnings' levels, or `null` with none. */
export function effectiveWarningLevel(activeLevels: Iterable<WarningLevel>): WarningLevel | null {
  let highest: WarningLevel | null = null;
  for (const level of activeLevels) {
    if (highest === null || compareWarningLevels(level, highest) > 0) highest = level;
  }
  return highest;
}

/** An active red warning suspends the product. */
export function isSuspended(activeLevels: Iterable<WarningLevel>): boolean {
  for (const level of activeLevels) if (level === 'red') return true;
  return false;
}

export function isPublicWarningLevel(level: WarningLevel): boolean {
  return (PUBLIC_WARNING_LEVELS as readonly WarningLevel[]).includes(level);
}
