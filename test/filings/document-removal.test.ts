// Issue #19 item 9: a provider takes back a document it has not submitted — from a draft, or one
// added since an information request; what was submitted stays part of the review record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessmentDraft, filingWorld, SAMPLE_PDF, SAMPLE_TEXT, underReview, upload } from './helpers.ts';

test('documents of a draft can be removed; submitted ones cannot; only the owner may', async (t) => {
  const world = await filingWorld(t);
  const { filingId } = await assessmentDraft(world);
  const extra = await upload(
    world,
    filingId,
    { name: 'notes.txt', contentType: 'text/plain', data: SAMPLE_TEXT },
    { documentType: 'other' },
  );
  assert.equal(extra.statusCode, 201, extra.body);
  const documentId = extra.json<{ id: string }>().id;
  const remove = (id: string, user = world.provider, filing = filingId) =>
    world.inject('DELETE', `/api/v1/filings/${filing}/documents/${id}`, user);

  assert.equal((await remove(documentId, world.stranger)).statusCode, 404);
  assert.equal((await remove(documentId, world.reviewer)).statusCode, 403);
  assert.equal((await remove('01890a5d-ac96-774b-bcce-b302099a8057')).statusCode, 404);
  const other = await assessmentDraft(world);
  assert.equal((await remove(documentId, world.provider, other.filingId)).statusCode, 404, 'another filing’s document');

  const removed = await remove(documentId);
  assert.equal(removed.statusCode, 204, removed.body);
  const filing = (await world.inject('GET', `/api/v1/filings/${filingId}`, world.provider)).json<{
    documents: Array<{ id: string }>;
  }>();
  assert.deepEqual(filing.documents.map((document) => document.id).includes(documentId), false);
  assert.equal((await remove(documentId)).statusCode, 404, 'gone');
  const audit = await world.t.db
    .selectFrom('audit_events')
    .select('summary')
    .where('action', '=', 'filing.document_removed')
    .executeTakeFirstOrThrow();
  assert.equal((audit.summary as { documentId: string }).documentId, documentId);

  // Submitted: the record is fixed.
  const submitted = await world.inject('POST', `/api/v1/filings/${filingId}/submit`, world.provider, {});
  assert.equal(submitted.statusCode, 200, submitted.body);
  const report = filing.documents[0]!.id;
  const refused = await remove(report);
  assert.equal(refused.statusCode, 409);
  assert.equal(refused.json().code, 'illegal_transition');
});

test('during an information request only the documents added since can be removed', async (t) => {
  const world = await filingWorld(t);
  const { filingId, version } = await underReview(world);
  const before = (await world.inject('GET', `/api/v1/filings/${filingId}`, world.provider)).json<{
    documents: Array<{ id: string }>;
  }>();
  const requested = await world.inject(
    'POST',
    `/api/v1/filings/${filingId}/information-requests`,
    world.reviewer,
    { message: '请补充测试报告' },
    { 'if-match': `"${version}"` },
  );
  assert.equal(requested.statusCode, 200, requested.body);
  await world.travel('2026-03-03T02:00:00Z');
  const added = await upload(
    world,
    filingId,
    { name: 'test-report.pdf', contentType: 'application/pdf', data: SAMPLE_PDF },
    { documentType: 'test_report' },
  );
  assert.equal(added.statusCode, 201, added.body);

  const original = await world.inject(
    'DELETE',
    `/api/v1/filings/${filingId}/documents/${before.documents[0]!.id}`,
    world.provider,
  );
  assert.equal(original.statusCode, 409);
  assert.equal(original.json().code, 'document_not_removable');
  const fresh = await world.inject(
    'DELETE',
    `/api/v1/filings/${filingId}/documents/${added.json<{ id: string }>().id}`,
    world.provider,
  );
  assert.equal(fresh.statusCode, 204, fresh.body);
});
