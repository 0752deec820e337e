// Reads Concord's configuration from the environment once, at startup, into a plain typed object.
// Every variable is listed in the README's configuration table; parts receive this object, never env.
import path from 'node:path';
import { DEFAULT_LIMITS } from '../shared/protocol.js';

export type StorageKind = 'sqlite' | 'memory';
/** SQLite `synchronous` pragma: FULL survives power loss, NORMAL survives a process crash only. */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export interface ConcordConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  dataDir: string;
  storage: StorageKind;
  sqliteSynchronous: SqliteSynchronous;
  /** Least time between the starts of two WAL flushes (SQLite store, FULL). */
  flushIntervalMs: number;
  maxMessageBytes: number;
  maxRequestBytes: number;
  maxBufferedBytes: number;
  /** How long a document stays in memory after its last client leaves. */
  unloadDelayMs: number;
  /** Presence (carets, who is here) is relayed at most once per this many ms per document; 0 = at once. */
  presenceIntervalMs: number;
  /** Compact a document's stored updates into one state once this many rows accumulate. */
  compactAfterUpdates: number;
  /** Save an automatic version this long after the first edit that follows a document's newest version. */
  autoVersionAfterMs: number;
  /** Where the built web client lives (served at `/`); absent → API and websocket only. */
  clientDir: string;
  logLevel: string;
  /** The address people open, used in invitation links; default http://HOST:PORT. */
  publicUrl: string | null;
  /** Signs session tokens; default: a random secret kept in the database. */
  sessionSecret: string | null;
  /** The Chromium that prints PDF exports; null → the usual system paths (see server/export/pdf-renderer.ts). */
  chromiumPath: string | null;
  /**
   * CPUs the export process and its Chromium may use (a `taskset` list such as "2-3"); null → any. Keeps
   * rendering off the cores that relay edits (see the README's benchmark notes).
   */
  exportCpus: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
  if (!match) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return match;
}

/** A CPU list as taskset takes it: "1", "2-3", "0,2,4-7"; "any" (or unset) for no confinement. */
function cpuList(env: NodeJS.ProcessEnv, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw.toLowerCase() === 'any') return null;
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(raw)) throw new ConfigError(`${name} must be a CPU list such as "1" or "2-3,6", or any, got "${raw}"`);
  return raw;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ConcordConfig {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8787, 0),
    dataDir: path.resolve(cwd, env.DATA_DIR || './data'),
    storage: oneOf(env, 'STORAGE', ['sqlite', 'memory'] as const, 'sqlite'),
    sqliteSynchronous: oneOf(env, 'SQLITE_SYNCHRONOUS', ['FULL', 'NORMAL'] as const, 'FULL'),
    flushIntervalMs: integer(env, 'FLUSH_INTERVAL_MS', 100, 0),
    maxMessageBytes: integer(env, 'MAX_MESSAGE_BYTES', DEFAULT_LIMITS.maxMessageBytes, 1024),
    maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', DEFAULT_LIMITS.maxRequestBytes, 1024),
    maxBufferedBytes: integer(env, 'MAX_BUFFERED_BYTES', DEFAULT_LIMITS.maxBufferedBytes, 1024),
    unloadDelayMs: integer(env, 'UNLOAD_DELAY_MS', 10_000, 0),
    compactAfterUpdates: integer(env, 'COMPACT_AFTER_UPDATES', 500, 2),
    presenceIntervalMs: integer(env, 'PRESENCE_INTERVAL_MS', 100, 0),
    autoVersionAfterMs: integer(env, 'AUTO_VERSION_AFTER_MS', 600_000, 1),
    clientDir: path.resolve(cwd, env.CLIENT_DIR || './dist/client'),
    logLevel: env.LOG_LEVEL || 'info',
    publicUrl: env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/$/, '') : null,
    sessionSecret: env.SESSION_SECRET || null,
    chromiumPath: env.CHROMIUM_PATH || null,
    exportCpus: cpuList(env, 'EXPORT_CPUS'),
  };
}
