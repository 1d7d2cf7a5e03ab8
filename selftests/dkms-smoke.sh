#!/bin/sh
# The DKMS smoke test (scripts/dkms-test runs it in the VM): the mdb.ko
# that DKMS built in the test chroot is /lib/mdb/extra/mdb.ko; the VM is
# booted with mdb_noload, so nothing is loaded yet. Load it (and the test
# target from the VM image), put a breakpoint with a Lua script on the
# target's function, run it 100 times, read the script's report from the
# log, unload. TAP on stdout; exit status 0 when all passed.
D=/sys/kernel/debug/mdb
T=/sys/kernel/debug/mdb_test_target
KO=/lib/mdb/extra/mdb.ko
N=100
echo "TAP version 13"
echo "1..8"
n=0 failed=0
t() { # result description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=$((failed + 1)); fi
}

! grep -q '^mdb ' /proc/modules && [ -f $KO ]
t $? "mdb is not loaded at boot (mdb_noload); the DKMS build is $KO ($(wc -c <$KO) bytes)"

insmod $KO 2>/tmp/insmod.err && grep -q '^mdb ' /proc/modules && [ -d $D ]
t $? "insmod the DKMS-built mdb.ko: $(sed -n 's/^version: //p' $D/status 2>/dev/null) on $(uname -r) $(cat /tmp/insmod.err)"

insmod /lib/mdb/mdb_test_target.ko && [ -d $T ]
t $? "insmod mdb_test_target.ko"

cat >/tmp/smoke.lua <<'EOF'
hits = 0
function hit(ctx)
  hits = hits + 1
  where = mdb.sym(ctx.ip)
  return false            -- no log line per hit: the report says it all
end
function report()
  print(string.format("smoke: %d hits at %s", hits, where or "nowhere"))
end
EOF
cat /tmp/smoke.lua >$D/script
t $? "load a Lua script (status: $(sed -n 's/^script: //p' $D/status))"

echo 'break mdb_tt_target lua=hit' >$D/control
t $? "break mdb_tt_target lua=hit: $(grep mdb_tt_target $D/breakpoints | head -1 | tr -s ' ')"

echo reset >$T/run && echo "process $N" >$T/run &&
	calls=$(sed -n 's/^target_calls //p' $T/counters) && [ "$calls" = $N ]
t $? "the target ran $N times (target_calls ${calls:-?})"

echo 'call report' >$D/control
# (SIGINT: no "Terminated" from the shell when the read is cut)
line=$(timeout -s INT 2 cat $D/log 2>/dev/null | grep 'smoke:' | head -1)
case $line in
*"smoke: $N hits at mdb_tt_target+0x0 [mdb_test_target]"*) r=0 ;;
*) r=1 ;;
esac
t $r "the script saw $N hits at mdb_tt_target+0x0: '$(echo "$line" | sed 's/^ *//')'"

echo 'delete all' >$D/control && : >$D/script && rmmod mdb_test_target && rmmod mdb &&
	! grep -q '^mdb ' /proc/modules && [ ! -d $D ]
t $? "delete all, unload the script, rmmod mdb_test_target and mdb"

[ $failed -eq 0 ]
