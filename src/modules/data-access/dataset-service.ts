/**
 * Datasets: the steward's records and uploads, the public catalogue (JSON and DCAT-AP 3.0
 * JSON-LD) and the download of open data (API-CONTRACT-2 §4).
 */
import type { Readable } from 'node:stream';
import { csvStream } from '../../lib/csv-extract.ts';
import { DatasetCsvError, readDatasetCsv, type DatasetValue } from '../../lib/csv-dataset.ts';
import { dcatCatalogue, type DcatDataset } from '../../lib/dcat.ts';
import { recordAudit } from '../../platform/audit.ts';
import { assertCan, systemResource } from '../../platform/authz.ts';
import type { AppDeps } from '../../platform/deps.ts';
import { AppError, found, notFound, unprocessable, type FieldProblem } from '../../platform/errors.ts';
import { decodeIdCursor, encodeCursor } from '../../platform/http.ts';
import { newId } from '../../platform/ids.ts';
import { enqueueEvent } from '../../platform/outbox.ts';
import { auditContext, type RequestContext } from '../../platform/request-context.ts';
import { DatasetCreated, DatasetDataUploaded } from './events.ts';
import {
  findDataVersion,
  findDataset,
  insertDataset,
  listDatasets,
  lockDataset,
  setDatasetData,
  type Executor,
} from './repo.ts';
import { discardSpool, readVersion, spoolUpload, storeVersion, versionStorageOf } from './storage.ts';
import { PERSONAL_CLASSIFICATIONS, type DatasetRecord } from './types.ts';
import type { DataTheme, DatasetOpenness } from '../../lib/dcat.ts';

export const DATASET_NOT_FOUND = { zh: '数据集不存在', en: 'No such dataset' };

export type CreateDatasetInput = Omit<
  DatasetRecord,
  'id' | 'rows' | 'dataVersion' | 'dataUpdatedAt' | 'version' | 'createdAt' | 'updatedAt'
>;

/** A data steward describes a dataset; an open one may hold no personal field. */
export async function createDataset(
  deps: AppDeps,
  ctx: RequestContext,
  input: CreateDatasetInput,
): Promise<DatasetRecord> {
  assertCan(ctx.principal, 'datasets.manage', systemResource('dataset'));
  const errors: FieldProblem[] = [];
  const seen = new Set<string>();
  input.fields.forEach((field, index) => {
    if (seen.has(field.name)) {
      errors.push({
        pointer: `/fields/${index}/name`,
        message: { zh: `字段名“${field.name}”重复`, en: `The field name "${field.name}" is used twice` },
      });
    }
    seen.add(field.name);
  });
  if (errors.length > 0) {
    throw unprocessable('duplicate_field_name', {
      detail: { zh: '字段名必须唯一', en: 'Field names must be unique' },
      errors,
    });
  }
  if (input.openness === 'open') {
    const personal: FieldProblem[] = [];
    input.fields.forEach((field, index) => {
      if (PERSONAL_CLASSIFICATIONS.includes(field.classification)) {
        personal.push({
          pointer: `/fields/${index}/classification`,
          message: {
            zh: `开放数据集不得包含${field.classification === 'sensitive' ? '敏感' : '标识符'}字段“${field.name}”`,
            en: `An open dataset may not hold the ${field.classification} field "${field.name}"`,
          },
        });
      }
    });
    if (personal.length > 0) {
      throw unprocessable('open_dataset_personal_fields', {
        detail: {
          zh: '开放数据集不得包含直接标识符、准标识符或敏感字段：请改为有条件开放，或删除这些字段',
          en: 'An open dataset may hold no direct identifier, quasi-identifier or sensitive field: make it conditional or drop those fields',
        },
        errors: personal,
      });
    }
  }
  const now = deps.clock.now().toISOString();
  const dataset: DatasetRecord = {
    ...input,
    fields: input.fields.map(({ name, type, classification }) => ({ name, type, classification })),
    id: newId(),
    rows: 0,
    dataVersion: 0,
    dataUpdatedAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const actorId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  await deps.db.transaction().execute(async (trx) => {
    await insertDataset(trx, dataset, actorId);
    await recordAudit(trx, auditContext(ctx, deps.clock), {
      action: 'dataset.created',
      resourceType: 'dataset',
      resourceId: dataset.id,
      organizationId: null,
      summary: {
        title: dataset.title,
        openness: dataset.openness,
        fields: dataset.fields.map((field) => `${field.name}:${field.classification}`),
      },
    });
    await enqueueEvent(trx, deps.clock, DatasetCreated, dataset.id, {
      datasetId: dataset.id,
      openness: dataset.openness,
    });
  });
  return dataset;
}

/** The steward's view of one dataset (any openness). */
export async function readDataset(deps: AppDeps, ctx: RequestContext, id: string): Promise<DatasetRecord> {
  assertCan(ctx.principal, 'datasets.manage', systemResource('dataset'));
  return found(await findDataset(deps.db, id), { detail: DATASET_NOT_FOUND });
}

export interface DatasetListInput {
  limit: number;
  cursor?: string;
  q?: string;
  theme?: DataTheme;
  openness?: DatasetOpenness;
}

async function page(db: Executor, input: DatasetListInput, allowed: readonly DatasetOpenness[]) {
  const openness = input.openness === undefined ? allowed : allowed.filter((o) => o === input.openness);
  if (openness.length === 0) return { items: [], nextCursor: null };
  const items = await listDatasets(db, {
    openness,
    theme: input.theme,
    q: input.q,
    beforeId: decodeIdCursor(input.cursor),
    limit: input.limit + 1,
  });
  const more = items.length > input.limit;
  const shown = more ? items.slice(0, input.limit) : items;
  return { items: shown, nextCursor: more ? encodeCursor([shown.at(-1)!.id]) : null };
}

/** Every dataset, closed ones too (the steward's list). */
export async function listAllDatasets(deps: AppDeps, ctx: RequestContext, input: DatasetListInput) {
  assertCan(ctx.principal, 'datasets.manage', systemResource('dataset'));
  return page(deps.db, input, ['open', 'conditional', 'closed']);
}

/** The public catalogue: open and conditional datasets. */
export async function listPublicDatasets(deps: AppDeps, input: DatasetListInput) {
  return page(deps.db, input, ['open', 'conditional']);
}

/** One public dataset; a closed one does not exist publicly. */
export async function readPublicDataset(deps: AppDeps, id: string): Promise<DatasetRecord> {
  const dataset = await findDataset(deps.db, id);
  if (dataset === undefined || dataset.openness === 'closed') throw notFound({ detail: DATASET_NOT_FOUND });
  return dataset;
}

const CATALOGUE = {
  title: '深圳市公共数据开放目录（人工智能产业）',
  titleEn: 'Shenzhen public data catalogue for the AI industry',
  description: '依法向人工智能产业开放的政府公共数据：开放数据可直接下载，有条件开放数据须申请授权。',
  descriptionEn:
    'Government-held public data made available to the AI industry where the law allows: open data can be downloaded, conditional data is released on an access grant.',
  publisher: '深圳市人工智能治理平台 / Shenzhen AI governance platform',
};

/** The DCAT-AP 3.0 JSON-LD catalogue of every open and conditional dataset. */
export async function publicCatalogue(deps: AppDeps, baseUrl: string): Promise<Record<string, unknown>> {
  const datasets: DcatDataset[] = [];
  let cursor: string | undefined;
  for (;;) {
    const batch = await listDatasets(deps.db, {
      openness: ['open', 'conditional'],
      beforeId: cursor,
      limit: 500,
    });
    for (const dataset of batch) {
      datasets.push({
        id: dataset.id,
        title: dataset.title,
        titleEn: dataset.titleEn,
        description: dataset.description,
        descriptionEn: dataset.descriptionEn,
        publisher: dataset.publisher,
        openness: dataset.openness as 'open' | 'conditional',
        themes: dataset.themes,
        license: dataset.license,
        updateFrequency: dataset.updateFrequency,
        issued: dataset.createdAt,
        ...(dataset.dataUpdatedAt === null ? {} : { modified: dataset.dataUpdatedAt }),
      });
    }
    if (batch.length < 500) break;
    cursor = batch.at(-1)!.id;
  }
  return dcatCatalogue(baseUrl, CATALOGUE, datasets);
}

/** Maps the CSV reader's problems to the contract's 422 (`errors[].pointer`). */
function csvRefused(error: DatasetCsvError): AppError {
  return unprocessable('dataset_csv_invalid', {
    detail: {
      zh: `数据文件未通过校验（${error.problems.length}${error.truncated ? '+' : ''} 处问题），未保存任何数据`,
      en: `The data file does not validate (${error.problems.length}${error.truncated ? '+' : ''} problem(s)); nothing was stored`,
    },
    errors: error.problems.map((problem) => ({ pointer: problem.pointer, message: problem.message })),
    extensions: { problems: error.problems.map((problem) => ({ pointer: problem.pointer, code: problem.code })) },
  });
}

/**
 * A new data version from a CSV stream: validated completely before anything is stored
 * (all or nothing), then stored with its version row in one transaction.
 */
export async function uploadDatasetData(
  deps: AppDeps,
  ctx: RequestContext,
  input: { id: string; body: AsyncIterable<Uint8Array | string> },
): Promise<{ rows: number; version: number }> {
  assertCan(ctx.principal, 'datasets.manage', systemResource('dataset'));
  const dataset = found(await findDataset(deps.db, input.id), { detail: DATASET_NOT_FOUND });
  let spooled;
  try {
    spooled = await spoolUpload(deps, input.body, dataset.fields);
  } catch (error) {
    if (error instanceof DatasetCsvError) throw csvRefused(error);
    throw error;
  }
  const versionId = newId();
  let undo: (() => Promise<void>) | undefined;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const locked = found(await lockDataset(trx, input.id), { detail: DATASET_NOT_FOUND });
      if (JSON.stringify(locked.fields) !== JSON.stringify(dataset.fields)) {
        throw new AppError(409, 'dataset_changed', {
          detail: {
            zh: '上传期间数据集字段已变更，请重新上传',
            en: 'The dataset’s fields changed during the upload: upload again',
          },
        });
      }
      const number = locked.dataVersion + 1;
      const now = deps.clock.now().toISOString();
      // The version row first: on PostgreSQL its chunks reference it.
      await trx
        .insertInto('dataset_versions')
        .values({
          id: versionId,
          dataset_id: locked.id,
          number,
          rows: spooled.rows,
          bytes: spooled.bytes,
          sha256: spooled.sha256,
          storage: versionStorageOf(deps),
          uploaded_by: ctx.principal.kind === 'user' ? ctx.principal.userId : null,
          uploaded_at: now,
        })
        .execute();
      const stored = await storeVersion(trx, deps, versionId, spooled);
      undo = stored.undo;
      await setDatasetData(trx, locked.id, {
        dataVersion: number,
        rows: spooled.rows,
        at: now,
        version: locked.version + 1,
      });
      await recordAudit(trx, auditContext(ctx, deps.clock), {
        action: 'dataset.data_uploaded',
        resourceType: 'dataset',
        resourceId: locked.id,
        organizationId: null,
        summary: { dataVersion: number, rows: spooled.rows, bytes: spooled.bytes, sha256: spooled.sha256 },
      });
      await enqueueEvent(trx, deps.clock, DatasetDataUploaded, locked.id, {
        datasetId: locked.id,
        dataVersion: number,
        rows: spooled.rows,
      });
      return { rows: spooled.rows, version: number };
    });
  } catch (error) {
    await undo?.();
    throw error;
  } finally {
    await discardSpool(spooled);
  }
}

/** The typed rows of a dataset's current version, read from storage as a stream. */
export async function* currentRows(deps: AppDeps, dataset: DatasetRecord): AsyncGenerator<(string | number | null)[]> {
  if (dataset.dataVersion === 0) return;
  const version = await findDataVersion(deps.db, dataset.id, dataset.dataVersion);
  if (version === undefined) throw new Error(`dataset ${dataset.id} lacks its version ${dataset.dataVersion}`);
  const reader = readDatasetCsv(readVersion(deps, deps.db, version), dataset.fields, { batchSize: 4096 });
  for (;;) {
    const step = await reader.next();
    if (step.done === true) return;
    yield* step.value.rows;
  }
}

/** `data.csv` of an open dataset: the current version, re-written as RFC 4180 CSV. */
export async function openDatasetCsv(deps: AppDeps, id: string): Promise<{ dataset: DatasetRecord; stream: Readable }> {
  const dataset = await findDataset(deps.db, id);
  if (dataset === undefined || dataset.openness === 'closed') throw notFound({ detail: DATASET_NOT_FOUND });
  if (dataset.openness !== 'open') {
    // A public path answers no 403: the open file of this dataset does not exist.
    throw new AppError(404, 'dataset_not_open', {
      detail: {
        zh: '该数据集为有条件开放：请提交数据访问申请，获得授权后下载脱敏数据',
        en: 'This dataset is conditional: request access and download the anonymised extract once granted',
      },
    });
  }
  const header = dataset.fields.map((field) => field.name);
  return { dataset, stream: csvStream(header, currentRows(deps, dataset) as AsyncIterable<DatasetValue[]>) };
}
