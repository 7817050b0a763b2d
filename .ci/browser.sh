#!/usr/bin/env bash
# Install Debian's Chromium and its ChromeDriver for the browser tests (tests/browser_kit.py).
#
# Usage: bash .ci/browser.sh        (must run as root; idempotent: installed packages are kept)
# No browser is downloaded from anywhere but Debian's archive.
set -euo pipefail

say() { echo "browser.sh: $*" >&2; }

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  say "Chromium and ChromeDriver are installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  say "must run as root (uses apt-get)"
  exit 1
fi
say "installing chromium and chromium-driver from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
say "installed $(/usr/bin/chromium --version 2>/dev/null | tail -1)"
