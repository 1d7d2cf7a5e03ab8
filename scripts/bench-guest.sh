#!/bin/sh
# make bench, guest side: time each row (N calls, REPS repetitions) and
# print "row<TAB>name<TAB>rep<TAB>ns<TAB>calls" lines for scripts/bench.
N=${N:-200000}
REPS=${REPS:-5}
M=/sys/kernel/debug/mdb
B=/sys/kernel/debug/mdb_bench
insmod /lib/mdb/extra/mdb_bench.ko || exit 1
# the timed loops on CPU 0; row 5's log reader on CPU 1
taskset -p 1 $$ >/dev/null

# the second instruction (after ENDBR/fentry nops): where int3 kprobes go
echo 'mdb_bench:mdb_bench_fn 4' > $M/disasm
OFF=$(grep -v -E 'nop|endbr' $M/disasm | head -1 | sed 's/.*+0x\([0-9a-f]*\).*/\1/')
OFF=$((0x$OFF))
echo "# int3 kprobe offset: $OFF"

run() { # row name cmd [n]
	row=$1 name=$2 cmd=$3 n=${4:-$N}
	r=0
	while [ $r -lt $REPS ]; do
		echo "$cmd $n" > $B/run || { echo "# $name: $cmd failed"; return; }
		printf '%s\t%s\t%s\t%s\t%s\n' "$row" "$name" "$r" "$(cat $B/ns)" "$n"
		r=$((r + 1))
	done
}
mdb() { echo "$1" > $M/control || { echo "# failed: $1"; grep -A2 'last error' $M/status; }; }

cat > /tmp/bench.lua <<'L'
function nop(ctx) return end
agg = {}
function sum(ctx)
  local a, b = ctx.arg(1), ctx.arg(2)
  local c = ctx.comm
  agg[c] = (agg[c] or 0) + a + b
end
function never(ctx) return false end
L
cat /tmp/bench.lua > $M/script

run 1 none call
run 1w none-write write
echo arm-limit > $B/run; run 2 limit call; echo disarm > $B/run
echo "arm-kprobe $OFF" > $B/run; run 3 peer-kprobe-int3 call; echo disarm > $B/run
echo "arm-kprobe 0" > $B/run; run 3f peer-kprobe-entry call; echo disarm > $B/run
mdb 'break mdb_bench:mdb_bench_fn hw count'; run 4 mdb-hw-count call; mdb reset
taskset 2 cat $M/log > /dev/null & drain=$!
mdb 'break mdb_bench:mdb_bench_fn hw'; run 5 mdb-hw-log call; mdb reset
kill $drain; wait $drain 2>/dev/null
mdb "break mdb_bench:mdb_bench_fn+$OFF sw count"; run 6 mdb-sw-count call; mdb reset
mdb 'break mdb_bench:mdb_bench_fn hw count lua=nop'; run 7 mdb-lua-trivial call; mdb reset
mdb 'break mdb_bench:mdb_bench_fn hw count lua=sum'; run 8 mdb-lua-table call; mdb reset
mdb 'break mdb_bench:mdb_bench_fn hw if=never'; run 9 mdb-if-false call; mdb reset
mdb 'watch mdb_bench:mdb_bench_var w count'; run 10 mdb-watch-count write; mdb reset
mdb 'break mdb_bench:mdb_bench_fn hw count step=10'; run 11 mdb-step10 call $((N / 10)); mdb reset
echo "# status"; grep -E 'missed|steps|script' $M/status | sed 's/^/# /'

# memory: an empty script state, and one with the examples loaded
: > $M/script
echo 'x = 1' > $M/script
echo "mem empty-state $(sed -n 's/.*empty state \([0-9]*\)).*/\1/p' $M/status)"
cat /selftests/mdb/*.lua > $M/script
echo "mem examples-state $(sed -n 's/.*memory \([0-9]*\) of.*/\1/p' $M/status)"
: > $M/script
rmmod mdb_bench
