import { sql } from 'kysely';
import {
  CatalogueValidationError,
  validateCatalogue,
  type Catalogue,
  type CatalogueItem,
} from '../../lib/catalogue-files.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, conflict, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { CataloguePublished } from './events.ts';
import type { RequestContext } from '../../platform/request-context.ts';
import { registerProblemTitles } from '../../platform/problem-titles.ts';
import {
  catalogueItemExists,
  findCatalogueVersion,
  insertCatalogueVersion,
  listCatalogueItems,
  listCatalogueVersions,
  type CatalogueVersion,
  type Executor,
} from './repo.ts';

registerProblemTitles({
  catalogue_version_not_found: { zh: '目录版本不存在', en: 'No such catalogue version' },
  catalogue_version_exists: { zh: '该目录版本已发布', en: 'This catalogue version is already published' },
  catalogue_version_not_newer: {
    zh: '目录版本号必须大于当前版本',
    en: 'The catalogue version must be newer than the current one',
  },
  invalid_catalogue: { zh: '目录内容无效', en: 'Invalid catalogue' },
  invalid_catalogue_mapping: { zh: '旧代码映射无效', en: 'Invalid mapping of old codes' },
});

/** Arbitrary constant for the advisory lock that serialises catalogue publications. */
const CATALOGUE_PUBLISH_LOCK = 7_100_003;

/** Catalogue versions are `YYYY.N`: by year, then by revision (`2024.10` after `2024.9`). */
export function compareCatalogueVersions(a: string, b: string): number {
  const [yearA = 0, revisionA = 0] = a.split('.').map(Number);
  const [yearB = 0, revisionB = 0] = b.split('.').map(Number);
  return yearA - yearB || revisionA - revisionB || a.localeCompare(b);
}

function newestOf(versions: CatalogueVersion[]): CatalogueVersion | undefined {
  return versions.reduce<CatalogueVersion | undefined>(
    (newest, candidate) =>
      newest === undefined || compareCatalogueVersions(candidate.version, newest.version) > 0 ? candidate : newest,
    undefined,
  );
}

/** The version new products are classified under: the newest published one. */
export async function currentCatalogueVersion(db: Executor): Promise<string> {
  const newest = newestOf(await listCatalogueVersions(db));
  // Migration 0003 seeds the shipped catalogue, so an empty table is a broken installation.
  if (newest === undefined) throw new Error('No catalogue version is stored');
  return newest.version;
}

export async function catalogueCodeIsListed(db: Executor, version: string, code: string): Promise<boolean> {
  return catalogueItemExists(db, version, code);
}

/** `GET /api/v1/catalogue`: one version (default: the current one) with its items. */
export async function readCatalogue(
  db: Executor,
  version: string | undefined,
): Promise<{ version: string; items: CatalogueItem[] }> {
  const wanted = version ?? (await currentCatalogueVersion(db));
  const stored = await findCatalogueVersion(db, wanted);
  if (stored === undefined) {
    throw new AppError(404, 'catalogue_version_not_found', {
      detail: { zh: `没有 ${wanted} 版本的产业分类目录`, en: `There is no catalogue version ${wanted}` },
    });
  }
  return { version: stored.version, items: await listCatalogueItems(db, stored.version) };
}

/** Every stored version, newest first, with the mapping each applied to its predecessor's codes. */
export async function listVersions(db: Executor): Promise<(CatalogueVersion & { isCurrent: boolean })[]> {
  const versions = (await listCatalogueVersions(db)).sort((a, b) => compareCatalogueVersions(b.version, a.version));
  return versions.map((version, index) => ({ ...version, isCurrent: index === 0 }));
}

export interface PublishCatalogueInput {
  version: string;
  items: CatalogueItem[];
  /** Retired code of the previous version → its successor in this one. */
  mapping: Record<string, string>;
  source?: Catalogue['source'];
  titleZh?: string;
  titleEn?: string;
  notesZh?: string;
  notesEn?: string;
}

/** `"/items/3/code: must be …"` (validateCatalogue's format) → a field problem. */
function toFieldProblem(problem: string): FieldProblem {
  const at = problem.indexOf(': ');
  if (at < 0) return { pointer: '/', message: problem };
  return { pointer: problem.slice(0, at) || '/', message: problem.slice(at + 2) };
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * An administrator publishes a new catalogue version (Shenzhen AI Regulations: the city
 * maintains the AI industry classification catalogue). The items are validated like the
 * shipped files; the version must be newer than the current one; every code of the current
 * version that the new one drops must be mapped to a successor listed in the new one, so
 * statistics can follow products across versions (products keep the version they were
 * classified under). Codes never change meaning, so a code still listed cannot be remapped.
 */
export async function publishCatalogueVersion(
  deps: AppDeps,
  context: RequestContext,
  input: PublishCatalogueInput,
): Promise<CatalogueVersion & { isCurrent: boolean }> {
  assertCan(context.principal, 'catalogue.publish', systemResource('catalogue'));
  const en = context.language === 'en';

  return deps.db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CATALOGUE_PUBLISH_LOCK})`.execute(trx);
    const versions = await listCatalogueVersions(trx);
    const current = newestOf(versions);
    if (current === undefined) throw new Error('No catalogue version is stored');

    const { mapping, ...document } = input;
    let catalogue: Catalogue;
    try {
      catalogue = validateCatalogue({ ...document, source: input.source ?? current.source });
    } catch (error) {
      if (!(error instanceof CatalogueValidationError)) throw error;
      throw unprocessable('invalid_catalogue', {
        detail: {
          zh: '目录内容未通过校验，请逐项检查',
          en: 'The catalogue does not validate: check each problem listed',
        },
        errors: error.problems.map(toFieldProblem),
      });
    }
    if (versions.some((stored) => stored.version === catalogue.version)) {
      throw conflict('catalogue_version_exists', {
        detail: {
          zh: `目录 ${catalogue.version} 版本已发布`,
          en: `Catalogue version ${catalogue.version} is already published`,
        },
      });
    }
    if (compareCatalogueVersions(catalogue.version, current.version) <= 0) {
      throw unprocessable('catalogue_version_not_newer', {
        detail: {
          zh: `新版本号必须大于当前版本 ${current.version}`,
          en: `The new version must be newer than the current version ${current.version}`,
        },
        errors: [
          {
            pointer: '/version',
            message: en ? `must be newer than ${current.version}` : `必须大于 ${current.version}`,
          },
        ],
      });
    }

    const previousCodes = new Set((await listCatalogueItems(trx, current.version)).map((item) => item.code));
    const newCodes = new Set(catalogue.items.map((item) => item.code));
    const problems: FieldProblem[] = [];
    for (const [oldCode, newCode] of Object.entries(mapping)) {
      const pointer = `/mapping/${escapeToken(oldCode)}`;
      if (!previousCodes.has(oldCode)) {
        problems.push({
          pointer,
          message: en
            ? `"${oldCode}" is not a code of version ${current.version}`
            : `"${oldCode}"不是 ${current.version} 版本的代码`,
        });
      } else if (newCodes.has(oldCode)) {
        problems.push({
          pointer,
          message: en
            ? `"${oldCode}" is still listed in ${catalogue.version}; a code never changes meaning`
            : `"${oldCode}"在 ${catalogue.version} 版本中仍然存在，代码含义不得改变`,
        });
      } else if (!newCodes.has(newCode)) {
        problems.push({
          pointer,
          message: en
            ? `successor "${newCode}" is not listed in ${catalogue.version}`
            : `接续代码"${newCode}"不在 ${catalogue.version} 版本中`,
        });
      }
    }
    for (const oldCode of previousCodes) {
      if (!newCodes.has(oldCode) && !Object.hasOwn(mapping, oldCode)) {
        problems.push({
          pointer: `/mapping/${escapeToken(oldCode)}`,
          message: en
            ? `"${oldCode}" of ${current.version} is dropped: map it to its successor`
            : `${current.version} 版本的代码"${oldCode}"被删除，须映射到接续代码`,
        });
      }
    }
    if (problems.length > 0) {
      throw unprocessable('invalid_catalogue_mapping', {
        detail: {
          zh: '旧代码映射无效：每个被删除的旧代码都须映射到新版本中的代码',
          en: 'Invalid mapping: every dropped code must map to a code of the new version',
        },
        errors: problems,
      });
    }

    const now = deps.clock.now();
    const publishedBy = context.principal.kind === 'user' ? context.principal.userId : null;
    await insertCatalogueVersion(trx, catalogue, {
      previousVersion: current.version,
      mapping,
      origin: 'published',
      publishedAt: now,
      publishedBy,
    });
    await recordAudit(
      trx,
      { principal: context.principal, requestId: context.requestId, clock: deps.clock },
      {
        action: 'catalogue.published',
        resourceType: 'catalogue_version',
        resourceId: catalogue.version,
        summary: {
          version: catalogue.version,
          previousVersion: current.version,
          itemCount: catalogue.items.length,
          retiredCodes: Object.keys(mapping).length,
        },
      },
    );
    await enqueueEvent(trx, deps.clock, CataloguePublished, catalogue.version, {
      version: catalogue.version,
      previousVersion: current.version,
      mapping,
    });
    const stored = await findCatalogueVersion(trx, catalogue.version);
    if (stored === undefined) throw new Error('Catalogue version vanished after insert');
    return { ...stored, isCurrent: true };
  });
}
