// Vite config for the officer console: built to ../admin-dist and served by the Express server at /admin.
// Run from the repo root: `vite build --config miniapp/admin/vite.config.mts` (npm run build:admin).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));
// Dev server only: forward /api to the Express server (npm start at the repo root).
const apiTarget = process.env.ADMIN_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../admin-dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5174,
    host: 'localhost',
    proxy: { '/api': { target: apiTarget, changeOrigin: true } },
  },
});
