import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { thirdPartyLicenses } from './scripts/third-party-licenses';

// Served by the gateway under /atlas/; everything is bundled from npm, nothing comes from a CDN. The
// bundled packages' licence notices ship next to the bundle (third-party-licenses.txt).
export default defineConfig({
  base: '/atlas/',
  plugins: [react(), thirdPartyLicenses()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: true },
});
