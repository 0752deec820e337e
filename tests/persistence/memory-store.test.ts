import { MemoryDocumentStore } from '../../server/persistence/memory-store.js';
import { describeDocumentStoreContract } from './store-contract.js';

describeDocumentStoreContract('memory', { create: () => new MemoryDocumentStore() });
