// The server runs from one esbuild bundle (dist/server/main.js) rather than from TypeScript
// through tsx: tsx's transform and the resolution of ≈ 150 source files and a few hundred
// package files cost 1–2 s on every start (bench/README.md, "Start-up").
//
// The bundle sits two directories below the repository root, exactly like every file in
// src/<dir>/, so the paths they compute from import.meta.dirname ('../../policies',
// '../../data/reference', '../../dist/web') mean the same thing in both.
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server', 'main.js');
const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');

/**
 * Left as packages: those that read files next to their own code (WASM, data bundles,
 * static assets, worker scripts), native addons, and build tools loaded only on demand.
 */
const EXTERNAL = [
  '@electric-sql/pglite',
  '@cedar-policy/cedar-wasm',
  '@node-rs/*',
  'pino',
  'pg-native',
  'vite',
  'tsx',
  'highs',
];

/** Inputs whose change makes the bundle stale. */
function newestInputMtime() {
  let newest = 0;
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  visit(path.join(ROOT, 'src'));
  for (const file of ['package-lock.json', 'package.json', 'tsconfig.json', fileNameOfThisScript()]) {
    const full = path.join(ROOT, file);
    if (fs.existsSync(full)) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function fileNameOfThisScript() {
  return path.relative(ROOT, import.meta.filename);
}

/** True when the bundle is missing or older than a source file. */
export function serverBundleIsStale() {
  if (!fs.existsSync(path.join(ROOT, 'src'))) return !fs.existsSync(SERVER_BUNDLE);
  if (!fs.existsSync(SERVER_BUNDLE)) return true;
  return fs.statSync(SERVER_BUNDLE).mtimeMs < newestInputMtime();
}

/**
 * Bundles src/cli/main.ts into dist/server/main.js. Written to a temporary file and renamed,
 * so a process starting at the same moment never loads half a file.
 */
export async function buildServerBundle() {
  const { build } = await import('esbuild');
  const temporary = `${SERVER_BUNDLE}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(SERVER_BUNDLE), { recursive: true });
  try {
    await build({
      entryPoints: [ENTRY],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'linked',
      sourcesContent: false,
      external: EXTERNAL,
      logLevel: 'warning',
      // Bundled CommonJS packages call require(); ESM output has none of its own.
      banner: {
        js: "import { createRequire as __aigovCreateRequire } from 'node:module'; const require = __aigovCreateRequire(import.meta.url);",
      },
    });
    fs.renameSync(`${temporary}.map`, `${SERVER_BUNDLE}.map`);
    // The bundle's last line names its map by the temporary file's name.
    const code = fs
      .readFileSync(temporary, 'utf8')
      .replace(
        `//# sourceMappingURL=${path.basename(temporary)}.map`,
        `//# sourceMappingURL=${path.basename(SERVER_BUNDLE)}.map`,
      );
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, SERVER_BUNDLE);
  } finally {
    fs.rmSync(temporary, { force: true });
    fs.rmSync(`${temporary}.map`, { force: true });
  }
  return SERVER_BUNDLE;
}

/** The bundle's path, built first if it is missing or stale. */
export async function ensureServerBundle() {
  if (serverBundleIsStale()) await buildServerBundle();
  return SERVER_BUNDLE;
}
