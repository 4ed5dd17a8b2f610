#!/usr/bin/env bash
# Installs what edge_core and the tests use on this host when missing and we are root: the Docker engine,
# mosquitto (+clients) and busybox-static (the offline image). Used by `npm start` and `npm test`.
# Starting dockerd is left to the caller (quick start or test/support/docker.ts), with its own socket and data root.
set -u
[ "$(id -u)" = 0 ] || { echo "not root: skipping machine preparation"; exit 0; }
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v mosquitto >/dev/null 2>&1 || need+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need+=(mosquitto-clients)
command -v busybox >/dev/null 2>&1 || [ -x /bin/busybox ] || need+=(busybox-static)
[ ${#need[@]} = 0 ] && { echo "machine ready"; exit 0; }
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 || apt-get install -y --no-install-recommends "${need[@]}"
# the Debian mosquitto package starts a system broker on 1883; tests run their own on random ports
(command -v systemctl >/dev/null && systemctl disable --now mosquitto >/dev/null 2>&1) || pkill -x mosquitto 2>/dev/null || true
echo "installed: ${need[*]}"
