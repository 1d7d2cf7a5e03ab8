#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# prepare.sh DEST
#
# Copies the Lua 5.4 files mdb builds (core + the libraries it opens) from
# Debian's lua5.4 source package, unpacked by `make deps` into
# deps/src/lua5.4/, into DEST and applies lua-bindings/patches/*.patch in
# order. Nothing from deps/ is ever committed; this runs at build time.
#
# Idempotent and quick: DEST/.mdb-stamp records a hash of the sources and
# patches it was made from; when nothing changed, nothing is touched (so
# kbuild does not rebuild the Lua objects). Upstream's luaconf.h is not
# copied: lua-bindings/include/luaconf.h is ours and replaces it.
# MDB_LUA_SRC overrides where Lua's src/ is. A patch that does not apply
# exactly (no fuzz) stops the build.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
src=${MDB_LUA_SRC:-$top/deps/src/lua5.4/src}

[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
case $1 in
/*) dest=$1 ;;
*) dest=$PWD/$1 ;;
esac

core="lapi lcode lctype ldebug ldo ldump lfunc lgc llex lmem lobject lopcodes
      lparser lstate lstring ltable ltm lundump lvm lzio"
libs="lauxlib lbaselib lcorolib lstrlib ltablib lutf8lib"
headers="lapi lauxlib lcode lctype ldebug ldo lfunc lgc ljumptab llex llimits
	 lmem lobject lopcodes lopnames lparser lprefix lstate lstring ltable ltm
	 lua lualib lundump lvm lzio"

if [ ! -f "$src/lapi.c" ]; then
	echo "prepare.sh: no Lua sources in $src; run 'make deps' first" >&2
	exit 1
fi

files=
for f in $core $libs; do files="$files $f.c"; done
for f in $headers; do files="$files $f.h"; done

# The stamp: what the copy is made from (the file list, the sources, the
# patches and this script). Any change re-creates DEST from scratch.
stamp=$(
	{
		echo "$files"
		(cd "$src" && cat $files)
		cat "$here"/patches/*.patch 2>/dev/null || true
		cat "$0"
	} | sha256sum | cut -d' ' -f1
)
if [ -f "$dest/.mdb-stamp" ] && [ "$(cat "$dest/.mdb-stamp")" = "$stamp" ]; then
	exit 0
fi

tmp=$dest.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
(cd "$src" && cp $files "$tmp/")
for p in "$here"/patches/*.patch; do
	[ -f "$p" ] || continue
	if ! patch -s -p1 -F0 -d "$tmp" --no-backup-if-mismatch -r - <"$p"; then
		echo "prepare.sh: $(basename "$p") does not apply to $src" >&2
		exit 1
	fi
done
echo "$stamp" >"$tmp/.mdb-stamp"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
