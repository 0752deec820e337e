// `GET /healthz`: 200 `{"ok":true}` once the server accepts connections; `storage` turns to "retrying"
// while commits fail (the server still answers, so an orchestrator does not kill a process that holds
// unsaved edits in memory).
import type { Hono } from 'hono';

export function mountHealthRoute(app: Hono, status: { storageFailing: () => boolean; documentsInMemory: () => number }): void {
  app.get('/healthz', (c) =>
    c.json({
      ok: true,
      storage: status.storageFailing() ? 'retrying' : 'ok',
      documentsInMemory: status.documentsInMemory(),
    }),
  );
}
