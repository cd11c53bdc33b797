import { openDatabase } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { ensureWebBuild } from './web-build.ts';
import { startServer } from '../server.ts';
import { auditCommand } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { demoCommand } from './demo/command.ts';
import { verifyLogCommand } from './verify-log.ts';
import type { Command } from './command.ts';

export type { Command, CommandContext } from './command.ts';

export const commands: Record<string, Command> = {
  audit: auditCommand,
  backup: backupCommand,
  demo: demoCommand,
  restore: restoreCommand,
  'verify-log': verifyLogCommand,
  serve: {
    summary: 'start the platform (migrates first; builds the web UI if missing)',
    async run({ config, out, err }) {
      const started = Date.now();
      if (config.webBuild === 'auto') await ensureWebBuild(out, err);
      const server = await startServer(config);
      const shown = server.url.replace('://127.0.0.1', '://localhost');
      if (config.clockStart !== undefined) {
        err.write(
          `aigov: WARNING — rehearsal clock on (AIGOV_CLOCK_START=${config.clockStart.toISOString()}): deadlines and statuses follow it, not the real date\n`,
        );
      }
      out.write(
        `aigov is ready at ${shown} (API docs: ${shown}/docs) — started in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        out.write(`aigov: ${signal} received, shutting down\n`);
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            err.write(`aigov: shutdown failed: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
      return 0;
    },
  },
  migrate: {
    summary: 'apply database migrations and exit',
    async run({ config, out }) {
      const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const { applied } = await migrateToLatest(database.db);
        out.write(applied.length === 0 ? 'aigov: database is up to date\n' : `aigov: applied ${applied.join(', ')}\n`);
        return 0;
      } finally {
        await database.close();
      }
    },
  },
};
