import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Our folders are not electron-vite's defaults (src/main, src/preload, src/renderer), so every entry is explicit.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // zod goes into the bundle: required from node_modules it is 95 files to find, read and compile, and
      // `cli.js help` took 0.30 s instead of 0.24 s.
      externalizeDeps: { exclude: ['zod'] },
      lib: {
        entry: {
          index: resolve(__dirname, 'src-main/electron-main/index.ts'),
          // Long jobs (imports, demo) run in a worker thread with their own workbook connection.
          'job-worker': resolve(__dirname, 'src-main/node/jobs/job-worker.ts'),
          // A large CSV is read, parsed and mapped in a thread of its own while the job writes it (issue 3).
          'import-worker': resolve(__dirname, 'src-main/node/importers/import-worker.ts'),
          // The command line as it ships (`node out/main/cli.js`): one bundle to load instead of ~240 TypeScript
          // modules to resolve and strip (0.26 s to start instead of 0.88 s; bench/import runs it).
          cli: resolve(__dirname, 'src-main/node/cli/main.ts'),
        },
      },
    },
  },
  preload: {
    // A sandboxed preload must be one self-contained CommonJS file.
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      lib: { entry: { preload: resolve(__dirname, 'src-main/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
    plugins: [react()],
  },
});
