#!/bin/sh
# Starts the export browser ($CONCORD_CHROMIUM, with the arguments Playwright passes) at the lowest CPU
# priority, so that PDF rendering only uses CPU time the live editing server leaves idle: SCHED_IDLE
# where chrt exists (Linux, util-linux), else nice 19. Every Chromium process inherits it.
if [ -z "$CONCORD_CHROMIUM" ]; then
  echo "CONCORD_CHROMIUM is not set" >&2
  exit 127
fi
if command -v chrt >/dev/null 2>&1 && chrt --idle 0 true >/dev/null 2>&1; then
  exec chrt --idle 0 "$CONCORD_CHROMIUM" "$@"
fi
if command -v nice >/dev/null 2>&1; then
  exec nice -n 19 "$CONCORD_CHROMIUM" "$@"
fi
exec "$CONCORD_CHROMIUM" "$@"
