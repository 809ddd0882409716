#!/usr/bin/env bash
# The store's figures for a laptop: the database size of a full round of
# the synthetic province (screenshots as JPEG once per content hash, pages
# gzip-compressed), and the time to merge two 500-target bundles.
# Standalone; `make bench` calls it. Nothing leaves the machine: the
# province is served in process.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(go test ./store -run '^$' -bench 'BenchmarkMerge|BenchmarkRoundSize' -benchtime 1x -count 1 -timeout 30m 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E '^(Benchmark|goos|goarch|cpu|ok|PASS|FAIL)|bundle_test.go' || true
size=$(echo "$out" | awk '/^BenchmarkRoundSize/ { for (i = 1; i < NF; i++) if ($(i+1) == "MB") print $i }')
merge=$(echo "$out" | awk '/^BenchmarkMerge/ { for (i = 1; i < NF; i++) if ($(i+1) == "ms/merge") print $i }')
echo
echo "store: full synthetic round ${size:-?} MB (budget 200 MB); merge of two 500-target bundles ${merge:-?} ms"
