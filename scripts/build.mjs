#!/usr/bin/env node
// Builds the server bundle (dist/server) and the web UI (dist/web).
import fs from 'node:fs';
import path from 'node:path';
import { buildServerBundle } from './server-bundle.mjs';

const root = path.resolve(import.meta.dirname, '..');
const started = performance.now();
await buildServerBundle();
console.log(`build: server bundle in ${Math.round(performance.now() - started)} ms`);
const configFile = path.join(root, 'web', 'vite.config.ts');
if (!fs.existsSync(configFile)) {
  console.log('build: no web app yet (web/vite.config.ts missing)');
  process.exit(0);
}
const { build } = await import('vite');
await build({ configFile });
