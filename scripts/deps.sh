#!/usr/bin/env bash
# Installs what the tests and the demo need on Debian when it is missing:
# Chromium (headless rendering) and a CJK font (screenshots without boxes),
# tmux for the end-to-end UI test. Says what it does.
set -euo pipefail
need=()
[ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -i wqy >/dev/null || need+=(fonts-wqy-microhei)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "deps: installing ${need[*]} (Debian packages)"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "deps: installed ${need[*]}"
