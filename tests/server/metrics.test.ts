// GET /metrics: what an operator scrapes (Prometheus text). The relay histogram counts every edit the
// server relayed, from the turn it accepted it to the turn it sent it on (committed first); nothing in
// the output names a document or a person.
import { describe, expect, it } from 'vitest';
import { LatencyRecorder, quantileBetween } from '../../server/collaboration/latency-histogram.js';
import { parseRelayLatency, parseStoreCommitLatency, parseStoreSyncLatency, renderMetrics } from '../../server/http/metrics-route.js';
import { connectProvider } from '../helpers/provider.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

const DOC = 'metrics-room-secret-title';

describe('metrics', () => {
  it('counts each relayed edit with its time in the server, and the rooms and sockets open, naming no document', async () => {
    const server = await startTestServer();
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.text();
    };
    const firstScrape = await scrape();
    const before = parseRelayLatency(firstScrape);
    const commitsBefore = parseStoreCommitLatency(firstScrape);
    const syncsBefore = parseStoreSyncLatency(firstScrape);
    const [writer, reader] = await Promise.all([connectProvider(server.url, DOC), connectProvider(server.url, DOC)]);
    const edits = 12;
    for (let i = 0; i < edits; i++) {
      writer.doc.getText('text').insert(0, 'x');
      await waitFor(() => reader.doc.getText('text').length === i + 1);
    }

    const text = await scrape();
    const after = parseRelayLatency(text);
    expect(after.count - before.count).toBe(edits);
    // Each edit was committed (perhaps with others in one group commit) before it was relayed.
    const commits = parseStoreCommitLatency(text).count - commitsBefore.count;
    expect(commits).toBeGreaterThanOrEqual(1);
    expect(commits).toBeLessThanOrEqual(edits);
    // And each commit is then made durable (the writer's save acknowledgements wait for that).
    await waitFor(async () => parseStoreSyncLatency(await scrape()).count - syncsBefore.count === commits, {
      message: 'every commit to be synced',
    });
    // Cumulative buckets that never decrease, ending at the count.
    const buckets = [...text.matchAll(/^concord_relay_latency_seconds_bucket\{le="[^"]+"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(buckets.every((n, i) => i === 0 || n >= (buckets[i - 1] as number))).toBe(true);
    expect(buckets[buckets.length - 1]).toBe(after.count);
    const median = quantileBetween(before, after, 0.5);
    expect(median).toBeGreaterThan(0);
    expect(median).toBeLessThan(after.sumMs); // within what was recorded at all
    expect(text).toMatch(/^concord_connections 2$/m);
    expect(text).toMatch(/^concord_documents_in_memory 1$/m);
    expect(text).toMatch(/^concord_storage_failing 0$/m);
    expect(text).not.toContain(DOC);
  });

  it('reads quantiles of the span between two scrapes to within a bucket (9%)', () => {
    const histogram = new LatencyRecorder();
    for (let ms = 1; ms <= 1000; ms++) histogram.record(500); // before the span: all at 500 ms
    const before = parseRelayLatency(renderFor(histogram));
    for (let ms = 1; ms <= 1000; ms++) histogram.record(ms / 10); // the span: 0.1 … 100 ms, evenly
    const after = parseRelayLatency(renderFor(histogram));
    expect(Math.abs(quantileBetween(before, after, 0.5) / 50 - 1)).toBeLessThan(0.09);
    expect(Math.abs(quantileBetween(before, after, 0.99) / 99 - 1)).toBeLessThan(0.09);
    expect(quantileBetween(after, after, 0.5)).toBeNaN();
  });
});

function renderFor(histogram: LatencyRecorder): string {
  const empty = new LatencyRecorder();
  return renderMetrics({ relayLatency: () => histogram.snapshot(), storeCommitLatency: () => empty.snapshot(), storeSyncLatency: () => empty.snapshot(), documentsInMemory: () => 0, connections: () => 0, storageFailing: () => false });
}
