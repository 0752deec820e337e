#!/usr/bin/env bash
# `npm test`: everything CI checks, in order — type check, lint, unit + integration tests (Vitest),
# client build, browser tests. Every step runs even after an earlier one failed, so one run shows
# every problem; the exit status is non-zero if any step failed. The last line sums the test counts
# of Vitest and the browser runner: `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."

section() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\n\033[31mtest.sh: %s\033[0m\n' "$*" >&2; exit 1; }

# --- dependencies -------------------------------------------------------------------------------
# npm writes node_modules/.package-lock.json on every install: older than package-lock.json means
# the lockfile changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  section "Installing dependencies (npm ci)"
  npm ci
fi

# --- system packages for the browser tests ------------------------------------------------------
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
missing_system_deps() {
  local missing=()
  [[ -x "$CHROMIUM" ]] || missing+=("Chromium at $CHROMIUM")
  if ! command -v fc-list >/dev/null 2>&1; then
    missing+=("fontconfig (fc-list)")
  else
    # Not `fc-list | grep -q`: grep exits at the first match, fc-list dies of SIGPIPE, and pipefail
    # would call the font missing.
    local fonts
    fonts="$(fc-list)"
    grep -q 'Noto Nastaliq Urdu' <<<"$fonts" || missing+=("font Noto Nastaliq Urdu")
    grep -q 'Noto Naskh Arabic' <<<"$fonts" || missing+=("font Noto Naskh Arabic")
  fi
  command -v pdftotext >/dev/null 2>&1 || missing+=("pdftotext (poppler-utils)")
  command -v unzip >/dev/null 2>&1 || missing+=("unzip (to read exported DOCX files)")
  (( ${#missing[@]} == 0 )) || printf '%s\n' "${missing[@]}"
}
missing="$(missing_system_deps)"
if [[ -n "$missing" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    section "Installing system packages for the browser tests"
    printf 'missing:\n%s\n' "$missing"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-core poppler-utils unzip
    missing="$(missing_system_deps)"
    [[ -z "$missing" ]] || die "still missing after apt-get install:"$'\n'"$missing"
  else
    die "the browser tests need system packages that are missing:
$missing
Install them with (as root, Debian/Ubuntu):
  apt-get update && apt-get install -y chromium fonts-noto-core poppler-utils unzip
or point CHROMIUM_PATH at an existing Chromium binary."
  fi
fi

# --- the steps ----------------------------------------------------------------------------------
results_dir="$(mktemp -d)"
trap 'rm -rf "$results_dir"' EXIT
failed_steps=()
step() {
  local name="$1"
  shift
  section "$name"
  if "$@"; then
    printf '\033[32m--- %s: ok\033[0m\n' "$name"
  else
    printf '\033[31m--- %s: FAILED\033[0m\n' "$name"
    failed_steps+=("$name")
  fi
}

step "Type check (tsc --noEmit)" npx tsc --noEmit -p tsconfig.json
step "Lint (eslint)" npx eslint .
step "Unit and integration tests (vitest)" \
  npx vitest run --reporter=default --reporter=json --outputFile.json="$results_dir/vitest.json"
step "Client build (vite build)" npx vite build
e2e_tests() { npx tsx scripts/e2e.ts 2>&1 | tee "$results_dir/e2e.log"; }
step "Browser tests (scripts/e2e.ts)" e2e_tests

# --- summary ------------------------------------------------------------------------------------
passed=0
failed=0
vitest_counts="$(node -e '
  const fs = require("node:fs");
  try {
    const r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    console.log(`${r.numPassedTests ?? 0} ${r.numFailedTests ?? 0} ${r.numFailedTestSuites ?? 0}`);
  } catch { console.log("none"); }
' "$results_dir/vitest.json")"
if [[ "$vitest_counts" == none ]]; then
  echo "note: vitest wrote no results; counted as 1 failure"
  failed=$((failed + 1))
else
  read -r v_passed v_failed v_failed_files <<<"$vitest_counts"
  passed=$((passed + v_passed))
  failed=$((failed + v_failed))
  # A file that fails to load has no failed tests of its own; count it so the total cannot read 0.
  if (( v_failed == 0 && v_failed_files > 0 )); then failed=$((failed + v_failed_files)); fi
fi
e2e_line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$results_dir/e2e.log" 2>/dev/null | tail -n 1 || true)"
if [[ -z "$e2e_line" ]]; then
  echo "note: the browser runner printed no 'N passed, M failed' line; counted as 1 failure"
  failed=$((failed + 1))
else
  e2e_passed="$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$e2e_line")"
  e2e_failed="$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$e2e_line")"
  passed=$((passed + e2e_passed))
  failed=$((failed + e2e_failed))
fi

section "Summary"
if (( ${#failed_steps[@]} > 0 )); then
  printf 'failed steps:\n'
  printf '  - %s\n' "${failed_steps[@]}"
fi
echo "$passed passed, $failed failed"
(( ${#failed_steps[@]} == 0 && failed == 0 ))
