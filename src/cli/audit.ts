import { openDatabase } from '../db/connection.ts';
import { verifyDocumentContents, type DocumentVerification } from '../modules/filings/index.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import type { Command } from './commands.ts';

/**
 * `aigov audit verify`: recomputes the audit hash chain (exit 1 naming the first broken row),
 * then checks every stored document's bytes against the SHA-256 recorded at upload (exit 1
 * naming each missing or corrupt one).
 */
export const auditCommand: Command = {
  summary: 'audit verify — recompute the audit trail hash chain and check every document against its SHA-256',
  async run({ config, args, out, err }) {
    if (args[0] !== 'verify') {
      err.write('usage: aigov audit verify\n');
      return 2;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const result = await verifyAuditChain(database.db);
      let ok = result.ok;
      if (result.ok) {
        out.write(`audit chain OK: ${result.checked} events verified\n`);
      } else {
        const broken = result.firstBroken!;
        err.write(
          `audit chain BROKEN at seq ${broken.seq}${broken.id === null ? '' : ` (event ${broken.id})`}: ${broken.problem.replace(/_/g, ' ')}; ${result.checked} events before it verified\n`,
        );
      }
      ok = reportDocuments(await verifyDocumentContents(database.db, config), out, err) && ok;
      return ok ? 0 : 1;
    } finally {
      await database.close();
    }
  },
};

function reportDocuments(
  result: DocumentVerification,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): boolean {
  if (result.missing.length === 0 && result.corrupt.length === 0) {
    out.write(`documents OK: ${result.checked} documents match their SHA-256\n`);
    return true;
  }
  for (const document of result.missing) {
    err.write(`document ${document.id} MISSING: no stored bytes for sha256 ${document.sha256}\n`);
  }
  for (const document of result.corrupt) {
    err.write(
      `document ${document.id} CORRUPT: recorded sha256 ${document.sha256}, stored bytes hash to ${document.actual}\n`,
    );
  }
  err.write(
    `documents BROKEN: ${result.missing.length} missing, ${result.corrupt.length} corrupt of ${result.checked} checked\n`,
  );
  return false;
}
