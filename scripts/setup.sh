#!/usr/bin/env bash
# Installs the Debian 12 packages LWC needs to build, test and run.
# Idempotent: packages already installed are skipped; when nothing is missing, nothing runs.
# Must run as root (or with sudo available) on Debian 12.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsqlite3-dev sqlite3 libcurl4-openssl-dev nlohmann-json3-dev libboost1.81-dev libssl-dev openssl
  faketime libsodium-dev libcli11-dev libdeflate-dev libsimdjson-dev
  libimgui-dev libglfw3-dev libgl-dev libstb-dev libfreetype-dev fonts-thai-tlwg
  catch2 xvfb xauth curl ca-certificates
  chromium
)

# Node.js and npm for the browser test (playwright-core): from Debian unless a Node.js is already
# there (e.g. a newer one that brings its own npm).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
