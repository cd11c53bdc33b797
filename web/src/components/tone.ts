/**
 * Colours of status and tier tags. Ant Design's preset tag colours put mid-tone text on a pale
 * ground (2.5–3.4:1 for green, orange, lime and gold); these tones keep the same hues with text
 * dark enough for WCAG 2.1 AA (4.5:1), styled in global.css as `.ant-tag.tone-<name>`.
 */
export const TONES = ['neutral', 'blue', 'green', 'lime', 'gold', 'orange', 'red', 'volcano', 'magenta'] as const;
export type Tone = (typeof TONES)[number];

export function toneClass(tone: Tone): string {
  return `tone tone-${tone}`;
}
