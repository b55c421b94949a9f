#!/usr/bin/env bash
# Installs what kmipd needs when it is missing, so that `npm start` and `npm test` work on a fresh machine:
# the Debian packages softhsm2 (the PKCS#11 token) and openssl (the development certificates), with --test also
# python3-pykmip (the reference client the tests run); and the npm packages when node_modules is absent.
# Needs root (or sudo) only when a Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
need=()
command -v softhsm2-util >/dev/null 2>&1 || need+=(softhsm2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
if [ "${1:-}" = "--test" ]; then
  /usr/bin/python3 -c 'import kmip' >/dev/null 2>&1 || need+=(python3-pykmip)
fi
[ "${#need[@]}" -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
