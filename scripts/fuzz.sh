#!/usr/bin/env bash
# Runs every fuzz target of the module briefly: go test -fuzz takes one
# target per run, so list them and run each for the given time.
set -euo pipefail
t=${1:-10s}
for dir in $(go list -f '{{.Dir}}' ./...); do
  pkg=$(go list "$dir")
  for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "fuzz: $pkg $f ($t)"
    go test "$pkg" -run='^$' -fuzz="^${f}\$" -fuzztime="$t" -fuzzminimizetime=2s
  done
done
