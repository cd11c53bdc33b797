/**
 * Identifies an uploaded document by its bytes (magic numbers), never by what the client
 * claims. Pure: no I/O. Supports exactly the formats the API contract names: PDF, PNG, JPEG,
 * DOCX, XLSX and plain UTF-8 text.
 */
import { stripUnsafeCharacters } from '../../platform/validation.ts';

export const DOCUMENT_FORMATS = ['pdf', 'png', 'jpeg', 'docx', 'xlsx', 'text'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export interface FormatInfo {
  /** The Content-Type the document is stored and served with. */
  readonly contentType: string;
  /** Declared media types a client may send for it (besides generic ones). */
  readonly mediaTypes: readonly string[];
  /** File-name extensions that fit it (lower case, with the dot). */
  readonly extensions: readonly string[];
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZIP_TYPES = ['application/zip', 'application/x-zip-compressed'];

export const FORMATS: Readonly<Record<DocumentFormat, FormatInfo>> = {
  pdf: { contentType: 'application/pdf', mediaTypes: ['application/pdf', 'application/x-pdf'], extensions: ['.pdf'] },
  png: { contentType: 'image/png', mediaTypes: ['image/png'], extensions: ['.png'] },
  jpeg: {
    contentType: 'image/jpeg',
    mediaTypes: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
    extensions: ['.jpg', '.jpeg'],
  },
  docx: { contentType: DOCX, mediaTypes: [DOCX, ...ZIP_TYPES], extensions: ['.docx'] },
  xlsx: { contentType: XLSX, mediaTypes: [XLSX, ...ZIP_TYPES], extensions: ['.xlsx'] },
  text: {
    contentType: 'text/plain; charset=utf-8',
    mediaTypes: ['text/plain', 'text/markdown', 'text/csv'],
    extensions: ['.txt', '.text', '.md', '.csv', ''],
  },
};

/** Media types that say nothing about the content: they never conflict with the sniffed format. */
const GENERIC_MEDIA_TYPES = ['', 'application/octet-stream', 'binary/octet-stream'];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((value, i) => bytes[i] === value);
}

/** The format of `bytes`, or undefined for anything else (or an empty file). */
export function sniffDocument(bytes: Uint8Array): DocumentFormat | undefined {
  if (bytes.length === 0) return undefined;
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffOfficeZip(bytes);
  return isPlainUtf8Text(bytes) ? 'text' : undefined;
}

/** UTF-8 without NUL bytes (binary formats almost always contain NULs or invalid sequences). */
function isPlainUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * An Office Open XML package (ECMA-376 Part 2) is a ZIP with `[Content_Types].xml` and, for
 * a Word document, parts under `word/`; for a workbook, under `xl/`. Names are read from
 * the ZIP central directory (APPNOTE 4.3.12), which lists every entry reliably.
 */
function sniffOfficeZip(bytes: Uint8Array): DocumentFormat | undefined {
  const names = zipEntryNames(bytes);
  if (names === undefined || !names.includes('[Content_Types].xml')) return undefined;
  const hasWord = names.some((name) => name.startsWith('word/'));
  const hasExcel = names.some((name) => name.startsWith('xl/'));
  if (hasWord && !hasExcel) return 'docx';
  if (hasExcel && !hasWord) return 'xlsx';
  return undefined;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;

/** Entry names from the central directory, or undefined when the ZIP is malformed. */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65535.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let offset = bytes.length - 22; offset >= earliest; offset -= 1) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) {
      eocd = offset;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder('utf-8');
  const names: string[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < entries; i += 1) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) return undefined;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (offset + 46 + nameLength > bytes.length) return undefined;
    names.push(decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export type DeclaredTypeCheck =
  { ok: true } | { ok: false; field: 'contentType' | 'fileName'; expected: readonly string[] };

/** Lower-case extension with its dot (`.pdf`), or `''` when the name has none. */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/**
 * Does what the client declared (media type and file-name extension) fit the sniffed format?
 * Generic media types (`application/octet-stream`) are ignored; an extension must fit.
 */
export function checkDeclaredType(
  format: DocumentFormat,
  declaredMediaType: string,
  fileName: string,
): DeclaredTypeCheck {
  const info = FORMATS[format];
  const mediaType = (declaredMediaType.split(';')[0] ?? '').trim().toLowerCase();
  if (!GENERIC_MEDIA_TYPES.includes(mediaType) && !info.mediaTypes.includes(mediaType)) {
    return { ok: false, field: 'contentType', expected: info.mediaTypes };
  }
  if (!info.extensions.includes(extensionOf(fileName))) {
    return { ok: false, field: 'fileName', expected: info.extensions.filter((ext) => ext !== '') };
  }
  return { ok: true };
}

/**
 * A file name safe to store, show and put in Content-Disposition: no directories, none of
 * the unsafe characters every stored name avoids (controls, bidirectional controls, line
 * separators: `stripUnsafeCharacters`, platform/validation.ts), no quotes, at most 200
 * characters with the extension kept. Cleaned rather than refused: the name comes from the
 * provider's file system and only informs (the bytes decide the type), so a refusal would
 * only make them rename a file. The extension checked against the content is the cleaned
 * one, so `report\u202Egpj.pdf` is checked, stored and shown as `reportgpj.pdf`.
 */
export function safeFileName(raw: string): string {
  const base = raw.replace(/\\/g, '/').split('/').pop() ?? '';
  const cleaned = stripUnsafeCharacters(base).replace(/"/g, '').trim();
  if (cleaned === '' || cleaned === '.' || cleaned === '..') return 'document';
  // Counted in code points, so a cut never splits a surrogate pair.
  const characters = Array.from(cleaned);
  if (characters.length <= 200) return cleaned;
  const ext = extensionOf(cleaned);
  return characters.slice(0, 200 - ext.length).join('') + ext;
}

/** RFC 6266 / RFC 8187 Content-Disposition for a download, with an ASCII fallback name. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
