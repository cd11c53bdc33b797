/**
 * Child-process entry of the document-storage bench: the real server (`startServer`) on
 * PGlite in a fresh temporary directory, its document store from BENCH_DOCUMENT_STORE
 * (`files` or `database`), reporting its URL and, when asked, its resident set size after a
 * full garbage collection and the size of PGlite's WebAssembly memory, over IPC.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aigov-bench-documents-'));
const config = loadConfig(
  {
    HOST: '127.0.0.1',
    PORT: '0',
    AIGOV_DATA_DIR: dataDir,
    AIGOV_WEB_BUILD: 'never',
    LOG_LEVEL: 'warn',
    AIGOV_ADMIN_EMAIL: process.env.BENCH_ADMIN_EMAIL,
    AIGOV_ADMIN_PASSWORD: process.env.BENCH_ADMIN_PASSWORD,
    AIGOV_DOCUMENT_STORE: process.env.BENCH_DOCUMENT_STORE,
    AIGOV_MAX_DOCUMENT_BYTES_PER_FILING: String(2 ** 40),
    AIGOV_MAX_DOCUMENT_BYTES_PER_ORG: String(2 ** 40),
  },
  process.cwd(),
);
const server = await startServer(config);

const stop = () => {
  server
    .close()
    .then(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
process.on('message', (message) => {
  if (message !== 'rss') return;
  gc();
  // PGlite's WebAssembly memory (private API, for measurement only): it can grow, never shrink.
  const wasm = (server.database.pglite as unknown as { mod?: { HEAPU8?: Uint8Array } } | undefined)?.mod?.HEAPU8;
  process.send!({ rss: process.memoryUsage().rss, wasm: wasm?.byteLength ?? Number.NaN });
});
process.send!({ url: server.url });
