import { defineConfig } from 'vite';

// The admin port serves dist/ from the jar at "/", and in development `npm run dev` forwards the
// API to a running Strata, so the page is always same-origin with /api (the admin API refuses
// cross-site writes).
export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Strata runs offline: everything is bundled, nothing is fetched from a CDN.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:9101',
      '/health': 'http://127.0.0.1:9101',
    },
  },
});
