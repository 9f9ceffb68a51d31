import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the gateway under /atlas/; everything is bundled from npm, nothing comes from a CDN.
export default defineConfig({
  base: '/atlas/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
});
