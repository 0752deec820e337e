// Turns the per-run results into what a reader needs: medians per scenario and server, Concord/peer ratios,
// and the issue's targets as pass/fail lines. Tables are Markdown so they can go into the README as printed.
import type { ColdJoinResult } from './cold-join.js';
import type { LiveScenarioResult } from './live-scenario.js';
import type { ServerKind } from './servers.js';
import { SERVER_LABELS } from './servers.js';
import { median, round } from './stats.js';

export interface ScenarioSpec {
  id: string;
  title: string;
  kind: 'live' | 'cold';
  rooms: number;
  clientsPerRoom: number;
  writersPerRoom: number;
}

export interface RunRecord {
  run: number;
  /** 1, or more when an earlier attempt was superseded because the machine was busy. */
  attempt: number;
  /** Why this record is not in the summaries (kept in the JSON for the record). */
  superseded?: string;
  scenario: string;
  server: ServerKind;
  startedAt: string;
  /** CPU, in cores, other processes used in the second before the scenario started. */
  busyCoresBefore?: number;
  error?: string;
  live?: LiveScenarioResult;
  cold?: ColdJoinResult;
}

export interface LiveSummary {
  runs: number;
  failedRuns: number;
  fanoutP50: number;
  fanoutP95: number;
  fanoutP99: number;
  fanoutMax: number;
  p99PerRun: number[];
  handshakeP50: number;
  handshakeP99: number;
  /** Update deliveries (update × receiver), summed over the runs. */
  delivered: number;
  expected: number;
  lost: number;
  converged: boolean;
  serverCpuUtil: number;
  cpuUsPerDelivery: number;
  hwmMiB: number;
  harnessCpuUtil: number;
  /** CPU, in cores, that other processes on the machine used during the window (noise). */
  otherCpuUtil: number;
  warnings: string[];
}

export interface ColdSummary {
  runs: number;
  failedRuns: number;
  stateKiB: number;
  uploadSeconds: number;
  joinTotalMs: number;
  joinServerMs: number;
  joinServerMaxMs: number;
  joinClientApplyMs: number;
  burstP50: number;
  burstP99: number;
  burstMax: number;
  burstComplete: string;
  burstServerCpuSeconds: number;
  hwmMiB: number;
  otherCpuUtil: number;
  warnings: string[];
}

export interface Summaries {
  live: Record<string, Partial<Record<ServerKind, LiveSummary>>>;
  cold: Record<string, Partial<Record<ServerKind, ColdSummary>>>;
}

const med = <T>(items: T[], pick: (item: T) => number): number => median(items.map(pick));

export function summarize(
  specs: readonly ScenarioSpec[],
  records: readonly RunRecord[],
  servers: readonly ServerKind[],
): Summaries {
  const summaries: Summaries = { live: {}, cold: {} };
  for (const spec of specs) {
    for (const server of servers) {
      const mine = records.filter((r) => r.scenario === spec.id && r.server === server);
      if (mine.length === 0) continue;
      const failedRuns = mine.filter((r) => r.error !== undefined).length;
      const warnings = [
        ...new Set(
          mine.flatMap((r) => [
            ...(r.live?.warnings ?? []),
            ...(r.cold?.warnings ?? []),
            ...(r.error ? [r.error.split('\n')[0] ?? ''] : []),
          ]),
        ),
      ];
      if (spec.kind === 'live') {
        const results = mine.flatMap((r) => (r.live ? [r.live] : []));
        (summaries.live[spec.id] ??= {})[server] = {
          runs: mine.length,
          failedRuns,
          fanoutP50: med(results, (r) => r.fanoutMs.p50),
          fanoutP95: med(results, (r) => r.fanoutMs.p95),
          fanoutP99: med(results, (r) => r.fanoutMs.p99),
          fanoutMax: med(results, (r) => r.fanoutMs.max),
          p99PerRun: results.map((r) => round(r.fanoutMs.p99)),
          handshakeP50: med(results, (r) => r.handshakeMs.p50),
          handshakeP99: med(results, (r) => r.handshakeMs.p99),
          delivered: results.reduce((n, r) => n + r.delivery.delivered, 0),
          expected: results.reduce((n, r) => n + r.delivery.expected, 0),
          lost: results.reduce((n, r) => n + r.delivery.lost, 0),
          converged: results.length > 0 && results.every((r) => r.converged && r.serverCopyMatches),
          serverCpuUtil: med(results, (r) => r.server.cpuUtil),
          cpuUsPerDelivery: med(results, (r) => r.server.cpuUsPerDelivery),
          hwmMiB: med(results, (r) => r.server.hwmMiB),
          harnessCpuUtil: med(results, (r) => r.harness.cpuUtil),
          otherCpuUtil: med(results, (r) => r.otherCpuUtil),
          warnings,
        };
      } else {
        const results = mine.flatMap((r) => (r.cold ? [r.cold] : []));
        (summaries.cold[spec.id] ??= {})[server] = {
          runs: mine.length,
          failedRuns,
          stateKiB: med(results, (r) => r.stateBytes / 1024),
          uploadSeconds: med(results, (r) => r.upload.seconds),
          joinTotalMs: med(results, (r) => r.joinTotalMs.p50),
          joinServerMs: med(results, (r) => r.joinServerMs.p50),
          joinServerMaxMs: Math.max(...results.map((r) => r.joinServerMs.max)),
          joinClientApplyMs: med(results, (r) => median(r.joins.map((j) => j.clientApplyMs))),
          burstP50: med(results, (r) => r.burst.receivedMs.p50),
          burstP99: med(results, (r) => r.burst.receivedMs.p99),
          burstMax: med(results, (r) => r.burst.receivedMs.max),
          burstComplete: results.map((r) => `${r.burst.complete}/${r.burst.clients}`).join(', '),
          burstServerCpuSeconds: med(results, (r) => r.burst.serverCpuSeconds),
          hwmMiB: med(results, (r) => r.server.hwmMiB),
          otherCpuUtil: med(results, (r) => r.otherCpuUtil),
          warnings,
        };
      }
    }
  }
  return summaries;
}

const fmt = (value: number, digits = 3): string => (Number.isFinite(value) ? String(round(value, digits)) : '–');
const pct = (value: number): string => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : '–');
const ratio = (ours: number | undefined, peer: number | undefined): number =>
  ours === undefined || peer === undefined || peer === 0 ? Number.NaN : ours / peer;
const fmtRatio = (value: number): string => (Number.isFinite(value) ? `${round(value, 2)}×` : '–');

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function renderTables(specs: readonly ScenarioSpec[], summaries: Summaries, servers: readonly ServerKind[]): string {
  const parts: string[] = [];
  const liveRows: string[][] = [];
  for (const spec of specs.filter((s) => s.kind === 'live')) {
    for (const server of servers) {
      const s = summaries.live[spec.id]?.[server];
      if (!s) continue;
      liveRows.push([
        spec.title,
        SERVER_LABELS[server],
        `${s.runs - s.failedRuns}/${s.runs}`,
        `${fmt(s.fanoutP50)} / ${fmt(s.fanoutP95)} / **${fmt(s.fanoutP99)}** (${s.p99PerRun.map((v) => fmt(v, 2)).join(', ')})`,
        fmt(s.fanoutMax),
        `${s.delivered}/${s.expected}${s.lost > 0 ? ` ⚠ ${s.lost} lost` : ''}${s.converged ? ', converged' : ' ⚠ diverged'}`,
        pct(s.serverCpuUtil),
        fmt(s.cpuUsPerDelivery),
        fmt(s.hwmMiB),
        `${pct(s.harnessCpuUtil)}${s.harnessCpuUtil > 0.85 ? ' ⚠' : ''}`,
        `${fmt(s.handshakeP50)} / ${fmt(s.handshakeP99)}`,
        `${pct(s.otherCpuUtil)}${s.otherCpuUtil > 0.1 ? ' ⚠' : ''}`,
      ]);
    }
  }
  if (liveRows.length > 0) {
    parts.push(
      table(
        [
          'load',
          'server',
          'runs ok',
          'fan-out p50 / p95 / p99 ms (p99 per run)',
          'max ms',
          'delivered / expected',
          'server CPU',
          'server µs / delivery',
          'server peak RSS MiB',
          'load-gen CPU',
          'handshake p50 / p99 ms',
          "others' CPU",
        ],
        liveRows,
      ),
    );
  }
  const coldRows: string[][] = [];
  for (const spec of specs.filter((s) => s.kind === 'cold')) {
    for (const server of servers) {
      const s = summaries.cold[spec.id]?.[server];
      if (!s) continue;
      coldRows.push([
        spec.title,
        SERVER_LABELS[server],
        `${s.runs - s.failedRuns}/${s.runs}`,
        fmt(s.uploadSeconds),
        `${fmt(s.joinTotalMs)} (${fmt(s.joinServerMs)}; worst ${fmt(s.joinServerMaxMs)})`,
        fmt(s.joinClientApplyMs),
        `${fmt(s.burstP50)} / **${fmt(s.burstP99)}** / ${fmt(s.burstMax)}`,
        s.burstComplete,
        fmt(s.burstServerCpuSeconds),
        fmt(s.hwmMiB),
        `${pct(s.otherCpuUtil)}${s.otherCpuUtil > 0.1 ? ' ⚠' : ''}`,
      ]);
    }
  }
  if (coldRows.length > 0) {
    parts.push(
      table(
        [
          'cold load',
          'server',
          'runs ok',
          'upload s',
          'fresh join ms, median (server share; worst)',
          'client apply ms',
          '50 at once p50 / p99 / max ms',
          'full state',
          'burst server CPU s',
          'server peak RSS MiB',
          "others' CPU",
        ],
        coldRows,
      ),
    );
  }
  return parts.join('\n\n');
}

export interface Ratios {
  live: Record<string, { p50: number; p99: number; max: number; cpuPerDelivery: number; peakRss: number }>;
  cold: Record<string, { joinServer: number; joinTotal: number; burstP99: number; burstMax: number; peakRss: number }>;
}

/** Concord ÷ peer for every figure where lower is better (so < 1 means Concord is better). */
export function computeRatios(specs: readonly ScenarioSpec[], summaries: Summaries): Ratios {
  const ratios: Ratios = { live: {}, cold: {} };
  for (const spec of specs) {
    if (spec.kind === 'live') {
      const ours = summaries.live[spec.id]?.concord;
      const peer = summaries.live[spec.id]?.peer;
      if (!ours || !peer) continue;
      ratios.live[spec.id] = {
        p50: ratio(ours.fanoutP50, peer.fanoutP50),
        p99: ratio(ours.fanoutP99, peer.fanoutP99),
        max: ratio(ours.fanoutMax, peer.fanoutMax),
        cpuPerDelivery: ratio(ours.cpuUsPerDelivery, peer.cpuUsPerDelivery),
        peakRss: ratio(ours.hwmMiB, peer.hwmMiB),
      };
    } else {
      const ours = summaries.cold[spec.id]?.concord;
      const peer = summaries.cold[spec.id]?.peer;
      if (!ours || !peer) continue;
      ratios.cold[spec.id] = {
        joinServer: ratio(ours.joinServerMs, peer.joinServerMs),
        joinTotal: ratio(ours.joinTotalMs, peer.joinTotalMs),
        burstP99: ratio(ours.burstP99, peer.burstP99),
        burstMax: ratio(ours.burstMax, peer.burstMax),
        peakRss: ratio(ours.hwmMiB, peer.hwmMiB),
      };
    }
  }
  return ratios;
}

export function renderRatios(specs: readonly ScenarioSpec[], ratios: Ratios): string {
  const rows: string[][] = [];
  for (const spec of specs) {
    const live = ratios.live[spec.id];
    if (live) {
      const latency = `p50 ${fmtRatio(live.p50)}, p99 ${fmtRatio(live.p99)}, max ${fmtRatio(live.max)}`;
      rows.push([spec.title, latency, fmtRatio(live.cpuPerDelivery), fmtRatio(live.peakRss)]);
    }
    const cold = ratios.cold[spec.id];
    if (cold) {
      const latency =
        `join server share ${fmtRatio(cold.joinServer)}, join total ${fmtRatio(cold.joinTotal)}, ` +
        `50-at-once p99 ${fmtRatio(cold.burstP99)}, max ${fmtRatio(cold.burstMax)}`;
      rows.push([spec.title, latency, '–', fmtRatio(cold.peakRss)]);
    }
  }
  if (rows.length === 0) return '';
  return table(['load', 'latency, Concord / peer', 'server CPU per delivery', 'peak RSS'], rows);
}

export interface TargetCheck {
  target: string;
  pass: boolean;
  detail: string;
}

/** The issue's targets, checked against the medians. */
export function checkTargets(specs: readonly ScenarioSpec[], summaries: Summaries): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const spec of specs) {
    if (spec.kind === 'live') {
      const ours = summaries.live[spec.id]?.concord;
      const peer = summaries.live[spec.id]?.peer;
      if (!ours) continue;
      checks.push({
        target: `${spec.id}: zero loss, converged`,
        pass: ours.lost === 0 && ours.converged && ours.failedRuns === 0,
        detail: `lost ${ours.lost}, converged ${ours.converged}`,
      });
      if (!peer) continue;
      checks.push({
        target: `${spec.id}: fan-out p99 no worse than the peer's`,
        pass: ours.fanoutP99 <= peer.fanoutP99,
        detail: `${fmt(ours.fanoutP99)} vs ${fmt(peer.fanoutP99)} ms`,
      });
      // The floor relay, when measured, shows how far this target is reachable on this machine at all.
      const floor = summaries.live[spec.id]?.floor;
      checks.push({
        target: `${spec.id}: server CPU per delivery ≤ half the peer's`,
        pass: ours.cpuUsPerDelivery <= peer.cpuUsPerDelivery / 2,
        detail:
          `${fmt(ours.cpuUsPerDelivery)} vs ${fmt(peer.cpuUsPerDelivery)} µs` +
          (floor ? `; floor relay ${fmt(floor.cpuUsPerDelivery)} µs, ${fmtRatio(ratio(floor.cpuUsPerDelivery, peer.cpuUsPerDelivery))} the peer's` : ''),
      });
    } else {
      const ours = summaries.cold[spec.id]?.concord;
      const peer = summaries.cold[spec.id]?.peer;
      if (!ours) continue;
      checks.push({
        target: `${spec.id}: fresh join server share < 5 ms`,
        pass: ours.joinServerMs < 5,
        detail: `median ${fmt(ours.joinServerMs)} ms, worst ${fmt(ours.joinServerMaxMs)} ms`,
      });
      if (!peer) continue;
      checks.push({
        target: `${spec.id}: 50 simultaneous joins p99 ≤ half the peer's`,
        pass: ours.burstP99 <= peer.burstP99 / 2,
        detail: `${fmt(ours.burstP99)} vs ${fmt(peer.burstP99)} ms`,
      });
    }
  }
  return checks;
}

export function renderTargets(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.pass ? 'PASS' : 'FAIL'}  ${c.target} (${c.detail})`).join('\n');
}
