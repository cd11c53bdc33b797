import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The text files worth compressing; the server sends the rest as they are. */
const TEXT_FILE = /\.(?:js|mjs|css|html|svg|json|txt|xml|map)$/;
/** Same threshold as the server's per-request compression (src/platform/compression.ts). */
const MIN_BYTES = 1024;

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .flatMap((entry) => (entry.isFile() ? [path.join(entry.parentPath, entry.name)] : []));
}

/**
 * Writes `file.br` (brotli, quality 11) and `file.gz` (gzip -9) beside every text file of
 * the build, once, so the server never compresses a static file per request (@fastify/static's
 * `preCompressed`, src/platform/web.ts). A variant no smaller than its file is not written.
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'aigov-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = filesUnder(outDir).filter((file) => TEXT_FILE.test(file));
      await Promise.all(
        files.map(async (file) => {
          const content = await fs.promises.readFile(file);
          if (content.length < MIN_BYTES) return;
          const [br, gz] = await Promise.all([
            brotli(content, {
              params: {
                [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
                [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
                [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
              },
            }),
            gzip(content, { level: 9 }),
          ]);
          if (br.length < content.length) await fs.promises.writeFile(`${file}.br`, br);
          if (gz.length < content.length) await fs.promises.writeFile(`${file}.gz`, gz);
        }),
      );
    },
  };
}

/** The public pages' initial JavaScript on the wire, brotli: issue #20's goal. */
export const INITIAL_JS_GOAL_BYTES = 150 * 1024;

/**
 * The budget the build holds the initial JavaScript to: the goal, or a ceiling CI sets with
 * `AIGOV_WEB_BUDGET_KB` (a ratchet, lowered as the public pages get lighter, until it is the goal).
 */
function budgetFromEnv(): number {
  const kb = Number(process.env.AIGOV_WEB_BUDGET_KB);
  return Number.isFinite(kb) && kb > 0 ? kb * 1024 : INITIAL_JS_GOAL_BYTES;
}

export interface BudgetReport {
  budgetBytes: number;
  goalBytes: number;
  /** Brotli (quality 11) bytes of the entry chunk and every chunk it imports statically. */
  initialBrotliBytes: number;
  initialRawBytes: number;
  chunks: Array<{ file: string; rawBytes: number; brotliBytes: number }>;
  /** The largest modules in those chunks (bytes as rendered, before compression). */
  largestModules: Array<{ id: string; renderedBytes: number }>;
}

/**
 * Measures, from the build's own chunk graph, the JavaScript a first visit loads before the
 * first render (the entry chunk and its static imports: the `<script type="module">` and the
 * `modulepreload`s of index.html), compressed as the server sends it. Writes the report to
 * `dist/web-budget.json` and prints one line; over budget, the build fails when
 * `AIGOV_WEB_BUDGET=enforce` (CI, `.ci/run`) and only warns otherwise (a first `npm start`
 * must still start).
 */
export function initialJsBudget(budgetBytes = budgetFromEnv()): Plugin {
  let reportFile = '';
  return {
    name: 'aigov-initial-js-budget',
    apply: 'build',
    configResolved(config) {
      reportFile = path.join(path.resolve(config.root, config.build.outDir), '..', 'web-budget.json');
    },
    async generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((output) =>
          output.type === 'chunk' ? [[output.fileName, output] as const] : [],
        ),
      );
      const initial = new Set<string>();
      const visit = (file: string) => {
        if (initial.has(file)) return;
        initial.add(file);
        for (const imported of chunks.get(file)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const measured = await Promise.all(
        [...initial].map(async (file) => {
          const code = Buffer.from(chunks.get(file)!.code);
          const br = await brotli(code, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
          return { file, rawBytes: code.length, brotliBytes: br.length };
        }),
      );
      const largestModules = [...initial]
        .flatMap((file) =>
          Object.entries(chunks.get(file)!.modules).map(([id, info]) => ({
            id: path.relative(process.cwd(), id.replace(/^\0/, '')),
            renderedBytes: info.renderedLength,
          })),
        )
        .sort((a, b) => b.renderedBytes - a.renderedBytes)
        .slice(0, 40);
      const report: BudgetReport = {
        budgetBytes,
        goalBytes: INITIAL_JS_GOAL_BYTES,
        initialBrotliBytes: measured.reduce((sum, c) => sum + c.brotliBytes, 0),
        initialRawBytes: measured.reduce((sum, c) => sum + c.rawBytes, 0),
        chunks: measured.sort((a, b) => b.brotliBytes - a.brotliBytes),
        largestModules,
      };
      await fs.promises.mkdir(path.dirname(reportFile), { recursive: true });
      await fs.promises.writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
      const line =
        `public pages' initial JavaScript: ${kb(report.initialBrotliBytes)} brotli (${kb(report.initialRawBytes)} raw, ` +
        `${measured.length} files), budget ${kb(budgetBytes)}, goal ${kb(INITIAL_JS_GOAL_BYTES)}; report in ${path.relative(process.cwd(), reportFile)}`;
      if (report.initialBrotliBytes <= budgetBytes) {
        this.info(line);
      } else if (process.env.AIGOV_WEB_BUDGET === 'enforce') {
        this.error(`over budget: ${line}`);
      } else {
        this.warn(`over budget: ${line}`);
      }
    },
  };
}
