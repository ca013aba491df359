import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the gateway under /admin (gateway/src/console); in development `vite` proxies the
// API and the session routes to a running gateway, so the cookie stays same-origin.
const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/admin/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': gateway,
      '/admin/session': gateway,
    },
  },
});
