// The web app keeps every string in one catalogue per language (STYLE rule 19). These checks
// keep zh-CN and en in step and catch a `t('key')` that would show a raw key to a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DECISION_OUTCOMES, DOCUMENT_TYPES, FILING_KINDS, FILING_STATUSES } from '../../src/domain/filings.ts';
import { ORGANIZATION_TYPES, ROLES } from '../../src/domain/identity.ts';
import { RISK_TIERS } from '../../src/domain/risk.ts';
import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '../../src/domain/audit.ts';
import { PUBLIC_STATUSES, SEARCH_SORTS } from '../../src/domain/register.ts';
import { USCC_PROBLEMS } from '../../src/lib/uscc.ts';

const webSrc = path.resolve(import.meta.dirname, '../../web/src');

type Catalogue = Map<string, unknown>;

function flatten(value: unknown, prefix = '', out: Catalogue = new Map()): Catalogue {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix === '' ? key : `${prefix}.${key}`, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

function load(language: string): Catalogue {
  return flatten(JSON.parse(fs.readFileSync(path.join(webSrc, 'i18n', `${language}.json`), 'utf8')));
}

const catalogues = { 'zh-CN': load('zh-CN'), en: load('en') };

/** A key used as `t('a.b', { count })` resolves to `a.b_one` / `a.b_other` (i18next plurals). */
function hasKey(catalogue: Catalogue, key: string): boolean {
  return catalogue.has(key) || catalogue.has(`${key}_other`);
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.(ts|tsx)$/.test(entry.name)) out.push(full);
  }
  return out;
}

const sources = sourceFiles(webSrc).map((file) => ({
  file: path.relative(webSrc, file),
  text: fs.readFileSync(file, 'utf8'),
}));

test('zh-CN and en have identical key sets', () => {
  const zh = [...catalogues['zh-CN'].keys()].sort();
  const en = [...catalogues.en.keys()].sort();
  assert.deepEqual(
    zh.filter((key) => !catalogues.en.has(key)),
    [],
    'keys only in zh-CN',
  );
  assert.deepEqual(
    en.filter((key) => !catalogues['zh-CN'].has(key)),
    [],
    'keys only in en',
  );
});

test('no empty or non-string translations', () => {
  for (const [language, catalogue] of Object.entries(catalogues)) {
    for (const [key, value] of catalogue) {
      assert.equal(typeof value, 'string', `${language}: ${key} is not a string`);
      assert.notEqual((value as string).trim(), '', `${language}: ${key} is empty`);
    }
  }
});

test('both languages use the same interpolation variables', () => {
  const variables = (text: unknown) => [...String(text).matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
  for (const [key, zh] of catalogues['zh-CN']) {
    assert.deepEqual(variables(zh), variables(catalogues.en.get(key)), `variables differ for ${key}`);
  }
});

test("every t('key') literal in web/src exists in both catalogues", () => {
  const missing: string[] = [];
  let found = 0;
  for (const { file, text } of sources) {
    for (const match of text.matchAll(/\bt\(\s*(['"])([^'"`]+?)\1/g)) {
      const key = match[2] ?? '';
      found += 1;
      for (const [language, catalogue] of Object.entries(catalogues)) {
        if (!hasKey(catalogue, key)) missing.push(`${file}: ${key} (${language})`);
      }
    }
  }
  assert.ok(found > 100, `expected many t() calls in web/src, found ${found}`);
  assert.deepEqual(missing, []);
});

test('every t(`prefix.${…}`) template names a group present in both catalogues', () => {
  const missing: string[] = [];
  for (const { file, text } of sources) {
    for (const match of text.matchAll(/\bt\(\s*`([\w.]+)\.\$\{/g)) {
      const prefix = `${match[1]}.`;
      for (const [language, catalogue] of Object.entries(catalogues)) {
        if (![...catalogue.keys()].some((key) => key.startsWith(prefix)))
          missing.push(`${file}: ${prefix}* (${language})`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('every enumeration value the UI labels has a label in both languages', () => {
  const expected = [
    ...RISK_TIERS.map((value) => `tier.${value}`),
    ...RISK_TIERS.map((value) => `tierExplain.${value}`),
    ...FILING_STATUSES.map((value) => `status.${value}`),
    ...DECISION_OUTCOMES.map((value) => `status.${value}`),
    ...['pending', 'verified', 'rejected'].map((value) => `organizationStatus.${value}`),
    ...FILING_KINDS.flatMap((value) => [
      `filingKind.${value}`,
      `filing.kindExplain.${value}`,
      `filing.submitExplain.${value}`,
    ]),
    ...DOCUMENT_TYPES.map((value) => `documentType.${value}`),
    ...ORGANIZATION_TYPES.map((value) => `organizationType.${value}`),
    ...ROLES.map((value) => `role.${value}`),
    ...USCC_PROBLEMS.map((value) => `registration.usccInvalid.${value}`),
    ...AUDIT_ACTIONS.map((value) => `auditAction.${value}`),
    ...AUDIT_RESOURCE_TYPES.map((value) => `auditResource.${value}`),
    ...PUBLIC_STATUSES.map((value) => `status.${value}`),
    ...SEARCH_SORTS.map((value) => `search.sort.${value}`),
  ];
  for (const [language, catalogue] of Object.entries(catalogues)) {
    assert.deepEqual(
      expected.filter((key) => !hasKey(catalogue, key)),
      [],
      `${language} lacks labels`,
    );
  }
});
