#!/usr/bin/env bash
# Checks the licence of every module the binary links, by reading the
# LICENSE file each one ships in the module cache: GPL/AGPL/LGPL fail.
set -euo pipefail
bad=0
while read -r mod dir; do
  [ -n "$dir" ] || continue
  f=$(ls "$dir" 2>/dev/null | grep -iE '^(licen[cs]e|copying)' | head -n1 || true)
  if [ -z "$f" ]; then echo "?        $mod (no licence file)"; continue; fi
  text=$(head -c 4000 "$dir/$f")
  kind=other
  case "$text" in
    *"GNU AFFERO"*|*"GNU GENERAL PUBLIC"*|*"GNU LESSER"*|*"GNU LIBRARY"*) kind=GPL ;;
    *"Apache License"*) kind=Apache-2.0 ;;
    *"Permission is hereby granted, free of charge"*) kind=MIT ;;
    *"Redistribution and use in source and binary forms"*) kind=BSD ;;
    *"Mozilla Public License"*) kind=MPL-2.0 ;;
    *"ISC License"*|*"Permission to use, copy, modify, and/or distribute"*) kind=ISC ;;
  esac
  printf '%-10s %s\n' "$kind" "$mod"
  [ "$kind" != GPL ] || bad=1
done < <(go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Dir}}{{end}}{{end}}' ./cmd/inspector | sort -u)
if [ $bad -ne 0 ]; then echo "licences: a GPL-family dependency is linked" >&2; exit 1; fi
