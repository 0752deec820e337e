// @ts-check
// Entry of the export process: registers tsx's TypeScript loader, then loads the worker itself
// (export-worker.ts), so the process needs no loader flags of its own.
import { register } from 'tsx/esm/api';

register();
await import('./export-worker.ts');
