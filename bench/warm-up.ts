// How long a live load types before its measured window opens: one rule for `npm run bench` and
// `bench/cross-check.ts`.
//
// The window is meant to show a server as it runs all week, so each load types long enough first for
// V8 to have optimised the server's path: ~1,200–3,200 edits. With 5 s at 1×16 (160 edits), Concord's
// longer path (validate, commit, presence checks) was still being compiled by TurboFan in the window
// (~20% of its samples) and its 1×16 figures were 1.4–1.5× the peer's; after 60 s they were 1.1× (CPU)
// and 1.06× (p99), the peer's own unchanged. One room (1×16: 32 edits a second, 1×200: 20) needs a
// minute. Twenty rooms type twenty times as fast, so 5 s is as much; a minute there would only grow
// the load generator's 320 documents until it saturates its core and measures itself. `--warmup 5`
// shows any load on a freshly started server.

export function defaultWarmupSeconds(rooms: number): number {
  return rooms > 1 ? 5 : 60;
}
