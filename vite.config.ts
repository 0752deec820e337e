// Builds the web client (client/ → dist/client, which the server serves) and runs the dev server,
// which forwards the websocket and API paths to a Concord server on :8787 (or CONCORD_SERVER).
import { fileURLToPath } from 'node:url';
import { createLogger, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.CONCORD_SERVER || 'http://127.0.0.1:8787';

/**
 * React's development double-mount opens and at once closes a websocket on every page load; the
 * proxy then writes to a closed pipe and Vite prints a stack trace for it. Those say nothing.
 */
const logger = createLogger();
const logError = logger.error.bind(logger);
logger.error = (message, options) => {
  const code = (options?.error as NodeJS.ErrnoException | null | undefined)?.code;
  if (message.includes('ws proxy') && (code === 'EPIPE' || code === 'ECONNRESET')) return;
  logError(message, options);
};

export default defineConfig({
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  customLogger: logger,
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // React, ProseMirror and Yjs together are ~240 kB gzipped; one chunk loads fastest for the editor page.
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // shared/ sits beside client/, outside Vite's root.
    fs: { allow: [repoRoot] },
    proxy: {
      '/collab': { target: server, ws: true, changeOrigin: true },
      '/api': { target: server, changeOrigin: true },
      '/healthz': { target: server, changeOrigin: true },
    },
  },
});
