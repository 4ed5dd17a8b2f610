#!/usr/bin/env bash
# Installs, in one apt-get run, the Debian packages this host lacks, when we are root:
#   always (npm start and npm test): docker.io (the Docker engine), mosquitto + mosquitto-clients, busybox-static
#   (the offline image);
#   with --for-tests, also what the suite uses: qemu-user-static and binutils-arm-linux-gnueabihf (ARM binaries under
#   emulation), patchelf (the armv6 bundle), etcd-server (the real control plane of ../shared/realk8s), openssl,
#   curl and xz-utils (its up.sh), prometheus (promtool checks the /metrics pages).
# It runs before any test file starts, so no two test files ever race for the apt lock; it still waits for a lock
# held by someone else (unattended upgrades) instead of failing. Starting dockerd is left to the caller (the quick
# start or test/support/docker.ts), with its own socket and data root.
set -u
for_tests=0; [ "${1:-}" = "--for-tests" ] && for_tests=1
[ "$(id -u)" = 0 ] || { echo "not root: nothing installed (install by hand what is missing)"; exit 0; }

need=()
want() { # command package
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] || [ -x "/bin/$1" ] || need+=("$2")
}
want dockerd docker.io
want mosquitto mosquitto
want mosquitto_pub mosquitto-clients
want busybox busybox-static
if [ $for_tests = 1 ]; then
  want qemu-aarch64-static qemu-user-static
  want arm-linux-gnueabihf-readelf binutils-arm-linux-gnueabihf
  want patchelf patchelf
  want etcd etcd-server
  want openssl openssl
  want curl curl
  want xz xz-utils
  want promtool prometheus
fi
mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u | sed '/^$/d')
[ ${#need[@]} = 0 ] && { echo "machine ready: every host tool is installed"; exit 0; }

echo "installing with apt-get: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
start=$SECONDS
install() { apt-get install -y "${apt_opts[@]}" --no-install-recommends "${need[@]}" >/tmp/prepare_host.$$.log 2>&1; }
if ! install; then
  apt-get update "${apt_opts[@]}" >/tmp/prepare_host.$$.log 2>&1 || { echo "apt-get update failed:"; tail -5 /tmp/prepare_host.$$.log; }
  if ! install; then echo "apt-get install failed:"; tail -20 /tmp/prepare_host.$$.log; rm -f /tmp/prepare_host.$$.log; exit 1; fi
fi
rm -f /tmp/prepare_host.$$.log
# Debian's packages start system services (a broker on 1883, etcd on 2379, dockerd): tests run their own on free ports.
for svc in mosquitto etcd docker containerd prometheus prometheus-node-exporter; do
  (command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1) || true
done
pkill -x mosquitto 2>/dev/null; pkill -x etcd 2>/dev/null; pkill -x prometheus 2>/dev/null
echo "installed in $((SECONDS - start)) s: ${need[*]}"
