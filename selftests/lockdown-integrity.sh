#!/bin/sh
# The lockdown=integrity test: what Debian and Ubuntu set when the kernel
# boots with Secure Boot. scripts/check runs it on a kernel with the
# lockdown LSM and a module signing key (6.1-debug), booted with
# "lockdown=integrity mdb_noload": guest-init loads nothing. Copies of
# mdb.ko and of the test target signed with the build's key come as
# /lib/mdb/extra/*-signed.ko (vm-run --ko).
#
# There debugfs does not open files with a write bit (LOCKDOWN_DEBUGFS), so
# /sys/kernel/debug/mdb's control, script, disasm and mem are closed; mdb
# must load (it only reads the kernel), refuse allow_write=1 naming the
# lockdown, and offer every file in mdbfs at /sys/kernel/mdb. The test
# target is driven through its module parameter "run" (its debugfs file is
# closed too). TAP on stdout.
echo "TAP version 13"
echo "1..21"
n=0
t() { # result description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
D=/sys/kernel/debug/mdb
M=/sys/kernel/mdb
RUN=/sys/module/mdb_test_target/parameters/run
log() { # read what the log holds now (it blocks when empty)
	timeout 2 cat $M/log >/tmp/log 2>/dev/null
}

grep -qw 'lockdown=integrity' /proc/cmdline && dmesg | grep -q 'Kernel is locked down from command line'
t $? "the kernel is locked down: lockdown=integrity"

insmod /lib/mdb/mdb.ko 2>/tmp/unsigned.err
r=$?
[ $r -ne 0 ] && dmesg | grep -q 'Lockdown: .*unsigned module loading is restricted'
t $? "unsigned mdb.ko: the kernel refuses it ($(cat /tmp/unsigned.err))"

insmod /lib/mdb/extra/mdb-signed.ko allow_write=1 2>/tmp/signed.err &&
	grep -q '^mdb ' /proc/modules
t $? "signed mdb.ko loads, with allow_write=1 asked for $(cat /tmp/signed.err)"

dmesg | grep -q 'mdb: allow_write=1 refused: the kernel is locked down (integrity: LOCKDOWN_DBG_WRITE_KERNEL)'
t $? "allow_write=1 refused, naming the lockdown: $(dmesg | grep 'mdb: allow_write' | sed 's/^\[[^]]*\] //')"

insmod /lib/mdb/extra/mdb_test_target-signed.ko 2>/tmp/target.err &&
	grep -q '^mdb_test_target ' /proc/modules
t $? "signed mdb_test_target.ko loads $(cat /tmp/target.err)"

# Why mdbfs exists: debugfs refuses these four, even for reading.
bad=
for f in control script disasm mem; do
	cat $D/$f >/dev/null 2>/tmp/open.err
	grep -q 'Operation not permitted' /tmp/open.err || bad="$bad $f"
done
[ -z "$bad" ]
t $? "debugfs: open of control, script, disasm, mem fails with EPERM${bad:+ (not:$bad)}"
echo 'break mdb_tt_target' 2>/tmp/ctl.err >$D/control
r=$?
[ $r -ne 0 ] && grep -q 'Operation not permitted' /tmp/ctl.err
t $? "debugfs: writing $D/control fails: $(cat /tmp/ctl.err)"

# debugfs still opens read-only files: status says where to go.
grep '^files:' $D/status >/tmp/files
grep -q "^files: $M after 'mount -t mdbfs none $M'; debugfs is locked down (kernel lockdown, integrity level): control, disasm, mem, script do not open in $D" /tmp/files
t $? "debugfs's status says to mount mdbfs: $(cat /tmp/files)"

dmesg | grep -q "mdb: debugfs is locked down: mdb's files are in mdbfs (mount -t mdbfs none $M)"
t $? "mdb's load message says so: $(dmesg | grep 'mdb: debugfs is locked down' | sed 's/^\[[^]]*\] //')"

mount -t mdbfs none $M 2>/tmp/mount.err && [ "$(ls $M | wc -l)" = 10 ]
t $? "mount -t mdbfs none $M: $(ls $M | tr '\n' ' ')$(cat /tmp/mount.err)"

grep -q "^files: $M (mdbfs, mounted); debugfs is locked down" $M/status &&
	grep -q '^script writes: off (allow_write=1 refused: the kernel is locked down, integrity: LOCKDOWN_DBG_WRITE_KERNEL)$' $M/status
t $? "status in mdbfs: $(grep -e '^files:' -e '^script writes:' $M/status | tr '\n' ' ')"

# control, breakpoints, log: a plain breakpoint, its log lines
echo 'break mdb_test_target:mdb_tt_target' >$M/control &&
	grep -q '^1 .* armed .*break mdb_test_target:mdb_tt_target' $M/breakpoints
t $? "control in mdbfs: break mdb_test_target:mdb_tt_target is armed: $(grep '^1 ' $M/breakpoints)"
echo 'process 3' >$RUN && log
[ "$(grep -c 'bp=1 break mdb_tt_target+0x0 \[mdb_test_target\]' /tmp/log)" = 3 ]
t $? "log in mdbfs: 3 calls, 3 lines: $(head -1 /tmp/log)"

# script: a Lua count at every hit
cat >/tmp/count.lua <<'EOF'
total = 0
function count(ctx) total = total + 1; return false end
function report() print('lockdown total=' .. total) end
function poke() return mdb.write_u64(mdb.addr('mdb_test_target:mdb_tt_watched'), 0x1122334455667788) end
EOF
cat /tmp/count.lua >$M/script && grep -q '^script: [0-9]* bytes of source' $M/status &&
	cmp -s /tmp/count.lua $M/script
t $? "script in mdbfs: loads (compiled on close) and reads back"
echo 'reset' >$M/control &&
	echo 'break mdb_test_target:mdb_tt_target lua=count' >$M/control &&
	echo 'process 25' >$RUN &&
	echo 'call report' >$M/control && log
hits=$(awk '$1 == 1 { print $6 }' $M/breakpoints)
grep -q 'lockdown total=25' /tmp/log && [ "$hits" = 25 ] && ! grep -q 'bp=1 break' /tmp/log
t $? "lua=count: 25 calls, hits $hits, the script counted: $(grep -o 'lockdown total=[0-9]*' /tmp/log)"

echo 'delete all' >$M/control
grep -q '^0x[0-9a-f]* 0x[0-9a-f]* ' $M/vetoes
t $? "vetoes in mdbfs: $(grep -c '^0x' $M/vetoes) ranges"

echo 'mdb_test_target:mdb_tt_target 4' >$M/disasm && cat $M/disasm >/tmp/disasm &&
	[ "$(grep -c '<mdb_tt_target+0x[0-9a-f]* \[mdb_test_target\]>' /tmp/disasm)" = 4 ]
t $? "disasm in mdbfs: $(head -1 /tmp/disasm)"

echo 'mdb_test_target:mdb_tt_watched 8' >$M/mem && cat $M/mem >/tmp/mem &&
	grep -q '^# 8 bytes at 0x[0-9a-f]* <mdb_tt_watched+0x0 \[mdb_test_target\]>' /tmp/mem
t $? "mem in mdbfs: $(head -1 /tmp/mem)"

# allow_write was refused: a script's write fails, saying why
echo 'call poke' 2>/dev/null >$M/control
r=$?
[ $r -ne 0 ] && grep -q 'writing kernel memory is off (allow_write=1 refused: the kernel is locked down, integrity)' $M/status &&
	cat $M/mem >/tmp/mem2 && cmp -s /tmp/mem /tmp/mem2
t $? "mdb.write_u64 fails naming the lockdown, memory unchanged: $(grep -o 'mdb.write_u64: .*' $M/status)"

# A mount pins mdb; after umount it unloads.
echo 'reset' >$M/control
: >$M/script
rmmod mdb 2>/dev/null
r=$?
[ $r -ne 0 ] && grep -q '^mdb ' /proc/modules
t $? "rmmod mdb while mdbfs is mounted: refused"
umount $M && [ ! -e $M/control ] && rmmod mdb && ! grep -q '^mdb ' /proc/modules &&
	dmesg | grep -q 'mdb: mdb .* unloaded'
t $? "umount $M, rmmod mdb: unloaded"
