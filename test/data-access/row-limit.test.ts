import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/test-app.ts';
import { tableCounts } from '../factories.ts';
import { actors, createDataset, openDatasetBody, problemOf, upload } from './helpers.ts';

// Its own file: 1,000,001 rows take a while on a busy machine. (1,000,000 accepted rows: bench/.)
test('1,000,001 rows → 422 at /rows/1000001, nothing stored', { timeout: 280_000 }, async (t) => {
  const ta = await buildTestApp(t);
  const { steward } = await actors(ta);
  const dataset = await createDataset(
    ta,
    steward,
    openDatasetBody({ fields: [{ name: 'n', type: 'integer', classification: 'other' }] }),
  );
  const tables = ['datasets', 'dataset_versions', 'dataset_data_chunks', 'audit_events'];
  const before = await tableCounts(ta, tables);
  const tooMany = await upload(ta, steward, dataset.id, `n\n${'1\n'.repeat(1_000_001)}`);
  assert.equal(tooMany.statusCode, 422, tooMany.body.slice(0, 500));
  assert.equal(problemOf(tooMany).problems?.[0]?.code, 'csv_too_many_rows');
  assert.equal(problemOf(tooMany).errors?.[0]?.pointer, '/rows/1000001');
  assert.deepEqual(await tableCounts(ta, tables), before);
});
