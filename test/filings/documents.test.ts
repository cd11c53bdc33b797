import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import {
  createDraft,
  DOCX_TYPE,
  filingWorld,
  multipartBody,
  PLAIN_ZIP,
  SAMPLE_DOCX,
  SAMPLE_JPEG,
  SAMPLE_PDF,
  SAMPLE_PNG,
  SAMPLE_TEXT,
  SAMPLE_XLSX,
  submitted,
  upload,
  XLSX_TYPE,
} from './helpers.ts';

test('documents: every contract format is accepted and identified by its bytes', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  const cases = [
    { name: 'report.pdf', contentType: 'application/pdf', data: SAMPLE_PDF, expected: 'application/pdf' },
    { name: 'chart.png', contentType: 'image/png', data: SAMPLE_PNG, expected: 'image/png' },
    { name: 'photo.JPG', contentType: 'image/jpeg', data: SAMPLE_JPEG, expected: 'image/jpeg' },
    { name: 'method.docx', contentType: DOCX_TYPE, data: SAMPLE_DOCX, expected: DOCX_TYPE },
    { name: 'results.xlsx', contentType: XLSX_TYPE, data: SAMPLE_XLSX, expected: XLSX_TYPE },
    { name: 'notes.txt', contentType: 'text/plain', data: SAMPLE_TEXT, expected: 'text/plain; charset=utf-8' },
    // A generic declared type is fine when the extension fits the content.
    { name: 'scan.pdf', contentType: 'application/octet-stream', data: SAMPLE_PDF, expected: 'application/pdf' },
  ];
  for (const item of cases) {
    const response = await upload(world, draft.id, item, { documentType: 'technical_documentation' });
    assert.equal(response.statusCode, 201, `${item.name}: ${response.body}`);
    const document = response.json();
    assert.equal(document.contentType, item.expected, item.name);
    assert.equal(document.size, item.data.length);
    assert.equal(document.sha256, crypto.createHash('sha256').update(item.data).digest('hex'));
    assert.equal(document.fileName, item.name);
    assert.equal(document.documentType, 'technical_documentation');
  }
  const filing = await world.inject('GET', `/api/v1/filings/${draft.id}`, world.provider);
  assert.equal(filing.json().documents.length, cases.length);
  assert.equal(filing.json().version, 1 + cases.length);
});

test('documents: download with the sniffed type, attachment disposition and nosniff; only owner and regulators', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  const uploaded = await upload(world, draft.id, {
    name: '风险评估报告 v2.pdf',
    contentType: 'application/pdf',
    data: SAMPLE_PDF,
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  const id = uploaded.json().id;
  assert.equal(uploaded.json().fileName, '风险评估报告 v2.pdf');

  const download = await world.inject('GET', `/api/v1/documents/${id}`, world.provider);
  assert.equal(download.statusCode, 200);
  assert.deepEqual(download.rawPayload, SAMPLE_PDF);
  assert.equal(download.headers['content-type'], 'application/pdf');
  assert.equal(download.headers['x-content-type-options'], 'nosniff');
  assert.match(
    String(download.headers['content-disposition']),
    /^attachment; filename="______ v2\.pdf"; filename\*=UTF-8''/,
  );
  assert.match(String(download.headers['content-disposition']), /%E9%A3%8E/);
  assert.equal((await world.inject('GET', `/api/v1/documents/${id}`, world.reviewer)).statusCode, 200);
  assert.equal((await world.inject('GET', `/api/v1/documents/${id}`, world.admin)).statusCode, 200);
  assert.equal((await world.inject('GET', `/api/v1/documents/${id}`, world.stranger)).statusCode, 404);
  assert.equal((await world.inject('GET', `/api/v1/documents/${id}`)).statusCode, 401);
  assert.equal((await world.inject('GET', `/api/v1/documents/${crypto.randomUUID()}`, world.provider)).statusCode, 404);
});

test('documents: mismatched, unsupported, oversized or misplaced uploads are refused and change nothing', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  const before = await world.snapshot();

  const refusals: Array<
    [string, { name: string; contentType: string; data: Buffer } | undefined, number, string, string?]
  > = [
    [
      'PNG bytes called a PDF',
      { name: 'report.pdf', contentType: 'application/pdf', data: SAMPLE_PNG },
      422,
      'document_type_mismatch',
    ],
    [
      'PDF bytes declared as PNG',
      { name: 'report', contentType: 'image/png', data: SAMPLE_PDF },
      422,
      'document_type_mismatch',
    ],
    [
      'text with an .html name',
      { name: 'page.html', contentType: 'text/html', data: SAMPLE_TEXT },
      422,
      'document_type_mismatch',
    ],
    [
      'an executable name on text',
      { name: 'run.exe', contentType: 'application/octet-stream', data: SAMPLE_TEXT },
      422,
      'document_type_mismatch',
    ],
    [
      'a plain ZIP',
      { name: 'bundle.zip', contentType: 'application/zip', data: PLAIN_ZIP },
      415,
      'unsupported_document_type',
    ],
    [
      'binary junk',
      { name: 'x.bin', contentType: 'application/octet-stream', data: Buffer.from([0, 1, 2, 3, 0xfe]) },
      415,
      'unsupported_document_type',
    ],
    [
      'invalid UTF-8',
      { name: 'x.txt', contentType: 'text/plain', data: Buffer.from([0x61, 0xc3, 0x28]) },
      415,
      'unsupported_document_type',
    ],
    [
      'an empty file',
      { name: 'empty.pdf', contentType: 'application/pdf', data: Buffer.alloc(0) },
      415,
      'unsupported_document_type',
    ],
    ['no file', undefined, 400, 'validation_failed'],
  ];
  for (const [why, file, status, code] of refusals) {
    const response = await upload(world, draft.id, file);
    assert.equal(response.statusCode, status, `${why}: ${response.body}`);
    assert.equal(response.json().code, code, why);
  }
  const badType = await upload(
    world,
    draft.id,
    { name: 'r.pdf', contentType: 'application/pdf', data: SAMPLE_PDF },
    { documentType: 'selfie' },
  );
  assert.equal(badType.statusCode, 400);
  const notMultipart = await world.inject('POST', `/api/v1/filings/${draft.id}/documents`, world.provider, {
    file: 'x',
  });
  assert.equal(notMultipart.statusCode, 415);

  // Over 20 MB → 413 (the body is cut off while streaming; nothing is stored).
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x61);
  const tooBig = await upload(world, draft.id, { name: 'big.txt', contentType: 'text/plain', data: big });
  assert.equal(tooBig.statusCode, 413, tooBig.body);
  // Wrong actors.
  const pdf = { name: 'r.pdf', contentType: 'application/pdf', data: SAMPLE_PDF };
  assert.equal((await upload(world, draft.id, pdf, { user: world.stranger })).statusCode, 404);
  assert.equal((await upload(world, draft.id, pdf, { user: world.reviewer })).statusCode, 403);
  const anonymous = multipartBody(pdf);
  const anon = await world.t.app.inject({
    method: 'POST',
    url: `/api/v1/filings/${draft.id}/documents`,
    headers: anonymous.headers,
    payload: anonymous.payload,
  });
  assert.equal(anon.statusCode, 401);
  assert.deepEqual(await world.snapshot(), before);

  // Wrong state: a submitted filing takes no documents until information is requested.
  const { filingId } = await submitted(world);
  const late = await upload(world, filingId, pdf);
  assert.equal(late.statusCode, 409);
  assert.equal(late.json().code, 'illegal_transition');
  assert.equal(late.json().currentStatus, 'submitted');

  // Exactly 20 MB is fine.
  const limit = await upload(
    world,
    draft.id,
    { name: 'limit.txt', contentType: 'text/plain', data: big.subarray(0, 20 * 1024 * 1024) },
    { documentType: 'test_report' },
  );
  assert.equal(limit.statusCode, 201, limit.body);
  assert.equal(limit.json().size, 20 * 1024 * 1024);
});

test('documents: bidirectional and control characters are stripped from file names, stored and old alike', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  // "report\u202Egpj.pdf" shows as "reportfdp.jpg": a PDF dressed up as a picture.
  const uploaded = await upload(world, draft.id, {
    name: 'report\u202egpj.pdf',
    contentType: 'application/pdf',
    data: SAMPLE_PDF,
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  assert.equal(uploaded.json().fileName, 'reportgpj.pdf');
  // The extension checked against the content is the cleaned one.
  const disguised = await upload(world, draft.id, {
    name: 'photo\u202efdp.jpg',
    contentType: 'application/octet-stream',
    data: SAMPLE_PDF,
  });
  assert.equal(disguised.statusCode, 422, disguised.body);
  assert.equal(disguised.json().code, 'document_type_mismatch');

  // A name stored before the rule is cleaned on the way out (list and download).
  const id = uploaded.json().id as string;
  await sql`UPDATE filing_documents SET file_name = ${'old\u202egpj.pdf'} WHERE id = ${id}`.execute(world.t.db);
  const filing = await world.inject('GET', `/api/v1/filings/${draft.id}`, world.provider);
  assert.equal(filing.json().documents[0].fileName, 'oldgpj.pdf');
  const download = await world.inject('GET', `/api/v1/documents/${id}`, world.provider);
  assert.equal(download.statusCode, 200);
  assert.match(
    String(download.headers['content-disposition']),
    /^attachment; filename="oldgpj\.pdf"; filename\*=UTF-8''oldgpj\.pdf$/,
  );
});
