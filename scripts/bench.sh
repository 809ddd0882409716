#!/usr/bin/env bash
# make bench: every benchmark of the project, each printing its figures
# against a baseline measured in the same run. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== probe: full synthetic province vs a bare chromedp loop =="
if [ -x scripts/bench-probe.sh ]; then bash scripts/bench-probe.sh; else echo "(scripts/bench-probe.sh missing)"; fi
echo
echo "== review UI: key-to-frame over 515 targets and 20 000 findings =="
go test ./tui -run '^$' -bench 'BenchmarkKeyToFrame|BenchmarkFirstFrame' -benchtime 200x -count 1
echo
echo "== store: size of a full round, merge of two 500-target bundles =="
if [ -x scripts/bench-store.sh ]; then bash scripts/bench-store.sh; else echo "(scripts/bench-store.sh missing)"; fi
