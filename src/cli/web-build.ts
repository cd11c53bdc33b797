import fs from 'node:fs';
import path from 'node:path';
import { WEB_DIST_DIR } from '../platform/web.ts';

const WEB_ROOT = path.resolve(import.meta.dirname, '../../web');

/** First start on a fresh clone: build the web UI once (≈ seconds), later starts skip it. */
export async function ensureWebBuild(out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<void> {
  if (fs.existsSync(path.join(WEB_DIST_DIR, 'index.html'))) return;
  const configFile = path.join(WEB_ROOT, 'vite.config.ts');
  if (!fs.existsSync(configFile)) return;
  out.write('aigov: building the web UI (first start only)…\n');
  try {
    const { build } = await import('vite');
    await build({ configFile, logLevel: 'warn' });
  } catch (error) {
    // The API still works without the UI; say so instead of refusing to start.
    err.write(
      `aigov: web UI build failed, serving the API only: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
}
