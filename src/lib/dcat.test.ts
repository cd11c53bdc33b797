import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonld from 'jsonld';
import {
  DATA_THEMES,
  FREQUENCIES,
  dcatCatalogue,
  isSpdxLicenseId,
  type DcatCatalogue,
  type DcatDataset,
} from './dcat.ts';

const BASE = 'https://data.example.gov.cn/';

const CATALOGUE: DcatCatalogue = {
  title: '深圳市人工智能产业公共数据目录',
  titleEn: 'Shenzhen AI industry public data catalogue',
  description: '向产业开放的公共数据',
  descriptionEn: 'Public data opened to industry',
  publisher: '深圳市人工智能产业主管部门',
  homepage: 'https://data.example.gov.cn/',
};

const OPEN: DcatDataset = {
  id: 'ds-open-1',
  title: '医疗影像标注数据',
  titleEn: 'Annotated medical images',
  description: '脱敏后的影像标注统计',
  descriptionEn: 'Statistics of de-identified image annotations',
  publisher: '深圳市卫生健康委员会',
  openness: 'open',
  themes: ['HEAL', 'TECH'],
  license: 'CC-BY-4.0',
  updateFrequency: 'ANNUAL',
  modified: '2026-11-30T08:00:00Z',
};

const CONDITIONAL: DcatDataset = {
  ...OPEN,
  id: 'ds-cond-2',
  title: '企业研发投入',
  titleEn: 'Enterprise R&D spending',
  openness: 'conditional',
  themes: ['ECON'],
  license: 'CC-BY-NC-4.0',
  updateFrequency: 'MONTHLY',
  modified: undefined,
};

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const EU = 'http://publications.europa.eu/resource/authority/';

/** A document loader that refuses every fetch: expansion must work from the inline context. */
const offline = (url: string): Promise<never> => Promise.reject(new Error(`network fetch attempted: ${url}`));

type Node = Record<string, unknown[] | string | undefined>;
const ids = (node: Node, property: string): string[] =>
  ((node[property] as { '@id': string }[] | undefined) ?? []).map((value) => value['@id']);
const literals = (node: Node, property: string) =>
  ((node[property] as { '@value': string; '@language'?: string }[] | undefined) ?? []).map((value) => [
    value['@language'],
    value['@value'],
  ]);

test('DCAT-AP 3.0: the catalogue expands (JSON-LD 1.1, offline) to the vocabularies’ IRIs', async () => {
  const document = dcatCatalogue(BASE, CATALOGUE, [OPEN, CONDITIONAL]);
  const expanded = (await jsonld.expand(document, { documentLoader: offline })) as Node[];
  assert.equal(expanded.length, 1);
  const catalogue = expanded[0]!;
  assert.deepEqual(catalogue['@type'], [`${DCAT}Catalog`]);
  assert.equal(catalogue['@id'], 'https://data.example.gov.cn/api/v1/public/datasets/catalog.jsonld');
  assert.deepEqual(literals(catalogue, `${DCT}title`), [
    ['zh', CATALOGUE.title],
    ['en', CATALOGUE.titleEn],
  ]);
  assert.deepEqual(ids(catalogue, `${DCAT}themeTaxonomy`), [`${EU}data-theme`]);
  assert.deepEqual(ids(catalogue, `${DCT}language`), [`${EU}language/ZHO`, `${EU}language/ENG`]);

  const datasets = catalogue[`${DCAT}dataset`] as Node[];
  assert.equal(datasets.length, 2);
  const [open, conditional] = datasets as [Node, Node];
  assert.deepEqual(open['@type'], [`${DCAT}Dataset`]);
  assert.equal(open['@id'], 'https://data.example.gov.cn/api/v1/public/datasets/ds-open-1');
  assert.deepEqual(literals(open, `${DCT}title`), [
    ['zh', OPEN.title],
    ['en', OPEN.titleEn],
  ]);
  assert.deepEqual(literals(open, `${DCT}description`), [
    ['zh', OPEN.description],
    ['en', OPEN.descriptionEn],
  ]);
  const publisher = (open[`${DCT}publisher`] as Node[])[0]!;
  assert.deepEqual(publisher['@type'], ['http://xmlns.com/foaf/0.1/Agent']);
  assert.deepEqual(literals(publisher, 'http://xmlns.com/foaf/0.1/name'), [[undefined, OPEN.publisher]]);
  assert.deepEqual(ids(open, `${DCAT}theme`), [`${EU}data-theme/HEAL`, `${EU}data-theme/TECH`]);
  assert.deepEqual(ids(open, `${DCT}accessRights`), [`${EU}access-right/PUBLIC`]);
  assert.deepEqual(ids(conditional, `${DCT}accessRights`), [`${EU}access-right/RESTRICTED`]);
  assert.deepEqual(ids(open, `${DCT}license`), ['http://spdx.org/licenses/CC-BY-4.0']);
  assert.deepEqual(ids(conditional, `${DCT}license`), ['http://spdx.org/licenses/CC-BY-NC-4.0']);
  assert.deepEqual(ids(open, `${DCT}accrualPeriodicity`), [`${EU}frequency/ANNUAL`]);
  assert.deepEqual(ids(conditional, `${DCT}accrualPeriodicity`), [`${EU}frequency/MONTHLY`]);
  assert.deepEqual(open[`${DCT}modified`], [
    { '@value': '2026-11-30T08:00:00Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTime' },
  ]);
  assert.equal(conditional[`${DCT}modified`], undefined);

  const [distribution] = open[`${DCAT}distribution`] as Node[];
  assert.deepEqual(distribution?.['@type'], [`${DCAT}Distribution`]);
  assert.deepEqual(ids(distribution, `${DCAT}accessURL`), [
    'https://data.example.gov.cn/api/v1/public/datasets/ds-open-1/data.csv',
  ]);
  assert.deepEqual(ids(distribution, `${DCAT}downloadURL`), [
    'https://data.example.gov.cn/api/v1/public/datasets/ds-open-1/data.csv',
  ]);
  assert.deepEqual(ids(distribution, `${DCT}format`), [`${EU}file-type/CSV`]);
  assert.deepEqual(ids(distribution, `${DCAT}mediaType`), ['https://www.iana.org/assignments/media-types/text/csv']);
  assert.deepEqual(ids(distribution, `${DCT}license`), ['http://spdx.org/licenses/CC-BY-4.0']);
  const [conditionalDistribution] = conditional[`${DCAT}distribution`] as Node[];
  assert.deepEqual(ids(conditionalDistribution!, `${DCAT}accessURL`), [
    'https://data.example.gov.cn/api/v1/datasets/ds-cond-2/access-requests',
  ]);
  assert.deepEqual(ids(conditionalDistribution!, `${DCAT}downloadURL`), [], 'no download for a conditional dataset');
});

test('DCAT-AP 3.0: the same graph as N-Quads, with typed references where DCAT-AP expects a class', async () => {
  const nquads = (await jsonld.toRDF(dcatCatalogue(BASE, CATALOGUE, [OPEN]), {
    format: 'application/n-quads',
    documentLoader: offline,
  })) as unknown as string;
  const dataset = '<https://data.example.gov.cn/api/v1/public/datasets/ds-open-1>';
  for (const line of [
    `<https://data.example.gov.cn/api/v1/public/datasets/catalog.jsonld> <${DCAT}dataset> ${dataset} .`,
    `${dataset} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${DCAT}Dataset> .`,
    `${dataset} <${DCT}title> "医疗影像标注数据"@zh .`,
    `${dataset} <${DCT}title> "Annotated medical images"@en .`,
    `${dataset} <${DCT}accessRights> <${EU}access-right/PUBLIC> .`,
    `<${EU}access-right/PUBLIC> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${DCT}RightsStatement> .`,
    `<${EU}frequency/ANNUAL> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${DCT}Frequency> .`,
    `<http://spdx.org/licenses/CC-BY-4.0> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${DCT}LicenseDocument> .`,
    `<${EU}data-theme/HEAL> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2004/02/skos/core#Concept> .`,
  ]) {
    assert.ok(nquads.split('\n').includes(line), `missing: ${line}`);
  }
});

test('an empty catalogue is still a catalogue; closed datasets and unknown codes are refused', async () => {
  const expanded = (await jsonld.expand(dcatCatalogue(BASE, CATALOGUE, []), { documentLoader: offline })) as Node[];
  assert.deepEqual(expanded[0]?.['@type'], [`${DCAT}Catalog`]);
  assert.throws(() => dcatCatalogue(BASE, CATALOGUE, [{ ...OPEN, openness: 'closed' as 'open' }]), TypeError);
  assert.throws(() => dcatCatalogue(BASE, CATALOGUE, [{ ...OPEN, themes: ['HEALTH' as 'HEAL'] }]), TypeError);
  assert.throws(() => dcatCatalogue(BASE, CATALOGUE, [{ ...OPEN, updateFrequency: 'YEARLY' as 'ANNUAL' }]), TypeError);
  assert.throws(() => dcatCatalogue(BASE, CATALOGUE, [{ ...OPEN, license: 'CC BY 4.0' }]), TypeError);
});

test('the code lists hold the contract’s examples', () => {
  for (const theme of ['HEAL', 'ECON', 'TECH']) assert.ok((DATA_THEMES as readonly string[]).includes(theme));
  for (const frequency of ['ANNUAL', 'MONTHLY', 'IRREG'])
    assert.ok((FREQUENCIES as readonly string[]).includes(frequency));
  assert.equal(DATA_THEMES.length, 13);
  assert.ok(isSpdxLicenseId('CC-BY-4.0') && isSpdxLicenseId('CC0-1.0') && !isSpdxLicenseId('../etc'));
});
