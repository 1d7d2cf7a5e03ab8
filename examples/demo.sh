#!/bin/sh
# make demo: the main job of mdb as it stands, in the VM.
# Run by scripts/vm-run with mdb.ko and mdb_test_target.ko loaded.
M=/sys/kernel/debug/mdb
set -x
ls -l $M
cat $M/status
# A command mdb does not know: the write fails with EINVAL ...
echo 'frobnicate vfs_read' > $M/control
# ... and status says what was wrong, with a caret under the bad token.
cat $M/status
# A malformed option:
echo 'break vfs_read pid=abc' > $M/control
grep -A3 'last error' $M/status
# The command summary:
cat $M/control
