import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CATALOGUE_LAYERS,
  CatalogueValidationError,
  DEFAULT_CATALOGUE_DIR,
  loadCatalogues,
  validateCatalogue,
} from './catalogue-files.ts';

const catalogues = await loadCatalogues();
const CATALOGUE_FILE = path.join(DEFAULT_CATALOGUE_DIR, 'v1.json');

type RawItem = Record<string, unknown>;
type RawCatalogue = Record<string, unknown> & { items: RawItem[] };

async function raw(): Promise<RawCatalogue> {
  return JSON.parse(await readFile(CATALOGUE_FILE, 'utf8')) as RawCatalogue;
}

function problemsOf(json: unknown): readonly string[] {
  try {
    validateCatalogue(json);
  } catch (error) {
    assert.ok(error instanceof CatalogueValidationError, `expected CatalogueValidationError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('expected a CatalogueValidationError');
}

function assertProblem(problems: readonly string[], start: string): void {
  assert.ok(
    problems.some((problem) => problem.startsWith(start)),
    `missing "${start}" in:\n${problems.join('\n')}`,
  );
}

test('the shipped catalogue 2024.1 is valid and frozen', () => {
  const catalogue = catalogues.find((candidate) => candidate.version === '2024.1');
  assert.ok(catalogue);
  assert.ok(Object.isFrozen(catalogue) && Object.isFrozen(catalogue.items) && Object.isFrozen(catalogue.items[0]));
  assert.equal(new Set(catalogues.map((candidate) => candidate.version)).size, catalogues.length);
});

test('the catalogue has at least 70 items and three layers, each with sectors and sub-sectors', () => {
  const catalogue = catalogues.find((candidate) => candidate.version === '2024.1');
  assert.ok(catalogue);
  assert.ok(catalogue.items.length >= 70, `${catalogue.items.length} items`);
  const roots = catalogue.items.filter((item) => item.level === 1);
  assert.deepEqual(
    roots.map((item) => [item.code, item.layer, item.parentCode]),
    [
      ['F', 'foundation', null],
      ['T', 'technology', null],
      ['A', 'application', null],
    ],
  );
  for (const layer of CATALOGUE_LAYERS) {
    const items = catalogue.items.filter((item) => item.layer === layer);
    assert.ok(items.filter((item) => item.level === 2).length >= 5, `${layer}: level-2 sectors`);
    assert.ok(items.filter((item) => item.level === 3).length >= 15, `${layer}: level-3 sub-sectors`);
  }
  for (const item of catalogue.items) {
    assert.ok(item.nameZh.length > 0 && item.nameEn.length > 0, item.code);
    assert.match(item.code, item.level === 1 ? /^[FTA]$/ : item.level === 2 ? /^[FTA]\d{2}$/ : /^[FTA]\d{4}$/);
  }
});

test('the catalogue covers the areas of the national classifications', () => {
  const catalogue = catalogues.find((candidate) => candidate.version === '2024.1');
  assert.ok(catalogue);
  const names = catalogue.items.map((item) => `${item.nameZh} ${item.nameEn}`);
  const expected: [string, RegExp][] = [
    ['chips', /芯片/],
    ['sensors', /传感器/],
    ['compute centres', /智算中心/],
    ['data annotation', /数据标注/],
    ['cloud', /云计算/],
    ['machine learning platforms', /机器学习平台/],
    ['computer vision', /计算机视觉/],
    ['speech', /语音识别/],
    ['NLP', /自然语言处理/],
    ['knowledge graphs', /知识图谱/],
    ['foundation models', /大语言模型/],
    ['robotics', /工业机器人/],
    ['biometrics', /人脸识别/],
    ['manufacturing', /智能制造/],
    ['medical imaging', /医学影像/],
    ['autonomous driving', /自动驾驶/],
    ['finance', /智慧金融/],
    ['education', /智慧教育/],
    ['government services', /政务/],
    ['public security', /公共安全/],
    ['retail', /零售/],
    ['agriculture', /智慧农业/],
    ['energy', /智慧能源/],
    ['media and content', /媒体与内容/],
    ['smart home', /智能家居/],
    ['logistics', /智慧物流/],
  ];
  for (const [area, pattern] of expected)
    assert.ok(
      names.some((name) => pattern.test(name)),
      area,
    );
});

test('the catalogue cites the Shenzhen Regulations and the national classifications', () => {
  const catalogue = catalogues.find((candidate) => candidate.version === '2024.1');
  assert.ok(catalogue);
  const byId = new Map(catalogue.source.map((citation) => [citation.id, citation]));
  assert.equal(byId.get('shenzhen-ai-regulations')?.title, '深圳经济特区人工智能产业促进条例');
  assert.equal(byId.get('sei-2018')?.number, '国家统计局令第23号');
  assert.equal(byId.get('digital-economy-2021')?.number, '国家统计局令第33号');
  assert.ok(byId.has('ai-standards-2020') && byId.has('ai-standards-2024'));
  // The strategic-emerging-industries AI codes 1.5.1–1.5.3 are all referenced somewhere.
  const locators = catalogue.items.flatMap((item) =>
    (item.refs ?? []).filter((ref) => ref.source === 'sei-2018').map((ref) => ref.locator),
  );
  for (const code of ['1.5.1', '1.5.2', '1.5.3'])
    assert.ok(
      locators.some((locator) => locator.startsWith(code)),
      code,
    );
});

test('catalogue validation: codes, parents, levels, layers and refs', async () => {
  const json = await raw();
  const at = (code: string): RawItem => {
    const item = json.items.find((candidate) => candidate['code'] === code);
    assert.ok(item, code);
    return item;
  };
  at('F0102')['code'] = 'F0101';
  at('F0201')['level'] = 2;
  at('F0202')['layer'] = 'technology';
  at('F0203')['code'] = 'F0303';
  at('F0204')['parentCode'] = 'X01';
  at('T0101')['refs'] = [{ source: 'unknown-doc', locator: '1.1' }];
  at('T0102')['owner'] = 'me';
  at('T0103')['nameEn'] = '';
  at('A0101')['level'] = 4;
  json.items.push({ code: 'Z', parentCode: null, level: 1, layer: 'application', nameZh: '其他', nameEn: 'Other' });
  json['version'] = 'v1';
  const problems = problemsOf(json);
  const index = (code: string): number => json.items.indexOf(at(code));
  assertProblem(problems, '/version: must look like YYYY.N');
  assertProblem(problems, `/items/${index('F0101') + 1}/code: "F0101" is repeated`);
  assertProblem(problems, `/items/${index('F0201')}/level: must be 3, one below its parent "F02"`);
  assertProblem(problems, `/items/${index('F0202')}/layer: must be "foundation", the layer of its parent "F02"`);
  assertProblem(problems, `/items/${index('F0303')}/code: must be its parent code "F02" followed by two digits`);
  assertProblem(problems, `/items/${index('F0204')}/parentCode: "X01" is not listed before "F0204"`);
  assertProblem(problems, `/items/${index('T0101')}/refs/0/source: "unknown-doc" is not listed in /source`);
  assertProblem(problems, `/items/${index('T0102')}/owner: unknown field`);
  assertProblem(problems, `/items/${index('T0103')}/nameEn: must be a non-empty string`);
  assertProblem(problems, `/items/${index('A0101')}/level: must be an integer from 1 to 3`);
  assertProblem(problems, `/items/${json.items.length - 1}/layer: a second level-1 item for layer "application"`);
});

test('catalogue validation: a parent must come before its children, and every layer needs a root', async () => {
  const json = await raw();
  const technology = json.items.filter((item) => item['layer'] === 'technology');
  const rest = json.items.filter((item) => item['layer'] !== 'technology');
  // Children first, then the root: every technology parent now comes too late.
  json.items = [...rest, ...technology.slice(1), technology[0]!].filter((item) => item['code'] !== 'A');
  const problems = problemsOf(json);
  assertProblem(problems, `/items/${rest.length - 1}/parentCode: "T" is not listed before "T01"`);
  assertProblem(problems, '/items: no level-1 item for layer "application"');
  assert.throws(() => validateCatalogue('catalogue'), CatalogueValidationError);
  assertProblem(problemsOf({ version: '2024.1', source: [], items: [] }), '/source: must be a non-empty array');
});

test('loadCatalogues rejects two files with the same version, naming the files', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'aigov-catalogue-'));
  try {
    const text = await readFile(CATALOGUE_FILE, 'utf8');
    await writeFile(path.join(dir, 'v1.json'), text);
    await writeFile(path.join(dir, 'v1-copy.json'), text);
    await writeFile(path.join(dir, 'v2.json'), '[');
    await assert.rejects(loadCatalogues(dir), (error: unknown) => {
      assert.ok(error instanceof CatalogueValidationError);
      assertProblem(error.problems, 'v1.json/version: "2024.1" is also the version of v1-copy.json');
      assertProblem(error.problems, 'v2.json: not valid JSON');
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
