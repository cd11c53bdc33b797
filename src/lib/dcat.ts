/**
 * The public data catalogue as DCAT-AP 3.0 JSON-LD (API-CONTRACT-2 §4,
 * `GET /api/v1/public/datasets/catalog.jsonld`), built from plain dataset records.
 *
 * Sources, checked for every IRI below:
 * - DCAT-AP 3.0.0 (SEMIC, https://semiceu.github.io/DCAT-AP/releases/3.0.0/), its SHACL shapes
 *   (`html/shacl/shapes.ttl`, `range.ttl`, `mdr-vocabularies.shape.ttl`) and JSON-LD context
 *   (`context/dcat-ap.jsonld`): class and property IRIs; the controlled vocabularies table (§ "Controlled
 *   vocabularies to be used"): `dcat:theme` → EU data-theme NAL, `dct:accrualPeriodicity` → EU
 *   frequency NAL, `dct:accessRights` → EU access-right NAL "(:PUBLIC, :RESTRICTED,
 *   :NON_PUBLIC)", `dct:format` → EU file-type NAL, `dcat:mediaType` → IANA media types,
 *   `dct:language` → EU languages NAL. In DCAT-AP the licence belongs to the distribution (and
 *   the catalogue); the contract also asks for it on the dataset, which DCAT allows
 *   (`dct:license` on any `dcat:Resource`), so it is given on both.
 * - EU Vocabularies authority tables (Publications Office), concept IRIs
 *   `http://publications.europa.eu/resource/authority/<table>/<code>`: data-theme (13 themes),
 *   frequency, access-right, file-type `CSV`, language `ZHO` and `ENG`.
 * - SPDX License List: `http://spdx.org/licenses/<id>` (e.g. the `@id` of
 *   spdx/license-list-data `jsonld/CC-BY-4.0.jsonld`).
 *
 * The context is inline (prefixes only), so a JSON-LD processor expands the document without
 * fetching anything.
 */

export const DATASET_OPENNESS = ['open', 'conditional', 'closed'] as const;
export type DatasetOpenness = (typeof DATASET_OPENNESS)[number];

/** EU data-theme authority table: every concept (the values DCAT-AP requires for `dcat:theme`). */
export const DATA_THEMES = [
  'AGRI', // Agriculture, fisheries, forestry and food
  'ECON', // Economy and finance
  'EDUC', // Education, culture and sport
  'ENER', // Energy
  'ENVI', // Environment
  'GOVE', // Government and public sector
  'HEAL', // Health
  'INTR', // International issues
  'JUST', // Justice, legal system and public safety
  'REGI', // Regions and cities
  'SOCI', // Population and society
  'TECH', // Science and technology
  'TRAN', // Transport
] as const;
export type DataTheme = (typeof DATA_THEMES)[number];

/**
 * EU frequency authority table: its concepts in use for `dct:accrualPeriodicity` (the list as
 * harvested from the Publications Office, e.g. the copy in Norway's fdk-reference-data; the
 * deprecated OP_DATPRO is left out).
 */
export const FREQUENCIES = [
  '1MIN',
  '5MIN',
  '10MIN',
  '15MIN',
  '30MIN',
  'HOURLY',
  'BIHOURLY',
  'TRIHOURLY',
  '12HRS',
  'CONT',
  'UPDATE_CONT',
  'DAILY',
  'DAILY_2',
  'WEEKLY',
  'WEEKLY_2',
  'WEEKLY_3',
  'BIWEEKLY',
  'MONTHLY',
  'MONTHLY_2',
  'MONTHLY_3',
  'BIMONTHLY',
  'QUARTERLY',
  'ANNUAL',
  'ANNUAL_2',
  'ANNUAL_3',
  'BIENNIAL',
  'TRIENNIAL',
  'QUADRENNIAL',
  'QUINQUENNIAL',
  'DECENNIAL',
  'BIDECENNIAL',
  'TRIDECENNIAL',
  'AS_NEEDED',
  'IRREG',
  'NOT_PLANNED',
  'NEVER',
  'OTHER',
  'UNKNOWN',
] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const AUTHORITY = 'http://publications.europa.eu/resource/authority';
export const DATA_THEME_SCHEME = `${AUTHORITY}/data-theme`;
export const FREQUENCY_SCHEME = `${AUTHORITY}/frequency`;
export const ACCESS_RIGHT_SCHEME = `${AUTHORITY}/access-right`;

export const dataThemeIri = (theme: DataTheme): string => `${DATA_THEME_SCHEME}/${theme}`;
export const frequencyIri = (frequency: Frequency): string => `${FREQUENCY_SCHEME}/${frequency}`;

/** The contract: PUBLIC for open, RESTRICTED for conditional (closed datasets are not listed). */
export function accessRightIri(openness: DatasetOpenness): string {
  const code = openness === 'open' ? 'PUBLIC' : openness === 'conditional' ? 'RESTRICTED' : 'NON_PUBLIC';
  return `${ACCESS_RIGHT_SCHEME}/${code}`;
}

/** SPDX license list identifiers: letters, digits, `.`, `-` (and `+` in a few deprecated ones). */
const SPDX_ID = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/;
export const isSpdxLicenseId = (id: string): boolean => SPDX_ID.test(id);
export function spdxLicenseIri(id: string): string {
  if (!isSpdxLicenseId(id)) throw new TypeError(`not an SPDX licence identifier: ${id}`);
  return `http://spdx.org/licenses/${id}`;
}

export const CSV_FILE_TYPE_IRI = `${AUTHORITY}/file-type/CSV`;
export const CSV_MEDIA_TYPE_IRI = 'https://www.iana.org/assignments/media-types/text/csv';
const LANGUAGE_IRIS = [`${AUTHORITY}/language/ZHO`, `${AUTHORITY}/language/ENG`];

export const DCAT_CONTEXT = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
} as const;

/** A dataset as the catalogue shows it (the contract's `POST /api/v1/datasets` fields). */
export interface DcatDataset {
  id: string;
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  publisher: string;
  openness: Exclude<DatasetOpenness, 'closed'>;
  themes: readonly DataTheme[];
  license: string;
  updateFrequency: Frequency;
  /** RFC 3339 instant the current data version was stored (`dct:modified`), if any. */
  modified?: string;
  /** RFC 3339 instant the dataset was first published (`dct:issued`), if known. */
  issued?: string;
}

export interface DcatCatalogue {
  title: string;
  titleEn: string;
  description: string;
  descriptionEn: string;
  publisher: string;
  homepage?: string;
}

/** Where a dataset lives on this server (contract paths), from the public base URL. */
export function datasetLinks(
  baseUrl: string,
  dataset: Pick<DcatDataset, 'id' | 'openness'>,
): { iri: string; accessUrl: string; downloadUrl?: string } {
  const base = baseUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(dataset.id);
  const iri = `${base}/api/v1/public/datasets/${id}`;
  if (dataset.openness === 'open') {
    const download = `${iri}/data.csv`;
    return { iri, accessUrl: download, downloadUrl: download };
  }
  // A conditional dataset is reached by asking for access.
  return { iri, accessUrl: `${base}/api/v1/datasets/${id}/access-requests` };
}

type JsonLd = Record<string, unknown>;

const bilingual = (zh: string, en: string): JsonLd[] => [
  { '@value': zh, '@language': 'zh' },
  { '@value': en, '@language': 'en' },
];
const agent = (name: string): JsonLd => ({ '@type': 'foaf:Agent', 'foaf:name': name });
const dateTime = (value: string): JsonLd => ({ '@value': value, '@type': 'xsd:dateTime' });

/** The `dcat:Dataset` node of one dataset. */
export function dcatDataset(baseUrl: string, dataset: DcatDataset): JsonLd {
  for (const theme of dataset.themes) {
    if (!(DATA_THEMES as readonly string[]).includes(theme)) throw new TypeError(`unknown data theme: ${theme}`);
  }
  if (!(FREQUENCIES as readonly string[]).includes(dataset.updateFrequency)) {
    throw new TypeError(`unknown frequency: ${dataset.updateFrequency}`);
  }
  const links = datasetLinks(baseUrl, dataset);
  const license = { '@id': spdxLicenseIri(dataset.license), '@type': 'dct:LicenseDocument' };
  const distribution: JsonLd = {
    '@type': 'dcat:Distribution',
    'dcat:accessURL': { '@id': links.accessUrl },
    ...(links.downloadUrl === undefined ? {} : { 'dcat:downloadURL': { '@id': links.downloadUrl } }),
    'dcat:mediaType': { '@id': CSV_MEDIA_TYPE_IRI, '@type': 'dct:MediaType' },
    'dct:format': { '@id': CSV_FILE_TYPE_IRI, '@type': 'dct:MediaTypeOrExtent' },
    'dct:license': license,
  };
  return {
    '@id': links.iri,
    '@type': 'dcat:Dataset',
    'dct:identifier': dataset.id,
    'dct:title': bilingual(dataset.title, dataset.titleEn),
    'dct:description': bilingual(dataset.description, dataset.descriptionEn),
    'dct:publisher': agent(dataset.publisher),
    'dcat:theme': dataset.themes.map((theme) => ({ '@id': dataThemeIri(theme), '@type': 'skos:Concept' })),
    'dct:accessRights': { '@id': accessRightIri(dataset.openness), '@type': 'dct:RightsStatement' },
    'dct:license': license,
    'dct:accrualPeriodicity': { '@id': frequencyIri(dataset.updateFrequency), '@type': 'dct:Frequency' },
    ...(dataset.issued === undefined ? {} : { 'dct:issued': dateTime(dataset.issued) }),
    ...(dataset.modified === undefined ? {} : { 'dct:modified': dateTime(dataset.modified) }),
    'dcat:distribution': [distribution],
  };
}

/**
 * The catalogue document: one `dcat:Catalog` listing its datasets with `dcat:dataset`. Pass only
 * open and conditional datasets (closed ones are not public); the builder refuses others.
 */
export function dcatCatalogue(baseUrl: string, catalogue: DcatCatalogue, datasets: readonly DcatDataset[]): JsonLd {
  const base = baseUrl.replace(/\/+$/, '');
  for (const dataset of datasets) {
    if (dataset.openness !== 'open' && dataset.openness !== 'conditional') {
      throw new TypeError(`dataset ${dataset.id} is not public`);
    }
  }
  return {
    '@context': DCAT_CONTEXT,
    '@id': `${base}/api/v1/public/datasets/catalog.jsonld`,
    '@type': 'dcat:Catalog',
    'dct:title': bilingual(catalogue.title, catalogue.titleEn),
    'dct:description': bilingual(catalogue.description, catalogue.descriptionEn),
    'dct:publisher': agent(catalogue.publisher),
    ...(catalogue.homepage === undefined ? {} : { 'foaf:homepage': { '@id': catalogue.homepage } }),
    'dct:language': LANGUAGE_IRIS.map((iri) => ({ '@id': iri })),
    'dcat:themeTaxonomy': { '@id': DATA_THEME_SCHEME },
    'dcat:dataset': datasets.map((dataset) => dcatDataset(base, dataset)),
  };
}
