import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { initialJsBudget, precompress } from './build-plugins.ts';

const webRoot = import.meta.dirname;

// Built into dist/web, served by the API server with an SPA fallback for browser navigations.
// `npm start` also runs this build on a fresh clone, so keep it quick and dependency-free.
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), precompress(), initialJsBudget()],
  // The rules of the law written once (src/domain) are imported by the server and by this app.
  resolve: { alias: { '@domain': path.resolve(webRoot, '../src/domain') } },
  build: {
    outDir: path.resolve(webRoot, '../dist/web'),
    emptyOutDir: true,
    // Staff pages and ECharts are lazy chunks; the public entry stays well under the budget.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite --config web/vite.config.ts` for UI work against `PORT=3100 npm start`.
    proxy: { '/api': 'http://127.0.0.1:3100' },
  },
});
