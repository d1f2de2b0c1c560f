#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/web/), and a colour emoji font so the
# screenshots show the assistant's "🚨" instead of an empty box. Does nothing when both are
# there (idempotent). Playwright's own browser download cannot be used on these machines; the
# tests drive /usr/bin/chromium through the `playwright` Python package instead. Needs root.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
packages=()
[ -x "$CHROMIUM" ] || packages+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q "ok installed" \
  || packages+=(fonts-noto-color-emoji)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${packages[*]}; installing needs root: apt-get install -y ${packages[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${packages[@]}" > /dev/null
echo "installed: ${packages[*]}"
