/**
 * Identifies an uploaded document by its bytes (magic numbers), never by what the client
 * claims. No I/O (the one asynchronous check, `checkInflatedSizes`, runs zlib). Supports
 * exactly the formats the API contract names: PDF, PNG, JPEG, DOCX, XLSX and plain UTF-8 text.
 */
import zlib from 'node:zlib';
import type { LocalizedText } from '../../platform/errors.ts';
import { hasUnsafeCharacters, stripUnsafeCharacters } from '../../platform/validation.ts';

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
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/** One entry of a ZIP central directory (APPNOTE 4.3.12), ZIP64 sizes resolved (4.5.3). */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated; anything else is outside OOXML (ECMA-376-2 Annex C). */
  readonly method: number;
  readonly compressedSize: number;
  /** As declared by the archive. */
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

export interface ZipDirectory {
  readonly entries: readonly ZipEntry[];
  /** Where the central directory starts: every entry's data must end before it. */
  readonly directoryOffset: number;
}

const uint64 = (view: DataView, offset: number): number => Number(view.getBigUint64(offset, true));

/** The central directory of a ZIP, or undefined when it is malformed. */
export function readZipDirectory(bytes: Uint8Array): ZipDirectory | undefined {
  if (bytes.length < 22) return undefined;
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
  let count = view.getUint16(eocd + 10, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if ((count === U16_MAX || directoryOffset === U32_MAX) && eocd >= 20) {
    // ZIP64 end of central directory, found through its locator just before the EOCD (4.3.15).
    if (view.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
      const record = uint64(view, eocd - 12);
      if (record + 56 > bytes.length || view.getUint32(record, true) !== ZIP64_EOCD_SIGNATURE) return undefined;
      count = uint64(view, record + 32);
      directoryOffset = uint64(view, record + 48);
    }
  }
  const decoder = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < count; i += 1) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) return undefined;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const extraStart = offset + 46 + nameLength;
    if (extraStart + extraLength > bytes.length) return undefined;
    let compressedSize = view.getUint32(offset + 20, true);
    let uncompressedSize = view.getUint32(offset + 24, true);
    let localHeaderOffset = view.getUint32(offset + 42, true);
    if (compressedSize === U32_MAX || uncompressedSize === U32_MAX || localHeaderOffset === U32_MAX) {
      // The ZIP64 extra field holds, in this order, only the values whose 32-bit field is full.
      let field = extraStart;
      while (field + 4 <= extraStart + extraLength) {
        const id = view.getUint16(field, true);
        const size = view.getUint16(field + 2, true);
        if (id === ZIP64_EXTRA_ID) {
          let value = field + 4;
          const end = Math.min(value + size, extraStart + extraLength);
          const next = (): number | undefined => {
            if (value + 8 > end) return undefined;
            value += 8;
            return uint64(view, value - 8);
          };
          if (uncompressedSize === U32_MAX) uncompressedSize = next() ?? U32_MAX;
          if (compressedSize === U32_MAX) compressedSize = next() ?? U32_MAX;
          if (localHeaderOffset === U32_MAX) localHeaderOffset = next() ?? U32_MAX;
          break;
        }
        field += 4 + size;
      }
    }
    entries.push({
      name: decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      method: view.getUint16(offset + 10, true),
      compressedSize,
      uncompressedSize,
      localHeaderOffset,
    });
    offset = extraStart + extraLength + commentLength;
  }
  return { entries, directoryOffset };
}

/** Entry names from the central directory, or undefined when the ZIP is malformed. */
export function zipEntryNames(bytes: Uint8Array): string[] | undefined {
  return readZipDirectory(bytes)?.entries.map((entry) => entry.name);
}

/**
 * Bounds on an uploaded Office package. aigov itself never unpacks one, but the reviewer's
 * office suite, a virus scanner or an indexer will: a "zip bomb" — a few hundred KB that
 * expand to gigabytes — must not reach them. Real documents stay far inside these: Word
 * and Excel files compress their XML 3–15×, have tens to a few thousand parts, and part
 * names a few levels deep.
 */
export const OFFICE_ARCHIVE_LIMITS = {
  /** Declared uncompressed total, whatever the archive's size. */
  maxUncompressedBytes: 512 * 1024 * 1024,
  /** Declared uncompressed total ÷ archive size, once the total passes `ratioFloorBytes`. */
  maxCompressionRatio: 100,
  ratioFloorBytes: 16 * 1024 * 1024,
  maxEntries: 10_000,
  /** Path segments in a part name (`word/media/image1.png` has 3). */
  maxPathDepth: 16,
} as const;

export type ArchiveProblem =
  | 'uncompressed_size'
  | 'compression_ratio'
  | 'too_many_entries'
  | 'path_depth'
  | 'unsafe_entry_name'
  | 'unsupported_compression'
  | 'inconsistent_entries';

export type ArchiveCheck = { ok: true } | { ok: false; problem: ArchiveProblem; message: LocalizedText };

/**
 * Checks a DOCX/XLSX container against OFFICE_ARCHIVE_LIMITS from its central directory,
 * without unpacking it. Besides the declared sizes, it checks that the declared compressed
 * sizes are true — each entry's data lies inside the file, after its own local header and
 * before the next entry — so entries cannot overlap (the "overlapping files" bomb reuses one
 * compressed run for thousands of entries) and the ratio compares real compressed bytes.
 * Only stored (0) and deflated (8) entries exist in OOXML (ECMA-376 Part 2, Annex C).
 */
export function checkOfficeArchive(bytes: Uint8Array, limits = OFFICE_ARCHIVE_LIMITS): ArchiveCheck {
  const directory = readZipDirectory(bytes);
  if (directory === undefined) {
    return refuse('inconsistent_entries', { zh: 'ZIP 目录无法读取', en: 'the ZIP directory cannot be read' });
  }
  const { entries } = directory;
  if (entries.length > limits.maxEntries) {
    return refuse('too_many_entries', {
      zh: `包含 ${entries.length} 个条目（最多 ${limits.maxEntries} 个）`,
      en: `${entries.length} entries (at most ${limits.maxEntries})`,
    });
  }
  let uncompressed = 0;
  for (const entry of entries) {
    const segments = entry.name.split('/');
    if (
      entry.name.startsWith('/') ||
      entry.name.includes('\\') ||
      segments.some((segment) => segment === '..' || segment === '.') ||
      /^[a-zA-Z]:/.test(entry.name) ||
      hasUnsafeCharacters(entry.name)
    ) {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse('unsafe_entry_name', {
        zh: `条目名 ${name} 不是合法的部件名`,
        en: `entry name ${name} is not a package part name`,
      });
    }
    if (segments.length > limits.maxPathDepth) {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse('path_depth', {
        zh: `条目 ${name} 的路径有 ${segments.length} 层（最多 ${limits.maxPathDepth} 层）`,
        en: `entry ${name} is ${segments.length} levels deep (at most ${limits.maxPathDepth})`,
      });
    }
    if (entry.method !== 0 && entry.method !== 8) {
      return refuse('unsupported_compression', {
        zh: `压缩方法 ${entry.method}（OOXML 只用 0 或 8）`,
        en: `compression method ${entry.method} (OOXML uses 0 or 8)`,
      });
    }
    if (entry.method === 0 && entry.compressedSize !== entry.uncompressedSize) {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse('inconsistent_entries', {
        zh: `未压缩条目 ${name} 声明了两个不同的大小`,
        en: `stored entry ${name} declares two sizes`,
      });
    }
    uncompressed += entry.uncompressedSize;
  }
  // Each entry's data: after its local header, before the next local header or the directory.
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < byOffset.length; i += 1) {
    const entry = byOffset[i]!;
    const local = entry.localHeaderOffset;
    if (local + 30 > directory.directoryOffset || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse('inconsistent_entries', {
        zh: `条目 ${name} 缺少本地文件头`,
        en: `entry ${name} has no local header`,
      });
    }
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const limit = byOffset[i + 1]?.localHeaderOffset ?? directory.directoryOffset;
    if (dataStart + entry.compressedSize > limit) {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse('inconsistent_entries', {
        zh: `条目 ${name} 的数据与下一个条目重叠或超出文件`,
        en: `entry ${name} overlaps the next one or lies outside the file`,
      });
    }
  }
  if (uncompressed > limits.maxUncompressedBytes) {
    return refuse('uncompressed_size', {
      zh: `解压后共 ${megabytes(uncompressed)} MB（最多 ${megabytes(limits.maxUncompressedBytes)} MB）`,
      en: `the parts expand to ${megabytes(uncompressed)} MB (at most ${megabytes(limits.maxUncompressedBytes)} MB)`,
    });
  }
  if (uncompressed > limits.ratioFloorBytes && uncompressed > limits.maxCompressionRatio * bytes.length) {
    return refuse('compression_ratio', {
      zh: `${megabytes(bytes.length)} MB 解压后为 ${megabytes(uncompressed)} MB（超过 ${limits.maxCompressionRatio} 倍）`,
      en: `${megabytes(bytes.length)} MB expand to ${megabytes(uncompressed)} MB (more than ${limits.maxCompressionRatio}×)`,
    });
  }
  return { ok: true };
}

/**
 * The second half of the zip-bomb check, for a package `checkOfficeArchive` accepted: each
 * deflated entry is inflated — streamed on zlib's thread pool, the output counted and dropped,
 * never held — and refused as soon as it yields more than it declared. Declared sizes are the
 * archive's word; an entry that says 1 KB and expands to gigabytes is the bomb that sails past
 * a check of declared sizes alone. The work is bounded by the declared total (at most
 * `maxUncompressedBytes`) and typically takes tens of milliseconds.
 */
export async function checkInflatedSizes(bytes: Uint8Array): Promise<ArchiveCheck> {
  const directory = readZipDirectory(bytes);
  if (directory === undefined) {
    return refuse('inconsistent_entries', { zh: 'ZIP 目录无法读取', en: 'the ZIP directory cannot be read' });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of directory.entries) {
    if (entry.method !== 8) continue;
    const local = entry.localHeaderOffset;
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const inflated = await inflatedSize(
      bytes.subarray(dataStart, dataStart + entry.compressedSize),
      entry.uncompressedSize,
    );
    if (inflated !== 'within') {
      const name = JSON.stringify(entry.name.slice(0, 100));
      return refuse(
        'inconsistent_entries',
        inflated === 'over'
          ? {
              zh: `条目 ${name} 解压后超过其声明的 ${entry.uncompressedSize} 字节`,
              en: `entry ${name} expands beyond the ${entry.uncompressedSize} bytes it declares`,
            }
          : { zh: `条目 ${name} 的压缩数据已损坏`, en: `entry ${name} holds corrupt compressed data` },
      );
    }
  }
  return { ok: true };
}

/** Inflates raw deflate data, counting the output; stops as soon as it passes `limit`. */
function inflatedSize(data: Uint8Array, limit: number): Promise<'within' | 'over' | 'corrupt'> {
  return new Promise((resolve) => {
    const inflate = zlib.createInflateRaw();
    let total = 0;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        inflate.destroy();
        resolve('over');
      }
    });
    inflate.on('end', () => resolve('within'));
    inflate.on('error', () => resolve('corrupt'));
    inflate.end(data);
  });
}

function refuse(problem: ArchiveProblem, message: LocalizedText): ArchiveCheck {
  return { ok: false, problem, message };
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
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
