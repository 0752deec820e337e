// Assembles and runs the Concord server. Reading top to bottom: configuration, storage, the writer
// that commits updates, the rooms, the HTTP app and its routes, the websocket, listening, shutdown.
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { serve } from '@hono/node-server';
import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CloseCodes } from '../shared/protocol.js';
import { type ConcordConfig, readConfig } from './config.js';
import { Connection } from './collaboration/connection.js';
import { mountCollaborationRoute } from './collaboration/collaboration-route.js';
import { RoomRegistry } from './collaboration/room-registry.js';
import { UpdateWriter } from './collaboration/update-writer.js';
import { HttpError, describeError } from './errors.js';
import { mountClientRoute } from './http/client-route.js';
import { createErrorFunnel } from './http/error-funnel.js';
import { mountHealthRoute } from './http/health-route.js';
import { mountMetricsRoute } from './http/metrics-route.js';
import { LatencyRecorder, relayLatencyHooks } from './collaboration/latency-histogram.js';
import { keepServerOffExportCpus } from './export/cpu-affinity.js';
import { type Logger, createLogger } from './log.js';
import type { DocumentStore } from './persistence/document-store.js';
import { openDocumentStore } from './persistence/open-store.js';
import { SqliteDocumentStore } from './persistence/sqlite-store.js';
import { RateLimiter } from './auth/rate-limit.js';
import { SessionTokens } from './auth/sessions.js';
import { createSocketAuthorizer, disconnectPeople, peopleOnline, reconnectDocuments } from './auth/socket-access.js';
import { invitationUrl, prepareWorkspace } from './workspace/prepare-workspace.js';
import { createWorkspaceRoutes } from './workspace/workspace-routes.js';
import { getSchema } from '@tiptap/core';
import { editorSchemaExtensions } from '../shared/editor-extensions.js';
import { AuthorshipLog } from './versions/authorship.js';
import { VersionService } from './versions/version-service.js';
import { createVersionRoutes } from './versions/version-routes.js';
import { SqliteVersionStore } from './versions/version-store.js';
import { createExportRoutes } from './export/export-routes.js';
import { ExportWorker } from './export/export-worker-client.js';

export interface RunningServer {
  /** `http://HOST:PORT` */
  readonly url: string;
  readonly port: number;
  /** On a first start (empty DATA_DIR): the link that makes its opener the initiative's organiser. */
  readonly organiserInvitationUrl: string | null;
  /** Stops accepting, closes sockets, stores and compacts every document, closes storage. */
  close(): Promise<void>;
}

const KEEPALIVE_INTERVAL_MS = 30_000;
/** Per person: a burst of 120 API requests, refilled at 20 a second. */
const API_BURST = 120;
const API_REQUESTS_PER_SECOND = 20;
const SHUTDOWN_FLUSH_TIMEOUT_MS = 10_000;

/** Parts a caller may supply instead of the ones the configuration names (tests inject failing stores). */
export interface ConcordParts {
  log?: Logger;
  store?: DocumentStore;
}

export async function startConcord(config: ConcordConfig, parts: ConcordParts = {}): Promise<RunningServer> {
  const log = parts.log ?? createLogger(config.logLevel);
  const store = parts.store ?? openDocumentStore(config);
  const relayLatency = new LatencyRecorder();
  const storeLatencies = { commit: new LatencyRecorder(), sync: new LatencyRecorder() };
  const writer = new UpdateWriter(store, log, storeLatencies);
  const registry = new RoomRegistry(
    store,
    writer,
    {
      unloadDelayMs: config.unloadDelayMs,
      compactAfterUpdates: config.compactAfterUpdates,
      presenceIntervalMs: config.presenceIntervalMs,
    },
    log,
  );
  const connections = new Set<Connection>();
  const { workspace, sessionSecret, firstOrganiserInvitation } = prepareWorkspace(
    config.storage === 'memory' ? ':memory:' : config.dataDir,
    config.sessionSecret,
  );
  const sessions = new SessionTokens(sessionSecret);
  let publicUrl = config.publicUrl ?? '';
  // Version history: its tables live in the same database (in memory with STORAGE=memory).
  const versionLocation = config.storage === 'memory' ? ':memory:' : config.dataDir;
  const versionStore = new SqliteVersionStore(versionLocation, config.sqliteSynchronous);
  const authorship = new AuthorshipLog(versionLocation, log);
  // Export, and the versions panel's heavy work: in a process of its own (started on first use),
  // with one shared headless Chromium for PDF, launched on the first PDF export. Live text is read by
  // that process from the SQLite file itself (a document need not be loaded).
  const storedFile = store instanceof SqliteDocumentStore ? store.file : null;
  const exporter = new ExportWorker({ chromiumPath: config.chromiumPath, logLevel: config.logLevel, storedFile, log, cpus: config.exportCpus });
  const versions = new VersionService({
    registry,
    workspace,
    store: versionStore,
    authorship,
    background: exporter,
    liveFromStore: storedFile !== null,
    schema: getSchema(editorSchemaExtensions()),
    log,
    autoVersionAfterMs: config.autoVersionAfterMs,
  });
  registry.addHooks(versions.roomHooks());
  registry.addHooks(relayLatencyHooks(relayLatency));

  const app = new Hono();
  const nodeWebSocket = createNodeWebSocket({ app });
  const { wss } = nodeWebSocket;
  // @hono/node-ws creates the ws server without options; set the frame limit on it explicitly, and
  // keep compression off (ws's default), which relayed frames written as is depend on
  // (Connection.sendBroadcast).
  wss.options.maxPayload = config.maxMessageBytes;
  wss.options.perMessageDeflate = false;

  app.onError(createErrorFunnel(log));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: config.maxRequestBytes,
      onError: () => {
        throw new HttpError(413, 'request_too_large', `request bodies are limited to ${config.maxRequestBytes} bytes`);
      },
    }),
  );
  mountHealthRoute(app, { storageFailing: () => writer.isFailing, documentsInMemory: () => registry.size });
  mountMetricsRoute(app, {
    relayLatency: () => relayLatency.snapshot(),
    storeCommitLatency: () => storeLatencies.commit.snapshot(),
    storeSyncLatency: () => storeLatencies.sync.snapshot(),
    documentsInMemory: () => registry.size,
    connections: () => connections.size,
    storageFailing: () => writer.isFailing,
  });
  app.route(
    '/api',
    createWorkspaceRoutes({
      workspace,
      sessions,
      rateLimiter: new RateLimiter(API_BURST, API_REQUESTS_PER_SECOND),
      onlineIn: (documentId) => peopleOnline(connections, documentId),
      disconnect: (personIds) => disconnectPeople(connections, personIds),
      reconnectDocuments: (documentIds) => reconnectDocuments(connections, documentIds),
      publicUrl: () => publicUrl,
    }),
  );
  // After the workspace routes: their session middleware (all of /api) authenticates these too.
  app.route('/api', createVersionRoutes({ workspace, versions }));
  app.route('/api', createExportRoutes({ workspace, versions, exporter }));
  mountCollaborationRoute(app, {
    registry,
    upgradeWebSocket: nodeWebSocket.upgradeWebSocket,
    connections,
    maxBufferedBytes: config.maxBufferedBytes,
    log,
    authorize: createSocketAuthorizer(workspace, sessions),
  });
  app.all('/api/*', () => {
    throw new HttpError(404, 'not_found', 'no such API route');
  });
  mountClientRoute(app, config.clientDir);
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'not found' } }, 404));

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
  nodeWebSocket.injectWebSocket(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  publicUrl ||= url;

  const keepAlive = setInterval(() => {
    for (const connection of connections) connection.checkAlive(KEEPALIVE_INTERVAL_MS);
  }, KEEPALIVE_INTERVAL_MS);
  keepAlive.unref();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(keepAlive);
      server.close();
      for (const connection of connections) connection.close(CloseCodes.goingAway);
      registry.stopUnloading();
      await versions.close();
      await exporter.close();
      const allStored = await registry.close(SHUTDOWN_FLUSH_TIMEOUT_MS);
      if (!allStored) log.error('shutdown: some updates could not be stored (storage failing); they are lost with this process');
      await store.close();
      authorship.close();
      versionStore.close();
      workspace.close();
      wss.close();
      if ('closeAllConnections' in server) server.closeAllConnections();
    })());

  return {
    url,
    port,
    organiserInvitationUrl: firstOrganiserInvitation && invitationUrl(publicUrl, firstOrganiserInvitation.code),
    close,
  };
}

/** `npm start` / `npm run serve`: start from the environment, print the URL, stop cleanly on SIGTERM. */
export async function runFromCommandLine(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  if (config.exportCpus !== null) {
    const serverCpus = keepServerOffExportCpus(config.exportCpus);
    log.info({ exportCpus: config.exportCpus, serverCpus: serverCpus.join(',') }, 'exports render on their own CPUs');
  }
  const running = await startConcord(config, { log });
  // Printed (not logged) so scripts and tests can read it whatever the log level.
  // One write, so a reader of a pipe gets the URL and the first-start link together.
  process.stdout.write(
    `Concord listening on ${running.url}\n` +
      (running.organiserInvitationUrl
        ? `First start: created "Beyond Boundaries". Open this link to sign in as its organiser (valid 30 days):\n` +
          `Organiser invitation: ${running.organiserInvitationUrl}\n` +
          `More links: npm run invite -- --role delegate --group security --delegation pk\n`
        : ''),
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: storing every document');
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: describeError(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // Never let a stray async error take the process (and the documents in memory) down.
  process.on('unhandledRejection', (reason) => log.error({ err: describeError(reason) }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => log.error({ err: describeError(error) }, 'uncaught exception'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runFromCommandLine().catch((error: unknown) => {
    process.stderr.write(`Concord failed to start: ${describeError(error)}\n`);
    process.exit(1);
  });
}
