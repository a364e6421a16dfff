import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

// The product build. Main and the core's utility process are ESM; the preload is CommonJS
// because a sandboxed renderer can only load a CJS preload.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          core: resolve('electron/core-host/index.ts'),
          // Loaded by the core with new URL('./import-reader.worker.js', import.meta.url): must sit beside core.js.
          'import-reader.worker': resolve('electron/core/bundles/import-reader.worker.ts'),
        },
        external: ['better-sqlite3-multiple-ciphers'],
      },
    },
  },
  // No externalizeDepsPlugin here: a sandboxed preload cannot require from node_modules.
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: { outDir: 'out/renderer', assetsInlineLimit: 0, rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
