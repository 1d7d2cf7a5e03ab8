#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh [--no-build] [6.1|6.12]... - the whole mdb_dis check, per kernel
# (default both):
#   1. build mdb_dis_test.ko (build.sh): 0 compiler/objtool warnings wanted;
#   2. boot the VM with it (scripts/vm-run --ko, guest script vm-test.sh);
#   3. split the guest output into build/<kver>/zydis-test/out/*.txt;
#   4. compare the listings with objdump (compare.sh): mdb_tt_target and
#      mdb_tt_args against build/<kver>/mdb_test_target.ko (AT&T and
#      Intel), and every listed function against objdump of its own bytes;
#   5. check the windows and the NMI runs (decode, format, and decode
#      nested inside a listing on the same CPU);
#   6. print the stack frames of the decode path (-fstack-usage).
# --no-build is passed to vm-run (use the last VM image as it is; the
# test target .ko compared is the one in that image).
# Exits non-zero on any failed check.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
vmargs=()
kernels=()
for a in "$@"; do
	case $a in
	--no-build) vmargs+=(--no-build) ;;
	*) kernels+=("$a") ;;
	esac
done
[ ${#kernels[@]} -gt 0 ] || kernels=(6.1 6.12)

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

for k in "${kernels[@]}"; do
	kver=$(sed -n "s/^KVER_$k := //p" "$top/deps/kernels.mk")
	out=$top/build/$kver/zydis-test
	echo "=== $k ($kver)"
	summary=$("$here/build.sh" "$k") || { fail "$k: build"; continue; }
	echo "$summary"
	grep -q "warnings: 0;" <<<"$summary" || fail "$k: build warnings"

	"$top/scripts/vm-run" "${vmargs[@]}" --kernel "$k" --timeout 1200 \
		--exec "$here/vm-test.sh" --ko "$out/mdb_dis_test.ko" >"$out/vm.out"
	rc=$?
	[ $rc -eq 0 ] || fail "$k: vm-run exited $rc (console: build/vm/console-$k.log)"

	rm -rf "$out/out" && mkdir -p "$out/out"
	awk -v d="$out/out" '
		/^@@SECTION / { name = substr($0, 11); gsub(/[^A-Za-z0-9_.]/, "_", name)
				f = d "/" name ".txt"; printf "" > f; next }
		/^@@END/ { f = ""; next }
		f { print > f }' "$out/vm.out"

	ko=$top/build/$kver/mdb_test_target.ko
	for fn in mdb_tt_target mdb_tt_args; do
		"$here/compare.sh" --ko "$ko" $fn "$out/out/disasm_$fn.txt" || fail "$k: $fn vs objdump -d"
		"$here/compare.sh" --intel --ko "$ko" $fn "$out/out/intel_$fn.txt" ||
			fail "$k: $fn vs objdump -d -M intel"
	done
	for l in "$out"/out/disasm_*.txt; do
		"$here/compare.sh" --bytes "$l" || fail "$k: $(basename "$l") vs objdump of its bytes"
	done
	for l in "$out"/out/intel_*.txt; do
		"$here/compare.sh" --intel --bytes "$l" ||
			fail "$k: $(basename "$l") vs objdump -M intel of its bytes"
	done

	echo "--- windows"
	cat "$out"/out/windows_*.txt
	grep -q "sysretq at" "$out"/out/windows_entry_SYSRETQ_unsafe_stack.txt 2>/dev/null ||
		grep -q "sysretq at" "$out"/out/windows_entry_SYSCALL_64.txt ||
		fail "$k: no swapgs..sysretq window"
	grep -q "swapgs" "$out"/out/windows_entry_SYSCALL_64.txt || fail "$k: entry_SYSCALL_64 window"
	grep -q "swapgs" "$out"/out/windows_asm_exc_nmi.txt || fail "$k: asm_exc_nmi window"

	echo "--- nmi"
	cat "$out/out/nmi_decode.txt" "$out/out/nmi_format.txt"
	grep -q "^hits 1000 not_in_nmi 0$" "$out/out/nmi_decode.txt" || fail "$k: nmi decode hits"
	grep -q "^instructions 100000 " "$out/out/nmi_decode.txt" || fail "$k: nmi decode count"
	grep -q "reached_end 0)" "$out/out/nmi_decode.txt" || fail "$k: nmi stack measure"
	cat "$out/out/nmi_nested.txt"
	grep -q "^lines 300 mismatches 0$" "$out/out/nmi_nested.txt" || fail "$k: nested listing"
	grep -q "^hits [1-9][0-9]* not_in_nmi 0$" "$out/out/nmi_nested.txt" || fail "$k: nested hits"
	grep -q " busy 0$" "$out/out/nmi_nested.txt" || fail "$k: nested slot busy"

	echo "--- decode path frames (-fstack-usage, bytes)"
	"$here/stack.sh" "$out" mdb_dis_decode
done
echo "=== $fails failure(s)"
[ $fails -eq 0 ]
