/**
 * The AI industry classification catalogue (Shenzhen AI Regulations: the city establishes
 * AI-industry statistical classification standards and a classification catalogue), kept as
 * versioned reference data in `data/reference/catalogue/*.json`. `validateCatalogue` is pure;
 * the loaders read files.
 *
 * Codes are stable and hierarchical: a level-1 code is one capital letter naming a layer
 * (`F` foundation, `T` technology, `A` application); each lower level appends two digits
 * (`F01`, `F0101`). Items are listed parents first.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFields, checkSourceCitations, deepFreeze, isRecord } from './reference-validation.ts';

export const CATALOGUE_LAYERS = ['foundation', 'technology', 'application'] as const;
export type CatalogueLayer = (typeof CATALOGUE_LAYERS)[number];
export const CATALOGUE_MAX_LEVEL = 3;

/** A published document the catalogue draws on. */
export interface CatalogueSource {
  readonly id: string;
  readonly title: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly issuer: string;
  readonly year: number;
  /** Document number, e.g. 国家统计局令第23号. */
  readonly number?: string;
  readonly url?: string;
  readonly notes?: string;
}

/** Where in a source an item comes from, e.g. `{source: "sei-2018", locator: "1.5.1 人工智能软件开发"}`. */
export interface CatalogueRef {
  readonly source: string;
  readonly locator: string;
}

export interface CatalogueItem {
  readonly code: string;
  readonly parentCode: string | null;
  /** 1 = layer, 2 = sector, 3 = sub-sector. */
  readonly level: number;
  readonly layer: CatalogueLayer;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly refs?: readonly CatalogueRef[];
}

export interface Catalogue {
  /** `YYYY.N`, e.g. `2024.1` (see the file's notes). */
  readonly version: string;
  readonly titleZh?: string;
  readonly titleEn?: string;
  readonly notesZh?: string;
  readonly notesEn?: string;
  readonly source: readonly CatalogueSource[];
  readonly items: readonly CatalogueItem[];
}

/** A catalogue failed validation; `problems` lists every one, each led by its JSON pointer. */
export class CatalogueValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid catalogue: ${problems.join('; ')}`);
    this.name = 'CatalogueValidationError';
  }
}

/** `data/reference/catalogue` of this checkout, found from this file rather than the cwd. */
export const DEFAULT_CATALOGUE_DIR = fileURLToPath(new URL('../../data/reference/catalogue/', import.meta.url));

const ROOT_CODE_PATTERN = /^[A-Z]$/;
const CHILD_SUFFIX_PATTERN = /^\d{2}$/;
const VERSION_PATTERN = /^\d{4}\.\d+$/;

/**
 * Checks a parsed catalogue file and returns it as a deeply frozen copy. Throws
 * `CatalogueValidationError` listing every problem: structure and unknown fields, unique
 * codes, parents that exist and come earlier, level = parent level + 1 (at most 3), the
 * parent's layer, code = parent code + two digits, one root per layer, and refs naming a
 * listed source.
 */
export function validateCatalogue(json: unknown): Catalogue {
  if (!isRecord(json)) throw new CatalogueValidationError([': a catalogue must be a JSON object']);
  const problems: string[] = [];
  checkFields(
    json,
    '',
    {
      required: ['version', 'source', 'items'],
      optional: ['titleZh', 'titleEn', 'notesZh', 'notesEn'],
      texts: ['titleZh', 'titleEn', 'notesZh', 'notesEn'],
    },
    problems,
  );
  const { version, items } = json;
  if (Object.hasOwn(json, 'version') && (typeof version !== 'string' || !VERSION_PATTERN.test(version))) {
    problems.push(`/version: must look like YYYY.N (got ${JSON.stringify(version)})`);
  }
  const sourceIds = Object.hasOwn(json, 'source')
    ? checkSourceCitations(json['source'], '/source', problems)
    : new Set<string>();

  if (!Array.isArray(items) || items.length === 0) {
    problems.push('/items: must be a non-empty array');
  } else {
    // code → what a child needs to know; filled in list order, so a parent listed later is "missing".
    const seen = new Map<string, { level: number; layer: unknown }>();
    const rootLayers = new Set<unknown>();
    items.forEach((item: unknown, index) => {
      const at = `/items/${index}`;
      if (!isRecord(item)) {
        problems.push(`${at}: must be an object`);
        return;
      }
      checkFields(
        item,
        at,
        {
          required: ['code', 'parentCode', 'level', 'layer', 'nameZh', 'nameEn'],
          optional: ['refs'],
          texts: ['nameZh', 'nameEn'],
        },
        problems,
      );
      const { code, parentCode, level, layer, refs } = item;
      const label = typeof code === 'string' ? `"${code}"` : `item ${index}`;
      if (typeof code !== 'string' || code.length === 0) {
        problems.push(`${at}/code: must be a non-empty string`);
        return;
      }
      if (seen.has(code)) problems.push(`${at}/code: ${label} is repeated`);
      if (typeof layer !== 'string' || !(CATALOGUE_LAYERS as readonly string[]).includes(layer)) {
        problems.push(`${at}/layer: must be one of ${CATALOGUE_LAYERS.join(', ')} (got ${JSON.stringify(layer)})`);
      }
      if (!(typeof level === 'number' && Number.isInteger(level) && level >= 1 && level <= CATALOGUE_MAX_LEVEL)) {
        problems.push(
          `${at}/level: must be an integer from 1 to ${CATALOGUE_MAX_LEVEL} (got ${JSON.stringify(level)})`,
        );
      }

      if (parentCode === null) {
        if (level !== 1) problems.push(`${at}/level: ${label} has no parent, so its level must be 1`);
        if (!ROOT_CODE_PATTERN.test(code))
          problems.push(`${at}/code: a level-1 code is one capital letter (got ${label})`);
        if (rootLayers.has(layer))
          problems.push(`${at}/layer: a second level-1 item for layer ${JSON.stringify(layer)}`);
        rootLayers.add(layer);
      } else if (typeof parentCode !== 'string') {
        problems.push(`${at}/parentCode: must be a code or null`);
      } else {
        const parent = seen.get(parentCode);
        if (!parent) {
          problems.push(`${at}/parentCode: "${parentCode}" is not listed before ${label}`);
        } else {
          if (level !== parent.level + 1) {
            problems.push(
              `${at}/level: must be ${parent.level + 1}, one below its parent "${parentCode}" (got ${JSON.stringify(level)})`,
            );
          }
          if (layer !== parent.layer) {
            problems.push(
              `${at}/layer: must be ${JSON.stringify(parent.layer)}, the layer of its parent "${parentCode}"`,
            );
          }
        }
        if (!code.startsWith(parentCode) || !CHILD_SUFFIX_PATTERN.test(code.slice(parentCode.length))) {
          problems.push(`${at}/code: must be its parent code "${parentCode}" followed by two digits (got ${label})`);
        }
      }

      if (refs !== undefined) {
        if (!Array.isArray(refs) || refs.length === 0) {
          problems.push(`${at}/refs: must be a non-empty array when present`);
        } else {
          refs.forEach((ref: unknown, refIndex) => {
            const refAt = `${at}/refs/${refIndex}`;
            if (!isRecord(ref)) {
              problems.push(`${refAt}: must be an object`);
              return;
            }
            checkFields(ref, refAt, { required: ['source', 'locator'], texts: ['source', 'locator'] }, problems);
            const refSource = ref['source'];
            if (typeof refSource === 'string' && !sourceIds.has(refSource)) {
              problems.push(`${refAt}/source: "${refSource}" is not listed in /source`);
            }
          });
        }
      }
      if (!seen.has(code) && typeof level === 'number') seen.set(code, { level, layer });
    });
    for (const layer of CATALOGUE_LAYERS) {
      if (!rootLayers.has(layer)) problems.push(`/items: no level-1 item for layer "${layer}"`);
    }
  }
  if (problems.length > 0) throw new CatalogueValidationError(problems);
  // Every field has been checked above and unknown fields rejected, so the copy has the type's shape.
  return deepFreeze(structuredClone(json)) as unknown as Catalogue;
}

/**
 * Reads and validates one catalogue file. Throws `CatalogueValidationError` (problems
 * prefixed with the file name) for invalid JSON or an invalid catalogue.
 */
export async function readCatalogueFile(file: string): Promise<Catalogue> {
  const name = path.basename(file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new CatalogueValidationError([`${name}: not valid JSON (${error.message})`]);
    throw error;
  }
  try {
    return validateCatalogue(json);
  } catch (error) {
    if (error instanceof CatalogueValidationError) {
      throw new CatalogueValidationError(error.problems.map((problem) => `${name}${problem}`));
    }
    throw error;
  }
}

/**
 * Reads and validates every `*.json` catalogue in `dir`, in file-name order. Throws
 * `CatalogueValidationError` listing the problems of every file, including two files with
 * the same `version`, or no files at all.
 */
export async function loadCatalogues(dir: string = DEFAULT_CATALOGUE_DIR): Promise<Catalogue[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new CatalogueValidationError([`${dir}: no catalogue files`]);
  const problems: string[] = [];
  const catalogues: Catalogue[] = [];
  const versions = new Map<string, string>();
  for (const name of names) {
    try {
      const catalogue = await readCatalogueFile(path.join(dir, name));
      const other = versions.get(catalogue.version);
      if (other !== undefined) {
        problems.push(`${name}/version: "${catalogue.version}" is also the version of ${other}`);
        continue;
      }
      versions.set(catalogue.version, name);
      catalogues.push(catalogue);
    } catch (error) {
      if (!(error instanceof CatalogueValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new CatalogueValidationError(problems);
  return catalogues;
}
