// @ts-check
// Entry of the export worker thread: registers tsx's TypeScript loader for this thread, then loads the
// worker itself (export-worker.ts). Node 20 cannot start a worker on a .ts file directly.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');
