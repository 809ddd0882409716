#!/usr/bin/env bash
# The probe's throughput on the full synthetic province (seed 1, loopback
# only) against a bare chromedp loop over the same pages with the same
# concurrency: pages/s, links/s, their ratio, peak memory of the process
# tree (Chrome included) and the sweep's time.
#   BENCH_CONCURRENCY=N  tabs / targets at once (default 4, the CLI's)
#   BENCH_SMALL=1        the small province (a quick look)
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./probe -run '^$' -bench '^BenchmarkProbeProvince$' -benchtime 1x -count 1 -timeout 30m
