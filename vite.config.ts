import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The renderer is built once and served by both hosts: Electron's app:// protocol and the
// browser host on 127.0.0.1. Relative base so the same files work under either origin.
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // No inline scripts or styles: the CSP forbids them.
    assetsInlineLimit: 0,
    // Served from disk or loopback, never over a network: a 1–2 MB main chunk costs nothing
    // worth a warning. Monaco, the heavy part, is already split off and loaded on demand.
    chunkSizeWarningLimit: 4000,
  },
});
