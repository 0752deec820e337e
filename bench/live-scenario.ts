// A live editing scenario: rooms of simulated editors typing and moving carets against one server, with
// fan-out latency (sender's change → applied by every other client of the room), loss, convergence, and
// the server's CPU and memory over the measurement window. Runs inside the load process (load-worker.ts).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type * as Y from 'yjs';
import { EditorClient } from './load-client.js';
import {
  SampleBuffer,
  readMachineBusySeconds,
  readProcessCpuSplit,
  readProcessMemoryMiB,
  summarize,
  type LatencySummary,
} from './stats.js';

export interface LiveScenarioConfig {
  /** Base URL; each room's socket is `<baseUrl>/<roomPrefix>-<r><socketQuery>`. */
  baseUrl: string;
  socketQuery: string;
  roomPrefix: string;
  serverPid: number;
  rooms: number;
  clientsPerRoom: number;
  writersPerRoom: number;
  /** Characters per second per writer (intervals jittered ±50%). */
  typingRate: number;
  /** Caret (awareness) updates per second per writer. */
  awarenessRate: number;
  echoAwareness: boolean;
  settleSeconds: number;
  warmupSeconds: number;
  durationSeconds: number;
  drainSeconds: number;
  connectConcurrency: number;
}

export interface LiveScenarioResult {
  clients: number;
  writers: number;
  handshakeMs: LatencySummary;
  /** Sender's change until the last other client of the room has applied it (window only). */
  fanoutMs: LatencySummary;
  /** Sender's change until one receiver has applied it, every (update, receiver) pair (window only). */
  perDeliveryMs: LatencySummary;
  delivery: { updates: number; expected: number; delivered: number; lost: number };
  converged: boolean;
  serverCopyMatches: boolean;
  windowSeconds: number;
  server: {
    cpuSeconds: number;
    systemShare: number;
    /** CPU seconds per wall second in the window (1 = one full core). */
    cpuUtil: number;
    deliveriesInWindow: number;
    cpuUsPerDelivery: number;
    rssStartMiB: number;
    rssAfterConnectMiB: number;
    rssMaxMiB: number;
    hwmMiB: number;
  };
  harness: { cpuUtil: number; eventLoopP99Ms: number; eventLoopMaxMs: number };
  /** What the server sent and received per second in the window, summed over all clients. */
  traffic: {
    framesToClients: number;
    bytesToClients: number;
    updatesToClients: number;
    awarenessToClients: number;
    framesFromClients: number;
  };
  /** CPU (in cores) used by processes other than the server and the load generator during the window. */
  otherCpuUtil: number;
  warnings: string[];
}

interface PendingInsert {
  sentAt: number;
  remaining: number;
  inWindow: boolean;
}

/**
 * Matches every insert to its receivers by Yjs id. The sender notes (client, clock) before its change; a
 * receiver's transaction reports which clocks of which clients it integrated (beforeState → afterState),
 * so no timestamp travels in the payload and all times come from this one process clock.
 */
class FanoutTracker {
  readonly fanout = new SampleBuffer();
  readonly perDelivery = new SampleBuffer();
  updates = 0;
  expected = 0;
  delivered = 0;
  deliveriesInWindow = 0;
  measuring = false;
  private outstandingCount = 0;
  /** Per room: sender client id → clock → insert awaiting receivers. */
  private readonly pending: Array<Map<number, Map<number, PendingInsert>>>;

  constructor(rooms: number) {
    this.pending = Array.from({ length: rooms }, () => new Map<number, Map<number, PendingInsert>>());
  }

  get outstanding(): number {
    return this.outstandingCount;
  }

  sent(room: number, sender: number, clock: number, receivers: number): void {
    this.updates++;
    if (receivers === 0) return;
    this.expected += receivers;
    this.outstandingCount++;
    const roomPending = this.pending[room];
    if (!roomPending) return;
    let bySender = roomPending.get(sender);
    if (!bySender) roomPending.set(sender, (bySender = new Map<number, PendingInsert>()));
    bySender.set(clock, { sentAt: performance.now(), remaining: receivers, inWindow: this.measuring });
  }

  /** Called after a receiver applied a server message. */
  applied(room: number, transaction: Y.Transaction): void {
    const roomPending = this.pending[room];
    if (!roomPending) return;
    let now = 0;
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      const bySender = roomPending.get(client);
      if (!bySender || bySender.size === 0) continue;
      now ||= performance.now();
      // Walk whichever is shorter: the integrated clock range or this sender's pending inserts.
      if (after - before <= bySender.size) {
        for (let clock = before; clock < after; clock++) this.deliver(bySender, clock, now);
      } else {
        for (const clock of [...bySender.keys()]) if (clock >= before && clock < after) this.deliver(bySender, clock, now);
      }
    }
  }

  private deliver(bySender: Map<number, PendingInsert>, clock: number, now: number): void {
    const insert = bySender.get(clock);
    if (!insert) return;
    this.delivered++;
    if (this.measuring) this.deliveriesInWindow++;
    if (insert.inWindow) this.perDelivery.push(now - insert.sentAt);
    if (--insert.remaining === 0) {
      bySender.delete(clock);
      this.outstandingCount--;
      if (insert.inWindow) this.fanout.push(now - insert.sentAt);
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` or the deadline, polling; returns whether it finished. Always bounded. */
async function waitUntil(done: () => boolean, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/** Runs `task` over `items` with at most `limit` in flight (handshakes queue like real arrivals, not all at once). */
async function withConcurrency<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await task(item);
    }
  });
  await Promise.all(lanes);
}

/** Repeats `action` at `perSecond` with each interval jittered ±50%, until `running()` turns false. */
function jitteredLoop(perSecond: number, running: () => boolean, action: () => void): void {
  const meanMs = 1000 / perSecond;
  const tick = (): void => {
    if (!running()) return;
    action();
    setTimeout(tick, meanMs * (0.5 + Math.random()));
  };
  setTimeout(tick, Math.random() * meanMs); // random phase: writers do not start in step
}

function sumTraffic(clients: readonly EditorClient[]): EditorClient['traffic'] {
  const sum = { framesIn: 0, bytesIn: 0, framesOut: 0, bytesOut: 0, awarenessIn: 0, updatesIn: 0 };
  for (const { traffic } of clients) {
    for (const key of Object.keys(sum) as Array<keyof typeof sum>) sum[key] += traffic[key];
  }
  return sum;
}

/**
 * One throwaway client opens `<roomPrefix>-preflight`, writes and leaves. It proves the URL works and lets
 * the server do its once-per-process work (lazy modules, JIT, a storage thread's start) before anything
 * is timed, so the first room's handshakes do not carry it.
 */
async function preflight(config: LiveScenarioConfig): Promise<void> {
  const client = new EditorClient({
    url: `${config.baseUrl}/${config.roomPrefix}-preflight${config.socketQuery}`,
    name: 'Preflight',
    echoAwareness: false,
  });
  try {
    await client.connect(30_000);
    client.writeInitialParagraphs(1);
    client.moveCursor();
    await sleep(500);
  } finally {
    client.close();
  }
}

export async function runLiveScenario(config: LiveScenarioConfig): Promise<LiveScenarioResult> {
  const { rooms, clientsPerRoom } = config;
  const tracker = new FanoutTracker(rooms);
  const roomClients: EditorClient[][] = [];
  for (let r = 0; r < rooms; r++) {
    const clients: EditorClient[] = [];
    for (let c = 0; c < clientsPerRoom; c++) {
      const client = new EditorClient({
        url: `${config.baseUrl}/${config.roomPrefix}-${r}${config.socketQuery}`,
        name: `Delegate ${r}.${c}`,
        echoAwareness: config.echoAwareness,
      });
      client.doc.on('afterTransaction', (transaction: Y.Transaction) => {
        if (!transaction.local) tracker.applied(r, transaction);
      });
      clients.push(client);
    }
    roomClients.push(clients);
  }
  const all = roomClients.flat();
  const warnings: string[] = [];
  await preflight(config);
  const rssStartMiB = readProcessMemoryMiB(config.serverPid, 'VmRSS');

  // Each room's first client opens the document and writes its opening paragraphs, so everyone else joins
  // an existing agenda (and writers have paragraphs to type into).
  const openers = roomClients.map((clients) => clients[0]).filter((c): c is EditorClient => c !== undefined);
  await withConcurrency(openers, config.connectConcurrency, async (client) => {
    await client.connect(30_000);
    client.writeInitialParagraphs(4);
  });
  const others = roomClients.flatMap((clients) => clients.slice(1));
  await withConcurrency(others, config.connectConcurrency, (client) => client.connect(30_000));
  const handshakeMs = summarize(all.map((c) => c.syncedAt - c.createdAt));
  const allSynced = await waitUntil(
    () => roomClients.every((clients) => clients.every((c) => c.fragment.length >= 4)),
    10_000,
  );
  if (!allSynced) warnings.push('some clients never received the opening paragraphs');
  const rssAfterConnectMiB = readProcessMemoryMiB(config.serverPid, 'VmRSS');

  let typing = true;
  for (const client of all) client.startHeartbeat();
  roomClients.forEach((clients, r) => {
    clients.slice(0, config.writersPerRoom).forEach((writer) => {
      jitteredLoop(config.typingRate, () => typing, () => {
        if (!writer.isOpen) return;
        const receivers = clients.reduce((n, c) => n + (c !== writer && c.isOpen ? 1 : 0), 0);
        writer.typeCharacter((clock) => tracker.sent(r, writer.clientId, clock, receivers));
      });
      jitteredLoop(config.awarenessRate, () => typing, () => writer.moveCursor());
    });
  });

  await sleep((config.settleSeconds + config.warmupSeconds) * 1000);

  // Measurement window.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const rssSamples: number[] = [];
  const rssTimer = setInterval(() => rssSamples.push(readProcessMemoryMiB(config.serverPid, 'VmRSS')), 1000);
  const serverCpuStart = readProcessCpuSplit(config.serverPid);
  const harnessCpuStart = process.cpuUsage();
  const machineBusyStart = readMachineBusySeconds();
  const trafficStart = sumTraffic(all);
  const windowStart = performance.now();
  tracker.measuring = true;
  loopDelay.enable();
  await sleep(config.durationSeconds * 1000);
  tracker.measuring = false;
  loopDelay.disable();
  const windowSeconds = (performance.now() - windowStart) / 1000;
  const trafficEnd = sumTraffic(all);
  const perSecond = (key: keyof EditorClient['traffic']): number => (trafficEnd[key] - trafficStart[key]) / windowSeconds;
  const serverCpuEnd = readProcessCpuSplit(config.serverPid);
  const serverUserSeconds = serverCpuEnd.user - serverCpuStart.user;
  const serverSystemSeconds = serverCpuEnd.system - serverCpuStart.system;
  const serverCpuSeconds = serverUserSeconds + serverSystemSeconds;
  const harnessCpu = process.cpuUsage(harnessCpuStart);
  const machineBusySeconds = readMachineBusySeconds() - machineBusyStart;
  clearInterval(rssTimer);
  const hwmMiB = readProcessMemoryMiB(config.serverPid, 'VmHWM');
  rssSamples.push(readProcessMemoryMiB(config.serverPid, 'VmRSS'));

  typing = false;
  const drained = await waitUntil(() => tracker.outstanding === 0, config.drainSeconds * 1000);
  if (!drained) warnings.push(`${tracker.outstanding} updates still undelivered after ${config.drainSeconds} s drain`);

  // Convergence: every client of a room holds the same content; a newcomer gets that content from the server.
  let converged = true;
  for (const clients of roomClients) {
    const reference = clients[0]?.contentString();
    if (clients.some((c) => c.contentString() !== reference)) converged = false;
  }
  let serverCopyMatches = true;
  for (let r = 0; r < rooms; r++) {
    const newcomer = new EditorClient({
      url: `${config.baseUrl}/${config.roomPrefix}-${r}${config.socketQuery}`,
      name: `Observer ${r}`,
      echoAwareness: false,
    });
    try {
      await newcomer.connect(30_000);
      if (newcomer.contentString() !== roomClients[r]?.[0]?.contentString()) serverCopyMatches = false;
    } catch {
      serverCopyMatches = false;
    } finally {
      newcomer.close();
    }
  }
  const closedEarly = all.filter((c) => c.closeCode !== undefined).length;
  for (const client of all) client.close();
  await sleep(200); // let close frames go out before the process reports and exits

  const lost = tracker.expected - tracker.delivered;
  const harnessUtil = (harnessCpu.user + harnessCpu.system) / 1e6 / windowSeconds;
  const serverUtil = serverCpuSeconds / windowSeconds;
  const eventLoopP99Ms = loopDelay.percentile(99) / 1e6;
  const otherCpuUtil = Math.max(0, machineBusySeconds - serverCpuSeconds - harnessUtil * windowSeconds) / windowSeconds;
  const percent = (value: number): string => `${(value * 100).toFixed(0)}%`;
  if (otherCpuUtil > 0.1) {
    warnings.push(`other processes used ${percent(otherCpuUtil)} of a core during the window: machine not quiet`);
  }
  if (harnessUtil > 0.85) {
    warnings.push(`harness CPU ${percent(harnessUtil)} of a core: latency partly measures the harness`);
  }
  if (eventLoopP99Ms > 20) warnings.push(`harness event-loop delay p99 ${eventLoopP99Ms.toFixed(1)} ms`);
  if (serverUtil > 0.9) warnings.push(`server CPU ${percent(serverUtil)}: saturated`);
  if (lost > 0) warnings.push(`${lost} deliveries lost`);
  if (!converged) warnings.push('clients did not converge');
  if (!serverCopyMatches) warnings.push("a fresh client did not receive the room's content");
  if (closedEarly > 0) warnings.push(`${closedEarly} clients were disconnected during the run`);

  return {
    clients: all.length,
    writers: rooms * config.writersPerRoom,
    handshakeMs,
    fanoutMs: tracker.fanout.summary(),
    perDeliveryMs: tracker.perDelivery.summary(),
    delivery: { updates: tracker.updates, expected: tracker.expected, delivered: tracker.delivered, lost },
    converged,
    serverCopyMatches,
    windowSeconds,
    server: {
      cpuSeconds: serverCpuSeconds,
      /** Share of cpuSeconds spent in the kernel (socket writes and reads, fsync). */
      systemShare: serverCpuSeconds > 0 ? serverSystemSeconds / serverCpuSeconds : 0,
      cpuUtil: serverUtil,
      deliveriesInWindow: tracker.deliveriesInWindow,
      cpuUsPerDelivery: (serverCpuSeconds * 1e6) / tracker.deliveriesInWindow,
      rssStartMiB,
      rssAfterConnectMiB,
      rssMaxMiB: Math.max(...rssSamples),
      hwmMiB,
    },
    harness: { cpuUtil: harnessUtil, eventLoopP99Ms, eventLoopMaxMs: loopDelay.max / 1e6 },
    traffic: {
      framesToClients: perSecond('framesIn'),
      bytesToClients: perSecond('bytesIn'),
      updatesToClients: perSecond('updatesIn'),
      awarenessToClients: perSecond('awarenessIn'),
      framesFromClients: perSecond('framesOut'),
    },
    otherCpuUtil,
    warnings,
  };
}
