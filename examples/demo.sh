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
