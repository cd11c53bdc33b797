import { openDatabase } from '../db/connection.ts';
import { verifyDocumentContents, type DocumentVerification } from '../modules/filings/index.ts';
import { chainPendingAuditEvents, verifyAuditChain } from '../platform/audit.ts';
import type { Command } from './command.ts';

const USAGE = 'usage: aigov audit verify [--no-chain]\n';

/**
 * `aigov audit verify`: first chains the audit rows still pending (what a running server's
 * sequencer does; safe beside running servers, one sequencer at a time), then recomputes the
 * whole hash chain (exit 1 naming the first broken row), then checks every stored document's
 * bytes against the SHA-256 recorded at upload (exit 1 naming each missing or corrupt one).
 * `--no-chain` only reads (a replica, a copy under inspection) and reports how many rows are
 * pending.
 */
export const auditCommand: Command = {
  summary:
    'audit verify [--no-chain] — chain pending audit events, recompute the hash chain, check every document against its SHA-256',
  async run({ config, args, out, err }) {
    const [verb, ...flags] = args;
    if (verb !== 'verify' || flags.some((flag) => flag !== '--no-chain')) {
      err.write(USAGE);
      return 2;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      if (!flags.includes('--no-chain')) {
        const chained = await chainPendingAuditEvents(database.db);
        if (chained > 0) out.write(`chained ${chained} pending audit events\n`);
      }
      const result = await verifyAuditChain(database.db);
      const pending = result.pending > 0 ? `; ${result.pending} events pending, not chained yet` : '';
      let ok = result.ok;
      if (result.ok) {
        out.write(`audit chain OK: ${result.checked} events verified${pending}\n`);
      } else {
        const broken = result.firstBroken!;
        err.write(
          `audit chain BROKEN at seq ${broken.seq}${broken.id === null ? '' : ` (event ${broken.id})`}: ${broken.problem.replace(/_/g, ' ')}; ${result.checked} events before it verified${pending}\n`,
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
