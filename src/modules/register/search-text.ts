import { createRequire } from 'node:module';
import { sql, type RawBuilder } from 'kysely';
import type * as JiebaAddon from '@node-rs/jieba';
import type * as JiebaDictionary from '@node-rs/jieba/dict.js';

type Jieba = JiebaAddon.Jieba;

/**
 * Chinese has no spaces between words, so PostgreSQL's parsers cannot find them: jieba
 * segments the text in Node, and the words go into a `simple` tsvector (no stemming, no stop
 * words). Two safety nets cover segmentation that differs between a document and a query:
 * the product and provider names also contribute every CJK character bigram, and a query
 * word the index may have split differently also matches as a phrase of its bigrams.
 */

let segmenter: Jieba | undefined;

/**
 * The jieba segmenter with its default dictionary: built once (≈ 0.2 s), then shared. The
 * addon and its 5 MB dictionary load on first use (synchronously, as the callers are), not
 * with the module: ≈ 60 ms a start need not pay.
 */
export function jieba(): Jieba {
  if (segmenter === undefined) {
    const require = createRequire(import.meta.url);
    const { Jieba: JiebaClass } = require('@node-rs/jieba') as typeof JiebaAddon;
    const { dict } = require('@node-rs/jieba/dict.js') as typeof JiebaDictionary;
    segmenter = JiebaClass.withDict(dict);
  }
  return segmenter;
}

const WORD_LIKE = /[\p{L}\p{N}]/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const ONLY_HAN = /^\p{Script=Han}+$/u;

/** Full-width letters and digits typed with a Chinese IME fold to ASCII (ＡＩ → AI). */
export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

function words(tokens: readonly string[]): string[] {
  return tokens.map((token) => token.trim()).filter((token) => token !== '' && WORD_LIKE.test(token));
}

/** Document side: jieba's search mode (every dictionary word inside longer ones too), space-joined. */
export function segmentForIndex(text: string): string {
  return words(jieba().cutForSearch(normalizeText(text), true)).join(' ');
}

function bigramsOf(run: string): string[] {
  const chars = [...run];
  if (chars.length < 2) return chars;
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 1) grams.push(`${chars[i]}${chars[i + 1]}`);
  return grams;
}

/** Every CJK character bigram of the text's Han runs, space-joined (a name's 2-character brands). */
export function hanBigrams(text: string): string {
  return [...normalizeText(text).matchAll(HAN_RUN)].flatMap((match) => bigramsOf(match[0])).join(' ');
}

/** Query side: jieba's precise mode (fewest, longest words), de-duplicated. */
export function queryWords(q: string): string[] {
  return [...new Set(words(jieba().cut(normalizeText(q), true)))];
}

/**
 * The `simple` tsquery for a query, as SQL: every word must match (AND). A single Han
 * character matches as a prefix (`诊` finds 诊断); a Han word of three or more characters
 * also matches as the phrase of its bigrams (a brand jieba kept whole in one text and split
 * in another). Undefined when the query has no words.
 */
export function chineseTsQuery(q: string, join: 'all' | 'any' = 'all'): RawBuilder<unknown> | undefined {
  const parts = queryWords(q).map((word) => {
    if (ONLY_HAN.test(word)) {
      const chars = [...word];
      if (chars.length === 1) return sql`to_tsquery('simple', ${`'${word}':*`})`;
      if (chars.length >= 3) {
        return sql`(plainto_tsquery('simple', ${word}) || phraseto_tsquery('simple', ${bigramsOf(word).join(' ')}))`;
      }
    }
    return sql`plainto_tsquery('simple', ${word})`;
  });
  if (parts.length === 0) return undefined;
  return sql`(${sql.join(parts, join === 'all' ? sql` && ` : sql` || `)})`;
}

/** Whether the text contains Chinese characters (a Chinese query is never trigram-compared). */
export function hasHan(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/**
 * What the trigram index compares for typos: the product's Latin-script name, lower case
 * (the Chinese name when it has none). Short on purpose: word_similarity costs tens of
 * microseconds per row, and Chinese typos are handled by segmented words instead.
 */
export function searchNames(names: readonly (string | null | undefined)[]): string {
  return normalizeText(
    names.filter((name): name is string => typeof name === 'string' && name !== '').join(' '),
  ).toLowerCase();
}
