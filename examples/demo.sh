#!/bin/sh
# make demo: mdb's main job as it stands, in the VM.
# Run by scripts/vm-run with mdb.ko and mdb_test_target.ko loaded.
M=/sys/kernel/debug/mdb
say() { printf '\n### %s\n' "$*"; }

say "status"
cat $M/status

say "a bad command: the write fails, status says why"
echo 'break vfs_read pid=abc' > $M/control
grep -A2 'last error' $M/status

say "refused: a breakpoint in the syscall entry window"
echo 'break entry_SYSCALL_64' > $M/control
grep -A1 'last error' $M/status

say "break on the openat path for cat, with a backtrace; count every read"
echo 'break do_sys_openat2 comm=cat bt' > $M/control
echo 'break vfs_read count' > $M/control
echo 'watch jiffies limit=3' > $M/control
cat $M/breakpoints

say "trigger it"
cat /etc/passwd > /dev/null
cat /proc/version > /dev/null
sleep 1

say "the log"
timeout 1 cat $M/log

say "the table afterwards"
cat $M/breakpoints
echo 'reset' > $M/control

say "disassembly, and what mdb refuses"
echo 'vfs_read 6' > $M/disasm; cat $M/disasm
grep ' window ' $M/vetoes | head -4

say "the seed's lesson: single-step out of getppid; it stops before the entry code"
echo 'break __x64_sys_getppid step=400 comm=sh limit=1' > $M/control
sh -c 'echo $PPID' > /dev/null
sleep 0.5
timeout 1 cat $M/log > /tmp/steps.log
grep -E 'break|stopped' /tmp/steps.log
echo "$(grep -c ' step ' /tmp/steps.log) step lines, the first ones:"
grep ' step ' /tmp/steps.log | head -8
echo 'reset' > $M/control

say "a Lua script at every hit: calls per process, a histogram of read sizes"
cat /selftests/mdb/count-per-comm.lua /selftests/mdb/read-histogram.lua > $M/script
cat $M/script | head -12
echo 'break vfs_read lua=count count' > $M/control
echo 'break ksys_read lua=size count' > $M/control   # ksys_read(fd, buf, count)
dd if=/dev/zero of=/dev/null bs=100 count=5 2>/dev/null
dd if=/dev/zero of=/dev/null bs=4096 count=3 2>/dev/null
echo 'call report' > $M/control
echo 'call hist' > $M/control
timeout 1 cat $M/log
grep script $M/status
echo 'reset' > $M/control

say "types from BTF: arguments by name, fields, a dump (load compiles during the write)"
echo hello > /tmp/hello
echo "load /selftests/mdb/typed-read.lua" > $M/control
echo 'break vfs_read args comm=dd lua=typed limit=1' > $M/control
dd if=/tmp/hello of=/dev/null bs=77 count=1 2>/dev/null
sleep 0.2
timeout 1 cat $M/log
printf 'function f()\n  x = = 1\nend\n' > /tmp/bad.lua
echo "load /tmp/bad.lua" > $M/control
grep -A1 'last error' $M/status
grep -E '^btf|faulted' $M/status
echo 'reset' > $M/control

say "function entries on ftrace (via ft), exits with return values and latency"
echo 'break vfs_read count' > $M/control
echo 'break vfs_read hw count' > $M/control
echo 'break do_sys_openat2 ret comm=cat' > $M/control
cat /etc/passwd /no/such/file > /dev/null 2>&1
cat $M/breakpoints
timeout 1 cat $M/log
echo 'reset' > $M/control
cat /selftests/mdb/latency-hist.lua /selftests/mdb/errno-count.lua > $M/script
echo 'break vfs_read ret lua=lat count' > $M/control
echo 'break do_sys_openat2 ret lua=err count' > $M/control
for i in 1 2 3 4 5; do
	dd if=/etc/passwd of=/dev/null bs=64 2>/dev/null   # read(2): vfs_read
	cat /no/such/file 2>/dev/null                      # openat: ENOENT
done
echo 'call show' > $M/control
echo 'call errors' > $M/control
timeout 1 cat $M/log
echo 'reset' > $M/control

say "bpftrace's maps without a script: by= counts, hist= histograms (the aggr file), and the same in Lua"
echo 'break vfs_read count by=comm' > $M/control
echo 'break vfs_read ret count hist=elapsed' > $M/control
for i in 1 2 3 4 5; do dd if=/etc/passwd of=/dev/null bs=64 2>/dev/null; done
cat $M/aggr
echo 'reset' > $M/control
cat /selftests/mdb/native-agg.lua > $M/script
echo 'break vfs_read lua=calls count' > $M/control
echo 'break vfs_read ret lua=lat count' > $M/control
for i in 1 2 3; do dd if=/etc/passwd of=/dev/null bs=64 2>/dev/null; done
echo 'call show' > $M/control
timeout 1 cat $M/log
echo 'reset' > $M/control

say "tracepoints in, trace events out: sched_switch by name, mdb:mdb_hit beside the kernel's events"
grep -E '^tp:sched:sched_switch|^tp:syscalls:sys_enter_openat ' $M/tracepoints
printf 'function sw(ctx) mdb.printf("switch %%s -> %%s", ctx.args.prev.comm, ctx.args.next.comm) end\n' > $M/script
echo 'break tp:sched:sched_switch lua=sw limit=4' > $M/control
sleep 0.2
timeout 1 cat $M/log
echo 'reset' > $M/control
T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs none $T
echo 1 > $T/events/sched/sched_switch/enable
echo 1 > $T/events/mdb/mdb_hit/enable
echo 'break tp:sched:sched_switch count trace limit=3' > $M/control
sleep 0.2
grep -E 'sched_switch:|mdb_hit:' $T/trace | head -6
echo 0 > $T/events/sched/sched_switch/enable
echo 0 > $T/events/mdb/mdb_hit/enable
echo 'reset' > $M/control

say "the same files where Secure Boot's lockdown closes debugfs: mdbfs"
mkdir -p /sys/kernel/mdb 2>/dev/null
mount -t mdbfs none /sys/kernel/mdb
grep '^files' /sys/kernel/mdb/status
echo 'break vfs_read count limit=3' > /sys/kernel/mdb/control
for i in 1 2 3; do cat /proc/version >/dev/null; done
cat $M/breakpoints
echo 'reset' > /sys/kernel/mdb/control
umount /sys/kernel/mdb
