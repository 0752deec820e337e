// The cold-join scenario: a seeder uploads a 100k-edit document and stays connected; then fresh clients
// join one at a time (total time and the server's share: socket open → full SyncStep2), then 50 join at
// once (time until each has received the full state). Runs inside the load process (load-worker.ts).
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { EDITOR_FRAGMENT } from '../shared/protocol.js';
import { readEditHistoryBatches } from './edit-history.js';
import { EditorClient } from './load-client.js';
import { readMachineBusySeconds, readProcessCpuSeconds, readProcessMemoryMiB, summarize, type LatencySummary } from './stats.js';

export interface ColdJoinConfig {
  baseUrl: string;
  /** Appended to the socket URL (Concord: the session token). */
  socketQuery: string;
  documentId: string;
  serverPid: number;
  historyFile: string;
  joins: number;
  burst: number;
  echoAwareness: boolean;
}

export interface FreshJoin {
  totalMs: number;
  /** Socket open → the complete SyncStep2 has arrived. */
  serverMs: number;
  /** Yjs apply of the SyncStep2 in the client: the same work whatever the server. */
  clientApplyMs: number;
  serverCpuMs: number;
}

export interface ColdJoinResult {
  upload: { batches: number; bytes: number; seconds: number; serverCpuSeconds: number };
  stateBytes: number;
  joins: FreshJoin[];
  /** Every fresh joiner received exactly the uploaded document. */
  contentMatches: boolean;
  joinTotalMs: LatencySummary;
  joinServerMs: LatencySummary;
  burst: {
    clients: number;
    /** Socket created → complete SyncStep2 received, each client. */
    receivedMs: LatencySummary;
    allReceivedMs: number;
    serverCpuSeconds: number;
    complete: number;
  };
  server: { rssAfterUploadMiB: number; hwmMiB: number };
  /** CPU (in cores) used by other processes than the server and the load generator while timing. */
  otherCpuUtil: number;
  warnings: string[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function sameStateVector(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [client, clock] of a) if (b.get(client) !== clock) return false;
  return true;
}

export async function runColdJoin(config: ColdJoinConfig): Promise<ColdJoinResult> {
  const url = `${config.baseUrl}/${config.documentId}${config.socketQuery}`;
  const warnings: string[] = [];
  const batches = readEditHistoryBatches(config.historyFile);
  // The expected document, built here so every joiner can be checked against it.
  const expected = new Y.Doc();
  for (const batch of batches) Y.applyUpdate(expected, batch);
  const expectedVector = Y.decodeStateVector(Y.encodeStateVector(expected));
  const expectedContent = expected.getXmlFragment(EDITOR_FRAGMENT).toJSON();
  const fullState = Y.encodeStateAsUpdate(expected);
  const stateBytes = fullState.byteLength;
  // Warm up this process's Yjs decoding, so that the joiners' apply time is not mostly JIT compilation.
  for (let i = 0; i < 3; i++) Y.applyUpdate(new Y.Doc(), fullState);

  const seeder = new EditorClient({ url, name: 'Seeder', echoAwareness: config.echoAwareness });
  const probe = new EditorClient({ url, name: 'Probe', echoAwareness: config.echoAwareness });
  await seeder.connect(30_000);
  await probe.connect(30_000);

  // Upload: the seeder holds the history locally (untimed) and sends it as sync updates, like a client
  // with a long offline session. Done when the probe, watching, has everything.
  seeder.holdOffline(batches);
  const serverCpuStart = readProcessCpuSeconds(config.serverPid);
  const machineBusyStart = readMachineBusySeconds();
  const harnessCpuStart = process.cpuUsage();
  const timingStart = performance.now();
  const uploadCpuStart = serverCpuStart;
  const uploadStart = performance.now();
  seeder.sendUpdates(batches);
  const deadline = uploadStart + 120_000;
  while (!sameStateVector(Y.decodeStateVector(Y.encodeStateVector(probe.doc)), expectedVector)) {
    if (performance.now() > deadline) throw new Error('upload not relayed to the probe within 120 s');
    await sleep(5);
  }
  const upload = {
    batches: batches.length,
    bytes: batches.reduce((n, b) => n + b.byteLength, 0),
    seconds: (performance.now() - uploadStart) / 1000,
    serverCpuSeconds: readProcessCpuSeconds(config.serverPid) - uploadCpuStart,
  };
  const rssAfterUploadMiB = readProcessMemoryMiB(config.serverPid, 'VmRSS');
  await sleep(500); // let the server finish any follow-up work (storage, compaction) before timing joins

  const joins: FreshJoin[] = [];
  let contentMatches = true;
  for (let i = 0; i < config.joins; i++) {
    const client = new EditorClient({ url, name: `Newcomer ${i}`, echoAwareness: config.echoAwareness });
    const cpuBefore = readProcessCpuSeconds(config.serverPid);
    try {
      await client.connect(30_000);
      joins.push({
        totalMs: client.syncedAt - client.createdAt,
        serverMs: client.step2ReceivedAt - client.openedAt,
        clientApplyMs: client.syncedAt - client.step2ReceivedAt,
        serverCpuMs: (readProcessCpuSeconds(config.serverPid) - cpuBefore) * 1000,
      });
      if (client.contentString() !== expectedContent) {
        contentMatches = false;
        warnings.push(`fresh join ${i} got different content`);
      }
    } catch (error) {
      contentMatches = false;
      warnings.push(`fresh join ${i} failed: ${String(error)}`);
    } finally {
      client.close();
    }
    await sleep(300);
  }

  // Simultaneous joins: all sockets created in the same tick; the state is held, not applied, while timing.
  const burstClients = Array.from(
    { length: config.burst },
    (_, i) => new EditorClient({ url, name: `Arrival ${i}`, echoAwareness: config.echoAwareness, holdSyncStep2: true }),
  );
  const burstCpuStart = readProcessCpuSeconds(config.serverPid);
  const burstStart = performance.now();
  const outcomes = await Promise.allSettled(burstClients.map((c) => c.connect(60_000)));
  const allReceivedMs = performance.now() - burstStart;
  const burstCpuSeconds = readProcessCpuSeconds(config.serverPid) - burstCpuStart;
  const hwmMiB = readProcessMemoryMiB(config.serverPid, 'VmHWM');
  const received: number[] = [];
  let complete = 0;
  burstClients.forEach((client, i) => {
    if (outcomes[i]?.status !== 'fulfilled' || !client.heldStep2) return;
    received.push(client.step2ReceivedAt - client.createdAt);
    // Checking the held update's state vector is enough to prove it is the whole document.
    if (sameStateVector(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(client.heldStep2)), expectedVector)) complete++;
  });
  if (complete < config.burst) {
    warnings.push(`${config.burst - complete} of ${config.burst} simultaneous joins did not get the full state`);
  }

  const harnessCpu = process.cpuUsage(harnessCpuStart);
  const ourCpuSeconds =
    readProcessCpuSeconds(config.serverPid) - serverCpuStart + (harnessCpu.user + harnessCpu.system) / 1e6;
  const timingSeconds = (performance.now() - timingStart) / 1000;
  const otherCpuUtil = Math.max(0, readMachineBusySeconds() - machineBusyStart - ourCpuSeconds) / timingSeconds;
  if (otherCpuUtil > 0.1) {
    warnings.push(`other processes used ${(otherCpuUtil * 100).toFixed(0)}% of a core while timing: machine not quiet`);
  }

  for (const client of [...burstClients, seeder, probe]) client.close();
  await sleep(200);

  const joinsOk = joins.length > 0;
  return {
    upload,
    stateBytes,
    joins,
    contentMatches,
    joinTotalMs: joinsOk ? summarize(joins.map((j) => j.totalMs)) : summarize([]),
    joinServerMs: joinsOk ? summarize(joins.map((j) => j.serverMs)) : summarize([]),
    burst: {
      clients: config.burst,
      receivedMs: summarize(received),
      allReceivedMs,
      serverCpuSeconds: burstCpuSeconds,
      complete,
    },
    server: { rssAfterUploadMiB, hwmMiB },
    otherCpuUtil,
    warnings,
  };
}
