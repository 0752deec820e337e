// Picks the storage backend named by the configuration.
import type { ConcordConfig } from '../config.js';
import type { DocumentStore } from './document-store.js';
import { MemoryDocumentStore } from './memory-store.js';
import { SqliteDocumentStore } from './sqlite-store.js';

export function openDocumentStore(config: Pick<ConcordConfig, 'storage' | 'dataDir' | 'sqliteSynchronous' | 'flushIntervalMs'>): DocumentStore {
  switch (config.storage) {
    case 'sqlite':
      return new SqliteDocumentStore(config.dataDir, config.sqliteSynchronous, config.flushIntervalMs);
    case 'memory':
      return new MemoryDocumentStore();
  }
}
