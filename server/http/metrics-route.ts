// `GET /metrics`: Prometheus text format, for whoever runs Concord to watch it (and for the benchmark).
// Counts only — no document ids, names or text, so it tells nobody outside a room what is drafted in it.
import type { Hono } from 'hono';
import type { LatencyHistogram } from '../collaboration/latency-histogram.js';

export interface MetricsSources {
  relayLatency(): LatencyHistogram;
  storeCommitLatency(): LatencyHistogram;
  storeSyncLatency(): LatencyHistogram;
  documentsInMemory(): number;
  connections(): number;
  storageFailing(): boolean;
}

const RELAY_METRIC = 'concord_relay_latency_seconds';
const STORE_COMMIT_METRIC = 'concord_store_commit_seconds';
const STORE_SYNC_METRIC = 'concord_store_sync_seconds';

/** Seconds as Prometheus labels them: enough digits to keep 9%-wide buckets apart. */
const seconds = (ms: number): string => String(Number((ms / 1000).toPrecision(6)));

function histogramLines(name: string, help: string, histogram: LatencyHistogram): string[] {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  let cumulative = 0;
  histogram.boundsMs.forEach((bound, i) => {
    cumulative += histogram.counts[i] ?? 0;
    lines.push(`${name}_bucket{le="${seconds(bound)}"} ${cumulative}`);
  });
  lines.push(`${name}_bucket{le="+Inf"} ${histogram.count}`, `${name}_sum ${histogram.sumMs / 1000}`, `${name}_count ${histogram.count}`);
  return lines;
}

export function renderMetrics(sources: MetricsSources): string {
  const lines = [
    ...histogramLines(RELAY_METRIC, 'From the turn an edit is accepted to the turn it is relayed to the others (committed first).', sources.relayLatency()),
    ...histogramLines(STORE_COMMIT_METRIC, 'One group commit: writing it to the store (it then survives a crash of the server).', sources.storeCommitLatency()),
    ...histogramLines(STORE_SYNC_METRIC, 'From a group commit until it survives a power loss too (saves are acknowledged then), back on the event loop.', sources.storeSyncLatency()),
  ];
  const gauge = (name: string, help: string, value: number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  };
  gauge('concord_documents_in_memory', 'Documents loaded in memory.', sources.documentsInMemory());
  gauge('concord_connections', 'Open websocket connections.', sources.connections());
  gauge('concord_storage_failing', '1 while commits or syncs fail and are being retried.', sources.storageFailing() ? 1 : 0);
  return `${lines.join('\n')}\n`;
}

export function mountMetricsRoute(app: Hono, sources: MetricsSources): void {
  app.get('/metrics', (c) => c.text(renderMetrics(sources), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
}

/** Reads a histogram back from /metrics text (cumulative buckets → per-bucket counts). */
export function parseHistogram(text: string, name: string): LatencyHistogram {
  const boundsMs: number[] = [];
  const cumulative: number[] = [];
  let sumMs = 0;
  let count = 0;
  const bucketLine = new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`);
  for (const line of text.split('\n')) {
    const bucket = bucketLine.exec(line);
    if (bucket) {
      if (bucket[1] !== '+Inf') {
        boundsMs.push(Number(bucket[1]) * 1000);
        cumulative.push(Number(bucket[2]));
      }
      continue;
    }
    if (line.startsWith(`${name}_sum `)) sumMs = Number(line.split(' ')[1]) * 1000;
    if (line.startsWith(`${name}_count `)) count = Number(line.split(' ')[1]);
  }
  if (boundsMs.length === 0) throw new Error(`no ${name} histogram in the metrics`);
  const counts = cumulative.map((n, i) => n - (i === 0 ? 0 : (cumulative[i - 1] as number)));
  counts.push(count - (cumulative[cumulative.length - 1] ?? 0));
  return { boundsMs, counts, sumMs, count };
}

export const parseRelayLatency = (text: string): LatencyHistogram => parseHistogram(text, RELAY_METRIC);
export const parseStoreCommitLatency = (text: string): LatencyHistogram => parseHistogram(text, STORE_COMMIT_METRIC);
export const parseStoreSyncLatency = (text: string): LatencyHistogram => parseHistogram(text, STORE_SYNC_METRIC);
