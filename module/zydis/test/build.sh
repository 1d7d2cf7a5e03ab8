#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build.sh [6.1|6.12]... - build mdb_dis_test.ko for each kernel
# (default: both), apart from mdb.ko and without touching the top-level
# build: the module sources are mirrored into build/<kver>/zydis-test/ in
# the layout mdb.ko's Kbuild sees (module/zydis/...), with Kbuild.test as
# its Kbuild. Prints the path of each .ko, the compiler/objtool warning
# count, and the text size Zydis + mdb_dis add; the full log is kept in
# build/<kver>/zydis-test/build.log.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

for k in "${kernels[@]}"; do
	kver=$(sed -n "s/^KVER_$k := //p" "$top/deps/kernels.mk")
	[ -n "$kver" ] || { echo "build.sh: unknown kernel '$k'" >&2; exit 2; }
	khdr=$(sed -n "s/^KDIR_$k := //p" "$top/deps/kernels.mk" | sed "s|\$(DEPS)|$top/deps|")
	out=$top/build/$kver/zydis-test
	mkdir -p "$out/module/zydis/test"
	rsync -a "$top/module/zydis/Kbuild.inc" "$top"/module/zydis/mdb_dis*.[ch] \
		"$out/module/zydis/"
	rsync -a "$here/mdb_dis_test.c" "$out/module/zydis/test/"
	cp -p "$here/Kbuild.test" "$out/Kbuild"
	"$top/module/zydis/prepare.sh" "$out/module/zydis/src"

	"$top/scripts/kmake" "$k" -C "$khdr" M="$out" modules >"$out/build.log" 2>&1 ||
		{ cat "$out/build.log" >&2; echo "build.sh: build failed for $kver" >&2; exit 1; }
	warnings=$(grep -cE 'warning:|objtool' "$out/build.log" || true)
	grep -E 'warning:|objtool' "$out/build.log" >&2 || true
	# .text* of the Zydis objects + mdb_dis.o, as linked into the module.
	text=$(cd "$out" && size -A module/zydis/src/*.o module/zydis/mdb_dis*.o |
		awk '$1 ~ /^\.text/ { t += $2 } END { print t }')
	rodata=$(cd "$out" && size -A module/zydis/src/*.o module/zydis/mdb_dis*.o |
		awk '$1 ~ /^\.rodata/ { t += $2 } END { print t }')
	echo "$k ($kver): $out/mdb_dis_test.ko; warnings: $warnings; zydis+mdb_dis text: $text B, rodata: $rodata B"
done
