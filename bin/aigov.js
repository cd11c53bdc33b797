#!/usr/bin/env node
// Runs the server bundle (dist/server/main.js), building it first when it is missing or older
// than a source file (≈ 1 s; scripts/server-bundle.mjs). `npm run dev` runs the TypeScript
// sources through tsx instead.
import { pathToFileURL } from 'node:url';
import { ensureServerBundle } from '../scripts/server-bundle.mjs';

await import(pathToFileURL(await ensureServerBundle()).href);
