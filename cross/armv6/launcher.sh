#!/bin/sh
# @PROGRAM@ @VERSION@ for linux-@ARCH@: a self-extracting bundle of @RUNTIME@ with every library it loads and the
# program itself. The first run unpacks it (@UNPACKED_MB@ MB) into $KUBEEDGE_TS_UNPACK_DIR, else
# $XDG_CACHE_HOME/kubeedge-ts, else ~/.cache/kubeedge-ts, else /var/tmp/kubeedge-ts; later runs start from there.
# Needs only the kernel and sh, tail, gzip and tar (busybox is enough). KUBEEDGE_TS_EMULATOR, when set, is put
# before the runtime (e.g. "qemu-arm-static -cpu arm1176" to try it on another machine).
set -eu
offset=@OFFSET@
id=@ID@
if [ -n "${KUBEEDGE_TS_UNPACK_DIR:-}" ]; then base=$KUBEEDGE_TS_UNPACK_DIR
elif [ -n "${XDG_CACHE_HOME:-}" ]; then base=$XDG_CACHE_HOME/kubeedge-ts
elif [ -n "${HOME:-}" ] && [ "$HOME" != / ]; then base=$HOME/.cache/kubeedge-ts
else base=/var/tmp/kubeedge-ts
fi
root=$base/$id
if [ ! -f "$root/.complete" ]; then
  mkdir -p "$base"
  tmp=$base/.unpack-$id-$$
  rm -rf "$tmp"
  mkdir "$tmp"
  if ! tail -c +"$offset" "$0" | gzip -dc | tar -xf - -C "$tmp"; then
    rm -rf "$tmp"
    echo "$0: cannot unpack into $base" >&2
    exit 1
  fi
  : >"$tmp/.complete"
  # another first run may have finished meanwhile: keep the one in place
  if [ -f "$root/.complete" ]; then rm -rf "$tmp"; else rm -rf "$root" && mv "$tmp" "$root"; fi
fi
# the runtime finds its loader, libraries and builtins through this descriptor (see cross/armv6.md)
exec 9<"$root"
exec ${KUBEEDGE_TS_EMULATOR:-} "$root/bin/node" "$root/app.cjs" "$@"
