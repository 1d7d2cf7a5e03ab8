#!/bin/sh
# The lockdown test (scripts/check runs it on a kernel with the lockdown
# LSM and a module signing key: 6.1-debug). Booted with
# "lockdown=confidentiality mdb_noload": guest-init loads nothing. A copy of
# mdb.ko signed with the build's key passes the kernel's signature check,
# so mdb's own init runs and must refuse, saying why. TAP on stdout.
echo "TAP version 13"
echo "1..4"
n=0
t() { # result description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fi
}
dmesg | grep -q 'Kernel is locked down from command line'
t $? "the kernel is locked down: $(dmesg | grep -o 'Kernel is locked down from [a-z ]*' | head -1), lockdown=confidentiality"
insmod /lib/mdb/mdb.ko 2>/tmp/unsigned.err
r=$?
[ $r -ne 0 ] && dmesg | grep -q 'Lockdown: .*unsigned module loading is restricted'
t $? "unsigned mdb.ko: the kernel refuses it ($(cat /tmp/unsigned.err))"
insmod /lib/mdb/extra/mdb-signed.ko 2>/tmp/signed.err
r=$?
[ $r -ne 0 ] && ! grep -q '^mdb ' /proc/modules
t $? "signed mdb.ko: the load fails, mdb is not loaded ($(cat /tmp/signed.err))"
dmesg | grep -q 'mdb: the kernel is locked down (confidentiality): mdb reads kernel memory and refuses to load'
t $? "mdb says why: $(dmesg | grep 'mdb: the kernel is locked down' | sed 's/^\[[^]]*\] //')"
