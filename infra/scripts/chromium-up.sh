#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests (Playwright drives it headless through
# CHROMIUM_PATH; Playwright's own browser download cannot work without the internet). Prints the binary's path.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "[chromium] not found at $CHROMIUM; installing Debian's chromium package" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends chromium >&2 ||
    { $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq --no-install-recommends chromium >&2; }
fi
"$CHROMIUM" --version >&2
echo "$CHROMIUM"
