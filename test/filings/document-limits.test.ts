/**
 * Issue #17 item 5: documents per filing (count and bytes) and per organisation (bytes) are
 * bounded by configuration, and an Office package that would expand far beyond its size — a
 * zip bomb named `.docx` — is refused before it is stored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  checkInflatedSizes,
  checkOfficeArchive,
  OFFICE_ARCHIVE_LIMITS,
  readZipDirectory,
} from '../../src/modules/filings/content-sniffer.ts';
import { createDraft, DOCX_TYPE, filingWorld, SAMPLE_DOCX, SAMPLE_PDF, upload } from './helpers.ts';

const MIB = 1024 * 1024;

interface ZipPart {
  name: string;
  /** The bytes as stored in the archive (deflated when method is 8). */
  stored: Buffer;
  method: 0 | 8;
  /** What the archive declares the part expands to. */
  uncompressedSize: number;
  crc: number;
  /** Point the central directory at another part's local header (overlapping entries). */
  localHeaderOf?: number;
}

/** A ZIP container written by hand (APPNOTE 4.3): local headers and data, central directory, end record. */
function zipContainer(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(part.method, 8);
    local.writeUInt32LE(part.crc, 14);
    local.writeUInt32LE(part.stored.length, 18);
    local.writeUInt32LE(part.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    offsets.push(offset);
    if (part.localHeaderOf === undefined) {
      locals.push(local, name, part.stored);
      offset += 30 + name.length + part.stored.length;
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc, 16);
    central.writeUInt32LE(part.stored.length, 20);
    central.writeUInt32LE(part.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(part.localHeaderOf === undefined ? offsets.at(-1)! : offsets[part.localHeaderOf]!, 42);
    centrals.push(central, name);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

function storedPart(name: string, text: string): ZipPart {
  const data = Buffer.from(text);
  return { name, stored: data, method: 0, uncompressedSize: data.length, crc: zlib.crc32(data) };
}

/** `size` zero bytes, deflated in 1 MiB steps (never the whole run in memory). */
async function deflatedZeros(name: string, size: number): Promise<ZipPart> {
  const chunk = Buffer.alloc(MIB);
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  deflate.on('data', (data: Buffer) => output.push(data));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  for (let written = 0; written < size; written += MIB) {
    const piece = chunk.subarray(0, Math.min(MIB, size - written));
    crc = zlib.crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { name, stored: Buffer.concat(output), method: 8, uncompressedSize: size, crc };
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** A Word package whose document part is `size` zero bytes, deflated: a zip bomb named .docx. */
async function docxBomb(size: number): Promise<Buffer> {
  return zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    await deflatedZeros('word/document.xml', size),
  ]);
}

test('zip bombs: the compression ratio, the declared total, entry count, depth and names of a DOCX/XLSX are bounded', async () => {
  assert.deepEqual(checkOfficeArchive(SAMPLE_DOCX), { ok: true });

  // 400 MiB of zeros deflate to ≈ 400 KB — the bomb: far past 100× its own size.
  const bomb = await docxBomb(400 * MIB);
  assert.ok(bomb.length < 500 * 1024, `${bomb.length} bytes`);
  const ratio = checkOfficeArchive(bomb);
  assert.equal(ratio.ok, false);
  assert.equal(!ratio.ok && ratio.problem, 'compression_ratio');

  // Past the absolute cap even at a modest ratio: the declared size alone decides.
  const huge = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    { ...(await deflatedZeros('word/document.xml', MIB)), uncompressedSize: 0xfffffffe },
  ]);
  const capped = checkOfficeArchive(huge);
  assert.equal(!capped.ok && capped.problem, 'uncompressed_size');

  // Under the floor, a high ratio is fine (a small, very regular document).
  assert.deepEqual(checkOfficeArchive(await docxBomb(8 * MIB)), { ok: true });

  const many = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    ...Array.from({ length: OFFICE_ARCHIVE_LIMITS.maxEntries }, (_, i) => storedPart(`word/p${i}.xml`, '')),
  ]);
  const tooMany = checkOfficeArchive(many);
  assert.equal(!tooMany.ok && tooMany.problem, 'too_many_entries');

  const deep = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    storedPart(`word/${'d/'.repeat(20)}x.xml`, '<x/>'),
  ]);
  const tooDeep = checkOfficeArchive(deep);
  assert.equal(!tooDeep.ok && tooDeep.problem, 'path_depth');

  for (const name of ['../../evil.xml', '/etc/passwd', 'word\\..\\x.xml', 'C:/x.xml', 'word/a\u202egpj.xml']) {
    const check = checkOfficeArchive(
      zipContainer([storedPart('[Content_Types].xml', CONTENT_TYPES), storedPart(name, 'x')]),
    );
    assert.equal(!check.ok && check.problem, 'unsafe_entry_name', name);
  }

  // Many central entries over one compressed run ("overlapping files") are caught even though
  // each declares a modest size.
  const run = await deflatedZeros('word/document.xml', 4 * MIB);
  const overlapping = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    run,
    ...Array.from({ length: 20 }, (_, i) => ({ ...run, name: `word/copy${i}.xml`, localHeaderOf: 1 })),
  ]);
  const overlap = checkOfficeArchive(overlapping);
  assert.equal(!overlap.ok && overlap.problem, 'inconsistent_entries');

  const bzip2 = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    { ...storedPart('word/document.xml', 'x'), method: 12 as 0 },
  ]);
  const method = checkOfficeArchive(bzip2);
  assert.equal(!method.ok && method.problem, 'unsupported_compression');
});

test('documents: a zip bomb named .docx is refused with 422 unsafe_document_archive and nothing is stored', async (t) => {
  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  const before = await world.snapshot();
  const bomb = await docxBomb(400 * MIB);
  const response = await upload(world, draft.id, { name: 'method.docx', contentType: DOCX_TYPE, data: bomb });
  assert.equal(response.statusCode, 422, response.body);
  const problem = response.json();
  assert.equal(problem.code, 'unsafe_document_archive');
  assert.equal(problem.archiveProblem, 'compression_ratio');
  assert.equal(problem.errors[0].pointer, '/file');
  assert.deepEqual(await world.snapshot(), before);
  // An ordinary Word file still goes through.
  const ok = await upload(world, draft.id, { name: 'method.docx', contentType: DOCX_TYPE, data: SAMPLE_DOCX });
  assert.equal(ok.statusCode, 201, ok.body);
});

/** Plain text of `size` bytes (each upload differs, so content-addressed storage stores each). */
function text(size: number, fill: string): { name: string; contentType: string; data: Buffer } {
  return { name: `${fill}.txt`, contentType: 'text/plain', data: Buffer.alloc(size, fill) };
}

test('documents: per-filing count and bytes and per-organisation bytes are limited by configuration', async (t) => {
  const world = await filingWorld(t, {
    env: {
      AIGOV_MAX_DOCUMENTS_PER_FILING: '3',
      AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: String(20 * MIB),
      AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: String(30 * MIB),
    },
  });
  const first = await createDraft(world, (await world.createProduct('high')).id, { kind: 'assessment', summary: 's' });
  const second = await createDraft(world, (await world.createProduct('high')).id, {
    kind: 'assessment',
    summary: 's',
  });

  // Bytes per filing: 12 MiB fit, another 12 MiB would make 24 > 20.
  assert.equal((await upload(world, first.id, text(12 * MIB, 'a'))).statusCode, 201);
  const before = await world.snapshot();
  const overFiling = await upload(world, first.id, text(12 * MIB, 'b'));
  assert.equal(overFiling.statusCode, 413, overFiling.body);
  assert.equal(overFiling.json().code, 'filing_document_quota_exceeded');
  assert.equal(overFiling.json().limitBytes, 20 * MIB);
  assert.equal(overFiling.json().usedBytes, 12 * MIB);
  assert.deepEqual(await world.snapshot(), before);

  // Count per filing: two more small ones make three; the fourth is refused.
  assert.equal(
    (await upload(world, first.id, { name: 'r.pdf', contentType: 'application/pdf', data: SAMPLE_PDF })).statusCode,
    201,
  );
  assert.equal((await upload(world, first.id, text(10, 'c'))).statusCode, 201);
  const overCount = await upload(world, first.id, text(10, 'd'));
  assert.equal(overCount.statusCode, 409, overCount.body);
  assert.equal(overCount.json().code, 'too_many_documents');

  // Bytes per organisation, across filings: ≈ 12 MiB in the first and 12 MiB in the second
  // leave no room for 7 MiB more under 30 MiB.
  assert.equal((await upload(world, second.id, text(12 * MIB, 'e'))).statusCode, 201);
  const overOrganization = await upload(world, second.id, text(7 * MIB, 'f'));
  assert.equal(overOrganization.statusCode, 413, overOrganization.body);
  assert.equal(overOrganization.json().code, 'organization_document_quota_exceeded');
  assert.equal(overOrganization.json().limitBytes, 30 * MIB);
  const filing = await world.inject('GET', `/api/v1/filings/${second.id}`, world.provider);
  assert.equal(filing.json().documents.length, 1);
});

test('ZIP64: sizes and offsets in the ZIP64 extra field are read (writers that always use it stay accepted)', () => {
  const data = Buffer.from('<w:document/>');
  const part = storedPart('word/document.xml', '<w:document/>');
  const plain = zipContainer([storedPart('[Content_Types].xml', CONTENT_TYPES), part]);
  // Rewrite the second central entry: 0xFFFFFFFF sizes, the real ones in a ZIP64 extra field.
  const directoryOffset = plain.readUInt32LE(plain.length - 22 + 16);
  const firstNameLength = plain.readUInt16LE(directoryOffset + 28);
  const second = directoryOffset + 46 + firstNameLength;
  const head = Buffer.from(plain.subarray(0, second + 46 + part.name.length));
  head.writeUInt32LE(0xffffffff, second + 20);
  head.writeUInt32LE(0xffffffff, second + 24);
  head.writeUInt16LE(20, second + 30);
  const extra = Buffer.alloc(20);
  extra.writeUInt16LE(0x0001, 0);
  extra.writeUInt16LE(16, 2);
  extra.writeBigUInt64LE(BigInt(data.length), 4); // uncompressed first (APPNOTE 4.5.3)
  extra.writeBigUInt64LE(BigInt(data.length), 12);
  const end = Buffer.from(plain.subarray(plain.length - 22));
  end.writeUInt32LE(end.readUInt32LE(12) + 20, 12);
  const zip64 = Buffer.concat([head, extra, end]);
  const directory = readZipDirectory(zip64);
  assert.deepEqual(
    directory?.entries.map((entry) => [entry.name, entry.compressedSize, entry.uncompressedSize]),
    [
      ['[Content_Types].xml', CONTENT_TYPES.length, CONTENT_TYPES.length],
      ['word/document.xml', data.length, data.length],
    ],
  );
  assert.deepEqual(checkOfficeArchive(zip64), { ok: true });
  // The same entry claiming 5 GiB through ZIP64 is past the cap.
  extra.writeBigUInt64LE(5n * 1024n ** 3n, 4);
  const claimed = checkOfficeArchive(Buffer.concat([head, extra, end]));
  assert.equal(!claimed.ok && claimed.problem, 'inconsistent_entries', 'a stored entry with two sizes');
});

test('documents: concurrent uploads to two filings cannot overshoot the organisation quota', async (t) => {
  const world = await filingWorld(t, {
    env: { AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: String(20 * MIB), AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: String(20 * MIB) },
  });
  const drafts = [];
  for (let i = 0; i < 2; i += 1) {
    const product = await world.createProduct('high');
    drafts.push(await createDraft(world, product.id, { kind: 'assessment', summary: 's' }));
  }
  // Each fits its own filing; together they pass the organisation's 20 MiB.
  const responses = await Promise.all(
    drafts.map((draft, i) => upload(world, draft.id, text(12 * MIB, i === 0 ? 'm' : 'n'))),
  );
  assert.deepEqual(responses.map((response) => response.statusCode).sort(), [201, 413]);
  const refused = responses.find((response) => response.statusCode === 413)!;
  assert.equal(refused.json().code, 'organization_document_quota_exceeded');
  const total = await world.t.db
    .selectFrom('filing_documents')
    .select((eb) => eb.fn.sum<string>('size').as('bytes'))
    .where('organization_id', '=', world.organizationId)
    .executeTakeFirstOrThrow();
  assert.equal(Number(total.bytes), 12 * MIB);
});

test('zip bombs that lie: an entry that expands beyond its declared size is refused once inflated', async (t) => {
  // 40 MiB of zeros declared as 1 000 bytes: every declared figure looks harmless.
  const lying = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    { ...(await deflatedZeros('word/document.xml', 40 * MIB)), uncompressedSize: 1000 },
  ]);
  assert.deepEqual(checkOfficeArchive(lying), { ok: true }, 'declared sizes alone let it through');
  const inflated = await checkInflatedSizes(lying);
  assert.equal(!inflated.ok && inflated.problem, 'inconsistent_entries');
  assert.match(!inflated.ok ? inflated.message.en : '', /expands beyond the 1000 bytes it declares/);

  // Honest deflated parts pass; corrupt deflate data does not.
  const xml = Buffer.from(`<w:document>${'<w:p>段落 paragraph</w:p>'.repeat(5000)}</w:document>`);
  const honest = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    {
      name: 'word/document.xml',
      stored: zlib.deflateRawSync(xml),
      method: 8,
      uncompressedSize: xml.length,
      crc: zlib.crc32(xml),
    },
  ]);
  assert.deepEqual(await checkInflatedSizes(honest), { ok: true });
  const corrupt = zipContainer([
    storedPart('[Content_Types].xml', CONTENT_TYPES),
    {
      name: 'word/document.xml',
      stored: Buffer.from([0xff, 0xff, 0xff, 0xff]),
      method: 8,
      uncompressedSize: 10,
      crc: 0,
    },
  ]);
  assert.equal((await checkInflatedSizes(corrupt)).ok, false);

  const world = await filingWorld(t);
  const product = await world.createProduct('high');
  const draft = await createDraft(world, product.id, { kind: 'assessment', summary: 's' });
  const before = await world.snapshot();
  const response = await upload(world, draft.id, { name: 'method.docx', contentType: DOCX_TYPE, data: lying });
  assert.equal(response.statusCode, 422, response.body);
  assert.equal(response.json().code, 'unsafe_document_archive');
  assert.equal(response.json().archiveProblem, 'inconsistent_entries');
  assert.deepEqual(await world.snapshot(), before);
  const ok = await upload(world, draft.id, { name: 'method.docx', contentType: DOCX_TYPE, data: honest });
  assert.equal(ok.statusCode, 201, ok.body);
});
