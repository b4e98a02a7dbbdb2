// Vite config for the Zalo mini-app. Run vite from this folder: zmp-vite-plugin reads ./app-config.json
// relative to the process cwd, forces base './' for builds and writes www/app-config.json for the Zalo host.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import zaloMiniApp from 'zmp-vite-plugin';

// Dev server only: forward /api to the Express server (npm start at the repo root, PORT 3000 by default).
const apiTarget = process.env.MINIAPP_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  base: '',
  plugins: [react(), zaloMiniApp()],
  build: {
    outDir: 'www',
    emptyOutDir: true,
    assetsInlineLimit: 0,
  },
  server: {
    port: 5173,
    host: 'localhost',
    proxy: { '/api': { target: apiTarget, changeOrigin: true } },
  },
});
