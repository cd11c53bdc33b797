#!/usr/bin/env node
// Builds the web UI into dist/web (the server itself runs from TypeScript through tsx).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const configFile = path.join(root, 'web', 'vite.config.ts');
if (!fs.existsSync(configFile)) {
  console.log('build: no web app yet (web/vite.config.ts missing), nothing to build');
  process.exit(0);
}
const { build } = await import('vite');
await build({ configFile });
