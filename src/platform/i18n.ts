import type { LocalizedText } from './errors.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Picks zh-CN or en from an Accept-Language header (RFC 9110 §12.5.4 q-values honoured).
 * Chinese is the default: the regulator's working language.
 */
export function negotiateLanguage(header: string | undefined): Language {
  if (header === undefined || header.trim() === '') return 'zh-CN';
  const ranges = header
    .split(',')
    .map((part, position) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.toLowerCase(), quality: Number.isFinite(quality) ? quality : 0, position };
    })
    .filter((range) => range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.position - b.position);
  for (const { tag } of ranges) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'zh-CN';
}

export function localize(text: LocalizedText, language: Language): string {
  return language === 'en' ? text.en : text.zh;
}
