// Issue #19 item 13: the web app's first language — stored choice, then ?lang=, then the
// browser's languages, then Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateLanguage } from '../../web/src/i18n/negotiate.ts';

test('the first language: stored choice → ?lang= → browser languages → zh-CN', () => {
  const cases: Array<[string | null, string, string[], string]> = [
    [null, '', [], 'zh-CN'],
    [null, '', ['en-US', 'zh-CN'], 'en'],
    [null, '', ['fr-FR', 'zh-TW', 'en'], 'zh-CN'],
    [null, '', ['fr-FR', 'de'], 'zh-CN'],
    [null, '?lang=en', ['zh-CN'], 'en'],
    [null, '?q=1&lang=zh-CN', ['en-GB'], 'zh-CN'],
    [null, '?lang=xx', ['en-GB'], 'en'],
    ['zh-CN', '?lang=en', ['en-US'], 'zh-CN'],
    ['en', '', ['zh-CN'], 'en'],
    ['garbage', '', ['EN'], 'en'],
  ];
  for (const [stored, search, browserLanguages, expected] of cases) {
    assert.equal(
      negotiateLanguage({ stored, search, browserLanguages }),
      expected,
      JSON.stringify({ stored, search, browserLanguages }),
    );
  }
});
