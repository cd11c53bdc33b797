import i18next from 'i18next';
import { useCallback } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';
import en from './en.json';
import zhCN from './zh-CN.json';
import { LANGUAGES, negotiateLanguage, type Language } from './negotiate.ts';

export { LANGUAGES, type Language } from './negotiate.ts';

const STORAGE_KEY = 'aigov.language';

function storedChoice(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be unavailable (private mode, sandboxed frames): no stored choice.
    return null;
  }
}

function applyLanguage(language: Language): void {
  setApiLanguage(language);
  document.documentElement.lang = language;
}

const initial = negotiateLanguage({
  stored: storedChoice(),
  search: window.location.search,
  browserLanguages: navigator.languages.length > 0 ? navigator.languages : [navigator.language],
});
applyLanguage(initial);

void i18next.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisted; the switch still applies to this page.
  }
  applyLanguage(language);
  await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return i18next.language === 'en' ? 'en' : 'zh-CN';
}

/** The translation function plus the two things most pages need from the language. */
export function useI18n() {
  const { t, i18n } = useTranslation();
  const language: Language = i18n.language === 'en' ? 'en' : 'zh-CN';
  const isEn = language === 'en';
  /** Picks the text in the current language from a bilingual pair, falling back to the other one. */
  const pick = useCallback(
    (zh: string | null | undefined, enText: string | null | undefined): string =>
      (isEn ? enText || zh : zh || enText) ?? '',
    [isEn],
  );
  return { t, language, isEn, pick };
}

export default i18next;
