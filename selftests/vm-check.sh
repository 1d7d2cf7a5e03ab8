#!/bin/sh
# Runs mdb's kselftest suite inside the VM (make check boots the VM with
# this script via scripts/vm-run --exec). Exit 0 only if no test failed.
cd /selftests || exit 1
./run_kselftest.sh 2>&1 | tee /tmp/ksft.out
! grep -q '^not ok' /tmp/ksft.out
