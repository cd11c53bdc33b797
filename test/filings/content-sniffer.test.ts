import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkDeclaredType,
  contentDisposition,
  extensionOf,
  safeFileName,
  sniffDocument,
  zipEntryNames,
} from '../../src/modules/filings/content-sniffer.ts';
import {
  PLAIN_ZIP,
  SAMPLE_DOCX,
  SAMPLE_JPEG,
  SAMPLE_PDF,
  SAMPLE_PNG,
  SAMPLE_TEXT,
  SAMPLE_XLSX,
  zip,
} from './helpers.ts';

test('magic numbers identify PDF, PNG, JPEG, DOCX, XLSX and UTF-8 text', () => {
  assert.equal(sniffDocument(SAMPLE_PDF), 'pdf');
  assert.equal(sniffDocument(SAMPLE_PNG), 'png');
  assert.equal(sniffDocument(SAMPLE_JPEG), 'jpeg');
  assert.equal(sniffDocument(SAMPLE_DOCX), 'docx');
  assert.equal(sniffDocument(SAMPLE_XLSX), 'xlsx');
  assert.equal(sniffDocument(SAMPLE_TEXT), 'text');
  assert.equal(sniffDocument(Buffer.from('\ufeffBOM text')), 'text');
});

test('anything else is not a supported document', () => {
  assert.equal(sniffDocument(Buffer.alloc(0)), undefined);
  assert.equal(sniffDocument(PLAIN_ZIP), undefined, 'a ZIP without [Content_Types].xml');
  assert.equal(
    sniffDocument(zip({ '[Content_Types].xml': 'x', 'ppt/presentation.xml': 'x' })),
    undefined,
    'PowerPoint',
  );
  assert.equal(
    sniffDocument(zip({ '[Content_Types].xml': 'x', 'word/a.xml': 'x', 'xl/b.xml': 'x' })),
    undefined,
    'ambiguous',
  );
  assert.equal(sniffDocument(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])), undefined, 'truncated ZIP');
  assert.equal(sniffDocument(Buffer.from('MZ\u0000\u0000binary')), undefined, 'NUL bytes');
  assert.equal(sniffDocument(Buffer.from([0xc3, 0x28])), undefined, 'invalid UTF-8');
  assert.equal(sniffDocument(Buffer.from('%PD')), 'text', 'too short for PDF, but plain text');
  assert.equal(sniffDocument(Buffer.from('GIF89a\u0001\u0000')), undefined);
});

test('ZIP entry names come from the central directory', () => {
  assert.deepEqual(zipEntryNames(SAMPLE_DOCX), ['[Content_Types].xml', 'word/document.xml']);
  assert.equal(zipEntryNames(Buffer.from('PK\u0003\u0004')), undefined);
});

test('declared type and extension must fit the content; generic types are ignored', () => {
  assert.deepEqual(checkDeclaredType('pdf', 'application/pdf', 'a.pdf'), { ok: true });
  assert.deepEqual(checkDeclaredType('pdf', 'application/octet-stream', 'a.PDF'), { ok: true });
  assert.deepEqual(checkDeclaredType('text', 'text/plain; charset=utf-8', 'README'), { ok: true });
  assert.deepEqual(checkDeclaredType('docx', 'application/zip', 'a.docx'), { ok: true });
  assert.equal(checkDeclaredType('pdf', 'image/png', 'a.pdf').ok, false);
  const wrongExtension = checkDeclaredType('png', 'image/png', 'a.pdf');
  assert.equal(wrongExtension.ok, false);
  assert.equal(!wrongExtension.ok && wrongExtension.field, 'fileName');
  assert.equal(checkDeclaredType('pdf', '', 'a').ok, false, 'a PDF needs the .pdf extension');
  assert.equal(extensionOf('a.tar.GZ'), '.gz');
  assert.equal(extensionOf('.hidden'), '');
});

test('file names are made safe and Content-Disposition follows RFC 6266/8187', () => {
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\x\\报告.pdf'), '报告.pdf');
  assert.equal(safeFileName('a\u0000b\r\n"c".txt'), 'abc.txt');
  assert.equal(safeFileName('..'), 'document');
  // Bidirectional controls, C1 controls and line separators go too (issue #17): the name a
  // reviewer sees is the name that is stored, and its extension is the one checked.
  assert.equal(safeFileName('report\u202egpj.pdf'), 'reportgpj.pdf');
  assert.equal(safeFileName('\u2066a\u2069\u200fb\u0085c\u2028.txt'), 'abc.txt');
  assert.equal(safeFileName('\u202e'), 'document');
  const emoji = safeFileName(`${'😀'.repeat(250)}.txt`);
  assert.equal(Array.from(emoji).length, 200, 'cut by code points');
  assert.ok(emoji.endsWith('😀.txt'), 'no surrogate pair split');
  const long = safeFileName(`${'x'.repeat(300)}.pdf`);
  assert.equal(long.length, 200);
  assert.ok(long.endsWith('.pdf'));
  assert.equal(
    contentDisposition('报告 (1).pdf'),
    `attachment; filename="__ (1).pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%281%29.pdf`,
  );
});
