import { openDatabase } from '../db/connection.ts';
import { verifyAuditChain } from '../platform/audit.ts';
import type { Command } from './commands.ts';

/** `aigov audit verify`: recomputes the audit hash chain; exit 1 naming the first broken row. */
export const auditCommand: Command = {
  summary: 'audit verify — recompute the audit trail hash chain and report any edited or deleted row',
  async run({ config, args, out, err }) {
    if (args[0] !== 'verify') {
      err.write('usage: aigov audit verify\n');
      return 2;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const result = await verifyAuditChain(database.db);
      if (result.ok) {
        out.write(`audit chain OK: ${result.checked} events verified\n`);
        return 0;
      }
      const broken = result.firstBroken!;
      err.write(
        `audit chain BROKEN at seq ${broken.seq}${broken.id === null ? '' : ` (event ${broken.id})`}: ${broken.problem.replace(/_/g, ' ')}; ${result.checked} events before it verified\n`,
      );
      return 1;
    } finally {
      await database.close();
    }
  },
};
