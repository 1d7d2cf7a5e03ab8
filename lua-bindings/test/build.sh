#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build.sh [6.1|6.12|all]  (default: all)
#
# Builds the runtime's test module for each kernel of deps/kernels.mk,
# against its Debian headers, into lua-bindings/test/build/<kver>/ and
# copies the result to lua-bindings/test/build/mdb_lua_test-<K>.ko. The
# build directory mirrors lua-bindings/ (kbuild builds in place) and gets
# its Lua sources from prepare.sh, as mdb.ko's build does.
#
# Then, for example:
#   scripts/vm-run --kernel 6.1 --ko lua-bindings/test/build/mdb_lua_test-6.1.ko \
#       --exec lua-bindings/test/vm-test.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
lb=$(cd "$here/.." && pwd)
top=$(cd "$lb/.." && pwd)
mk=$top/deps/kernels.mk

[ -f "$mk" ] || { echo "build.sh: no $mk; run 'make deps'" >&2; exit 1; }
kernels=${1:-all}
[ "$kernels" = all ] && kernels=$(sed -n 's/^KVER_\(.*\) := .*/\1/p' "$mk")

for k in $kernels; do
	kver=$(sed -n "s/^KVER_$k := //p" "$mk")
	[ -n "$kver" ] || { echo "build.sh: unknown kernel '$k'" >&2; exit 1; }
	out=$here/build/$kver
	mkdir -p "$out/lua-bindings"
	# Keep kbuild's outputs and the prepared lua/ (rsync leaves excluded
	# files alone), so a rebuild only compiles what changed.
	rsync -a --delete --exclude=/test/build/ --exclude=/lua/ \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*' --exclude='*.order' \
		--exclude='*.symvers' "$lb/" "$out/lua-bindings/"
	"$lb/prepare.sh" "$out/lua-bindings/lua"
	cp "$here/Kbuild.test" "$out/Kbuild"
	# the kernel tree: KDIR_<K> of kernels.mk ($(DEPS): deps/), built
	# with that kernel's compiler (scripts/kmake)
	kdir=$(sed -n "s/^KDIR_$k := //p" "$mk" | sed "s|\$(DEPS)|$top/deps|")
	"$top/scripts/kmake" "$k" -s -C "$kdir" M="$out" modules
	cp "$out/mdb_lua_test.ko" "$here/build/mdb_lua_test-$k.ko"
	echo "built $here/build/mdb_lua_test-$k.ko"
done
