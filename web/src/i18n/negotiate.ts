/** zh-CN first (the city's working language); English is one click away. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The language of a first paint, in this order (issue #19): the visitor's explicit choice
 * (stored when they switched), then `?lang=` in the URL (a shared link), then the browser's
 * languages in their order of preference, then Chinese — the city's working language.
 */
export function negotiateLanguage(input: {
  stored: string | null;
  search: string;
  browserLanguages: readonly string[];
}): Language {
  const fromTag = (tag: string | null | undefined): Language | undefined => {
    const lower = (tag ?? '').trim().toLowerCase();
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
    if (lower === 'zh' || lower.startsWith('zh-')) return 'zh-CN';
    return undefined;
  };
  if (input.stored === 'en' || input.stored === 'zh-CN') return input.stored;
  const fromUrl = fromTag(new URLSearchParams(input.search).get('lang'));
  if (fromUrl !== undefined) return fromUrl;
  for (const tag of input.browserLanguages) {
    const language = fromTag(tag);
    if (language !== undefined) return language;
  }
  return 'zh-CN';
}
