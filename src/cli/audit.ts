import { openDatabase } from '../db/connection.ts';
import { chainPendingAuditEvents, verifyAuditChain } from '../platform/audit.ts';
import type { Command } from './commands.ts';

const USAGE = 'usage: aigov audit verify [--no-chain]\n';

/**
 * `aigov audit verify`: first chains the audit rows still pending (what a running server's
 * sequencer does; safe beside running servers, one sequencer at a time), then recomputes the
 * whole hash chain; exit 1 naming the first broken row. `--no-chain` only reads (a replica, a
 * copy under inspection) and reports how many rows are pending.
 */
export const auditCommand: Command = {
  summary:
    'audit verify [--no-chain] — chain pending audit events, recompute the hash chain, report any edited or deleted row',
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
      if (result.ok) {
        out.write(`audit chain OK: ${result.checked} events verified${pending}\n`);
        return 0;
      }
      const broken = result.firstBroken!;
      err.write(
        `audit chain BROKEN at seq ${broken.seq}${broken.id === null ? '' : ` (event ${broken.id})`}: ${broken.problem.replace(/_/g, ' ')}; ${result.checked} events before it verified${pending}\n`,
      );
      return 1;
    } finally {
      await database.close();
    }
  },
};
