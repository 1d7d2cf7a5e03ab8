#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vm-test.sh - runs in mdb's test VM (scripts/vm-run --exec, with
# --ko mdb_dis_test.ko): loads mdb_dis_test.ko and prints, between
# "@@SECTION NAME" / "@@END" markers, what run.sh checks and compares:
#   disasm/decode of mdb_tt_target and mdb_tt_args (AT&T and Intel), of
#   vfs_read and do_syscall_64, of the first 20000 instructions of kernel
#   text and of a few functions with string/system/FPU instructions; a scan
#   of all kernel text for swapgs, sysret, sysexit and iret;
#   mdb_dis_windows() of every function that scan found; 100000
#   instructions decoded in a hw breakpoint handler (NMI context), 5000
#   formatted there, and decoding nested inside listings on the same CPU.
# Exit status: non-zero when a step fails outright (run.sh checks content).
D=/sys/kernel/debug/mdb_dis_test
TT=/sys/kernel/debug/mdb_test_target/addresses
rc=0

insmod /lib/mdb/extra/mdb_dis_test.ko || exit 1
[ -d $D ] || { echo "no $D"; exit 1; }

# section NAME FILE COMMAND: write COMMAND to FILE, print what it reads back.
section() {
	echo "@@SECTION $1"
	if echo "$3" >"$D/$2"; then
		cat "$D/$2"
	else
		echo "write '$3' to $2 failed"
		rc=1
	fi
	echo "@@END"
}

tt_addr() { awk -v n="$1" '$1 == n { print $2 }' $TT; }

echo "@@SECTION addresses"
cat $TT
echo "@@END"
for f in mdb_tt_target mdb_tt_args; do
	a=$(tt_addr $f)
	section "disasm $f" disasm "$a all"
	section "intel $f" disasm "$a all intel"
	section "decode $f" decode "$a all"
done
for f in vfs_read do_syscall_64; do
	section "disasm $f" disasm "$f all"
	section "intel $f" disasm "$f 40 intel"
	section "decode $f" decode "$f all"
done
# Wider samples for the objdump comparison: the start of kernel text, and
# functions with string, system, x87/SSE and xsave instructions.
section "disasm sample_stext" disasm "_stext 20000"
section "intel sample_stext" disasm "_stext 20000 intel"
for f in __memmove clear_page_erms csum_partial native_write_cr4 \
	 save_fpregs_to_fpstate restore_fpregs_from_fpstate fpu__init_cpu \
	 kernel_fpu_begin_mask __x86_indirect_thunk_array; do
	grep -q " $f\$" /proc/kallsyms || continue
	section "disasm $f" disasm "$f all"
	section "intel $f" disasm "$f all intel"
done

# Every swapgs/sysret/sysexit/iret in kernel text, then the windows of
# each function that has one.
section scan scan "_stext _etext" >/tmp/scan.txt
cat /tmp/scan.txt
for f in $(sed -n 's/^[0-9a-f]* <\([^+>]*\)+.*/\1/p' /tmp/scan.txt | sort -u); do
	section "windows $f" windows "$f"
	section "disasm $f" disasm "$f all"
done

section "nmi decode" nmi "decode 1000 100 _stext"
section "nmi format" nmi "format 100 50 vfs_read"
section "nmi nested" nmi "nested 300 20 vfs_read"

echo "@@SECTION modules"
cat /proc/modules
echo "@@END"
exit $rc
