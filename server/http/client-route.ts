// Serves the built web client: files from CLIENT_DIR, and index.html for any other page path
// (`/d/<id>` is routed in the browser). Without a build it says how to make one.
import fs from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { COLLAB_PATH } from '../../shared/protocol.js';

export function mountClientRoute(app: Hono, clientDir: string): void {
  const indexFile = path.join(clientDir, 'index.html');
  // Checked once at startup: `npm start` builds the client before the server starts.
  if (fs.existsSync(clientDir)) app.use('/*', serveStatic({ root: clientDir }));
  app.get('*', (c, next) => {
    const p = c.req.path;
    if (p.startsWith('/api/') || p.startsWith(`${COLLAB_PATH}/`) || p === '/healthz' || p === '/metrics') return next();
    if (!fs.existsSync(indexFile)) {
      return c.text('The web client is not built. Run `npm run build` (or `npm start`, which builds it).', 503);
    }
    return c.html(fs.readFileSync(indexFile, 'utf8'));
  });
}
