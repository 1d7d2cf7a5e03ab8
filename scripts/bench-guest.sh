#!/bin/sh
# make bench, guest side: time each row (N calls, REPS repetitions) and
# print "row<TAB>name<TAB>rep<TAB>ns<TAB>calls" lines for scripts/bench.
# Lines starting with @ are facts about a row, also for scripts/bench:
#   @kind ROW KIND              what carries the probe (mdb: the hw column of
#                               breakpoints; else kprobe, kretprobe, bpftrace)
#   @hits ROW TOOL COUNT CALLS  hits one tool counted, and the calls made
#   @na ROW NAME REASON         a row that could not run (e.g. the module
#                               refuses the command), never timed
#   @startup ROW SECONDS        bpftrace: from its start until its probes
#                               are in the kernel's kprobe list
#   @check ROW WHAT OK|BAD      a value read by a script, checked
# bpftrace rows run when /usr/bin/bpftrace is there (vm-run --initrd with
# scripts/bpftrace-deps' archive); BPFTRACE=0 skips them.
N=${N:-200000}
REPS=${REPS:-5}
BPFTRACE=${BPFTRACE:-1}
M=/sys/kernel/debug/mdb
B=/sys/kernel/debug/mdb_bench
KP=/sys/kernel/debug/kprobes/list
insmod /lib/mdb/extra/mdb_bench.ko || exit 1
# the timed loops on CPU 0; row 5's log reader and bpftrace on CPU 1
taskset -p 1 $$ >/dev/null
# CPU 1 for the log readers and bpftrace; the icount boot has one CPU
# (scripts/bench), where they share CPU 0 with the loop
# (a command prefix, not a function: "cpu1 cat ... &" would background a
# subshell, and killing it would leave the cat reading the log)
CPU1="taskset 2"
[ "$(nproc)" -gt 1 ] || CPU1=

FN=mdb_bench:mdb_bench_fn

# the second instruction (after ENDBR/fentry nops): where int3 kprobes go
echo "$FN 4" > $M/disasm
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
lasterr() { sed -n 's/^last error: //p' $M/status | head -1; }
mdb() { echo "$1" > $M/control || { echo "# failed: $1: $(lasterr)"; return 1; }; }
# mdbrow ROW NAME COMMAND LOOP [N [HITS]]: one breakpoint, timed, its kind
# and hits (expected: HITS, default all the calls) reported, then reset; a
# command the module refuses is "@na"
mdbrow() {
	row=$1 name=$2 cmd=$3 loop=$4 n=${5:-$N}
	want=${6:-$((REPS * n))}
	if ! echo "$cmd" > $M/control; then
		printf '@na\t%s\t%s\t%s: %s\n' "$row" "$name" "$cmd" "$(lasterr)"
		mdb reset
		return 1
	fi
	printf '@kind\t%s\t%s\n' "$row" "$(grep -v '^#' $M/breakpoints | awk 'NR == 1 { print $3 }')"
	run "$row" "$name" "$loop" "$n"
	printf '@hits\t%s\tmdb\t%s\t%s\n' "$row" \
		"$(grep -v '^#' $M/breakpoints | awk 'NR == 1 { print $6 }')" "$want"
	return 0
}
# logsum ROW TAG: the number a script's "TAG N" line in log says (call report)
logsum() {
	timeout -s INT 10 cat $M/log > /tmp/log.txt 2>/dev/null
	sed -n "s/.* $2 \([-0-9]*\)\$/\1/p" /tmp/log.txt | tail -1
}

cat > /tmp/bench.lua <<'L'
function nop(ctx) return end
agg = {}
function sum(ctx)
  local a, b = ctx.arg(1), ctx.arg(2)
  local c = ctx.comm
  agg[c] = (agg[c] or 0) + a + b
end
function never(ctx) return false end
-- b2: bpftrace's @[comm] = count()
bycomm = {}
function by_comm(ctx)
  local c = ctx.comm
  bycomm[c] = (bycomm[c] or 0) + 1
end
-- b3, b4: bpftrace's hist(): a bucket per power of 2 (0 for 0, -1 below)
local function log2(v)
  if v < 0 then return -1 elseif v == 0 then return 0 end
  local b = 1
  if v >= 1 << 32 then v = v >> 32; b = b + 32 end
  if v >= 1 << 16 then v = v >> 16; b = b + 16 end
  if v >= 1 << 8 then v = v >> 8; b = b + 8 end
  if v >= 1 << 4 then v = v >> 4; b = b + 4 end
  if v >= 1 << 2 then v = v >> 2; b = b + 2 end
  if v >= 2 then b = b + 1 end
  return b
end
rhist = {}
function ret_hist(ctx)
  local k = log2(ctx.retval)
  rhist[k] = (rhist[k] or 0) + 1
end
lhist = {}
function lat_hist(ctx)
  local k = log2(ctx.elapsed)
  lhist[k] = (lhist[k] or 0) + 1
end
-- the same three with the native aggregations (mdb.count, mdb.hist)
function by_comm_n(ctx) mdb.count(ctx.comm, 'b2') end
function ret_hist_n(ctx) mdb.hist(ctx.retval, 'b3') end
function lat_hist_n(ctx) mdb.hist(ctx.elapsed, 'b4') end
function report_n(name, tag)
  local s = 0
  for _, v in pairs(mdb.map(name)) do s = s + v end
  mdb.printf("%s %d", tag, s)
end
function report_b2n() report_n('b2', 'sum-b2n') end
function report_b3n() report_n('b3', 'sum-b3n') end
function report_b4n() report_n('b4', 'sum-b4n') end
-- types: a 3-level chain of typed pointers from an argument
function arg1(ctx)
  f = ctx.args.file
end
function chain3(ctx)
  magic = ctx.args.file.f_inode.i_sb.s_magic
end
function chain3p(ctx)
  magic = ctx.args['file.f_inode.i_sb.s_magic']
end
function chain3m(ctx)
  mval = ctx.args.a.b.c.val
end
function report(t, tag)
  local s = 0
  for _, v in pairs(t) do s = s + v end
  mdb.printf("%s %d", tag, s)
end
function report_b2() report(bycomm, "sum-b2") end
function report_b3() report(rhist, "sum-b3") end
function report_b4() report(lhist, "sum-b4") end
-- tracepoints: the tracepoint's second argument (always 2), raw and typed
function tparg(ctx)
  tpv = ctx.arg(2)
end
function tpargs(ctx)
  tpv = ctx.args.v
end
function report_tparg() mdb.printf("tparg %d", tpv or -1) end
function report_magic() mdb.printf("magic %d", magic or -1) end
function report_mval() mdb.printf("mval %d", mval or -1) end
L
cat /tmp/bench.lua > $M/script

run 1 none call
run 1w none-write write
printf '@kind\t2\thw (perf)\n@kind\t3\tkprobe (int3)\n@kind\t3f\tkprobe (ftrace)\n@kind\t3r\tkretprobe\n'
echo arm-limit > $B/run; run 2 limit call; echo disarm > $B/run
echo "arm-kprobe $OFF" > $B/run; run 3 peer-kprobe-int3 call; echo disarm > $B/run
echo "arm-kprobe 0" > $B/run; run 3f peer-kprobe-entry call; echo disarm > $B/run
if echo arm-kretprobe > $B/run; then run 3r peer-kretprobe call; echo disarm > $B/run
else printf '@na\t3r\tpeer-kretprobe\tregister_kretprobe failed\n'; fi
mdbrow 4 mdb-hw-count "break $FN hw count" call; mdb reset
$CPU1 cat $M/log > /dev/null & drain=$!
mdbrow 5 mdb-hw-log "break $FN hw" call; mdb reset
kill $drain; wait $drain 2>/dev/null
# what the reader left in the log, so that logsum below finds its line
timeout -s INT 20 cat $M/log > /dev/null 2>&1
mdbrow 6 mdb-sw-count "break $FN+$OFF sw count" call; mdb reset
mdbrow 7 mdb-lua-trivial "break $FN hw count lua=nop" call; mdb reset
mdbrow 8 mdb-lua-table "break $FN hw count lua=sum" call; mdb reset
mdbrow 9 mdb-if-false "break $FN hw if=never" call "$N" 0; mdb reset
mdbrow 10 mdb-watch-count 'watch mdb_bench:mdb_bench_var w count' write; mdb reset
mdbrow 11 mdb-step10 "break $FN hw count step=10" call $((N / 10)); mdb reset

# --- the bpftrace pairs: mdb's side (the default kind at the entry) ----------
mdbrow b1m mdb-count "break $FN count" call; mdb reset
mdbrow b1s mdb-sw-entry-count "break $FN sw count" call; mdb reset
mdbrow b1l mdb-lua-trivial-entry "break $FN count lua=nop" call; mdb reset
mdbrow b2m mdb-lua-by-comm "break $FN count lua=by_comm" call &&
	printf '@hits\tb2m\tlua\t%s\t%s\n' "$(mdb 'call report_b2'; logsum b2m sum-b2)" $((REPS * N))
mdb reset
mdbrow 3rm mdb-ret-count "break $FN ret count" call; mdb reset
mdbrow b3m mdb-ret-hist "break $FN ret count lua=ret_hist" call &&
	printf '@hits\tb3m\tlua\t%s\t%s\n' "$(mdb 'call report_b3'; logsum b3m sum-b3)" $((REPS * N))
mdb reset
mdbrow b4m mdb-ret-elapsed-hist "break $FN ret count lua=lat_hist" call &&
	printf '@hits\tb4m\tlua\t%s\t%s\n' "$(mdb 'call report_b4'; logsum b4m sum-b4)" $((REPS * N))
mdb reset
mdbrow b2n mdb-native-by-comm "break $FN count lua=by_comm_n" call &&
	printf '@hits\tb2n\tmap\t%s\t%s\n' "$(mdb 'call report_b2n'; logsum b2n sum-b2n)" $((REPS * N))
mdb reset
mdbrow b3n mdb-native-ret-hist "break $FN ret count lua=ret_hist_n" call &&
	printf '@hits\tb3n\tmap\t%s\t%s\n' "$(mdb 'call report_b3n'; logsum b3n sum-b3n)" $((REPS * N))
mdb reset
# the same three without a script: by= and hist= (the aggr file's sums)
aggrsum() { # the sum of the aggr file's counts: "@k[key]: N" lines, or hist() lines' N before the bar
	awk '/^@.*\]: / { s += $NF; next }
	     /^[[(]/ { for (i = 2; i <= NF; i++) if ($i ~ /^\|/) { s += $(i - 1); break } }
	     END { print s + 0 }' $M/aggr
}
mdbrow b2c mdb-by-comm "break $FN count by=comm" call &&
	printf '@hits\tb2c\taggr\t%s\t%s\n' "$(aggrsum)" $((REPS * N))
mdb reset
mdbrow b3c mdb-hist-retval "break $FN ret count hist=retval" call &&
	printf '@hits\tb3c\taggr\t%s\t%s\n' "$(aggrsum)" $((REPS * N))
mdb reset
mdbrow b4c mdb-hist-elapsed "break $FN ret count hist=elapsed" call &&
	printf '@hits\tb4c\taggr\t%s\t%s\n' "$(aggrsum)" $((REPS * N))
mdb reset
mdbrow b4n mdb-native-elapsed-hist "break $FN ret count lua=lat_hist_n" call &&
	printf '@hits\tb4n\tmap\t%s\t%s\n' "$(mdb 'call report_b4n'; logsum b4n sum-b4n)" $((REPS * N))
mdb reset

# --- types (issue 13): a typed argument's 3-level chain, and args logging ----
# noop_llseek(struct file *file, loff_t offset, int whence) has vmlinux BTF;
# the loop passes its own debugfs file: file->f_inode->i_sb->s_magic is
# DEBUGFS_MAGIC (0x64626720)
run t0 llseek-none llseek
mdbrow t1 llseek-lua-trivial 'break noop_llseek count lua=nop' llseek; mdb reset
mdbrow t2a llseek-lua-arg 'break noop_llseek count lua=arg1' llseek; mdb reset
if mdbrow t2 llseek-lua-chain3 'break noop_llseek count lua=chain3' llseek; then
	v=$(mdb 'call report_magic'; logsum t2 magic)
	[ "$v" = $((0x64626720)) ] && ok=OK || ok=BAD
	printf '@check\tt2\tfile.f_inode.i_sb.s_magic=%s\t%s\n' "$v" "$ok"
fi
mdb reset
# the same chain as one path: one lookup, one compiled plan
if mdbrow t2p llseek-lua-path3 'break noop_llseek count lua=chain3p' llseek; then
	v=$(mdb 'call report_magic'; logsum t2p magic)
	[ "$v" = $((0x64626720)) ] && ok=OK || ok=BAD
	printf '@check\tt2p\targs[file.f_inode.i_sb.s_magic]=%s\t%s\n' "$v" "$ok"
fi
mdb reset
$CPU1 cat $M/log > /dev/null & drain=$!
mdbrow t3 llseek-log 'break noop_llseek' llseek; mdb reset
mdbrow t4 llseek-log-args 'break noop_llseek args' llseek; mdb reset
kill $drain; wait $drain 2>/dev/null
# the module's own types, when it has BTF (not on 6.1: its headers ship no
# vmlinux for pahole's split BTF)
if [ -e /sys/kernel/btf/mdb_bench ]; then
	run tm0 chain-none chain
	mdbrow tm1 chain-lua-trivial "break mdb_bench:mdb_bench_chain count lua=nop" chain; mdb reset
	if mdbrow tm2 chain-lua-chain3 "break mdb_bench:mdb_bench_chain count lua=chain3m" chain; then
		v=$(mdb 'call report_mval'; logsum tm2 mval)
		[ "$v" = $((0x6d6462)) ] && ok=OK || ok=BAD
		printf '@check\ttm2\ta.b.c.val=%s\t%s\n' "$v" "$ok"
	fi
	mdb reset
else
	printf '@na\ttm2\tchain-lua-chain3\tno /sys/kernel/btf/mdb_bench (the module was built without BTF)\n'
fi
# --- tracepoints (issue 17): mdb_bench.ko's own tracepoint, fired by its "tp"
# loop; p0 nobody attached (the static key off), p1 the kernel's own trace
# event enabled (written to the ring buffer), p2-p4 mdb's probe on it
T=/sys/kernel/debug/tracing
EV=$T/events/mdb_bench/mdb_bench_event
run p0 tp-off tp
if [ -d "$EV" ]; then
	echo 0 > $T/tracing_on; echo > $T/trace; echo 1 > $EV/enable; echo 1 > $T/tracing_on
	printf '@kind\tp1\ttrace event\n'
	run p1 tp-trace-event tp
	echo 0 > $EV/enable
	printf '@hits\tp1\tevent\t%s\t%s\n' "$(awk '/^entries:|^overrun:/ { s += $2 } END { print s + 0 }' \
		$T/per_cpu/cpu0/stats)" $((REPS * N))
	echo > $T/trace
else
	printf '@na\tp1\ttp-trace-event\tno %s\n' "$EV"
fi
mdbrow p2 mdb-tp-count 'break tp:mdb_bench:mdb_bench_event count' tp; mdb reset
mdbrow p3 mdb-tp-lua-trivial 'break tp:mdb_bench:mdb_bench_event count lua=nop' tp; mdb reset
if mdbrow p4 mdb-tp-lua-arg 'break tp:mdb_bench:mdb_bench_event count lua=tparg' tp; then
	v=$(mdb 'call report_tparg'; logsum p4 tparg)
	[ "$v" = 2 ] && ok=OK || ok=BAD
	printf '@check\tp4\tctx.arg(2)=%s\t%s\n' "$v" "$ok"
fi
mdb reset
# typed: needs the module's BTF (btf_trace_mdb_bench_event)
if [ -e /sys/kernel/btf/mdb_bench ] &&
   mdbrow p5 mdb-tp-lua-args 'break tp:mdb_bench:mdb_bench_event count lua=tpargs' tp; then
	v=$(mdb 'call report_tparg'; logsum p5 tparg)
	[ "$v" = 2 ] && ok=OK || ok=BAD
	printf '@check\tp5\tctx.args.v=%s\t%s\n' "$v" "$ok"
elif [ ! -e /sys/kernel/btf/mdb_bench ]; then
	printf '@na\tp5\tmdb-tp-lua-args\tno /sys/kernel/btf/mdb_bench (the module was built without BTF)\n'
fi
mdb reset
echo "# status"; grep -E 'missed|steps|script|fault' $M/status | sed 's/^/# /'

# --- bpftrace, the peer: same function, same loop, same boot --------------
uptime_cs() { awk '{ split($1, t, "."); print t[1] * 100 + t[2] }' /proc/uptime; }
# btrow ROW NAME NPROBES PROGRAM: start bpftrace on CPU 1, wait until its
# NPROBES probes on mdb_bench_fn are in the kprobe list, time the loop,
# stop it with SIGINT and count what it printed (a count map: the sum of
# its values; a hist: the sum of its buckets)
btrow() {
	row=$1 name=$2 np=$3 prog=$4
	t0=$(uptime_cs)
	$CPU1 /usr/bin/bpftrace -e "$prog" > /tmp/bt.out 2> /tmp/bt.err & bt=$!
	while :; do
		n=$(grep -c 'mdb_bench_fn' $KP 2>/dev/null)
		[ "${n:-0}" -ge "$np" ] && break
		if ! kill -0 $bt 2>/dev/null || [ $(( $(uptime_cs) - t0 )) -gt 60000 ]; then
			printf '@na\t%s\t%s\tbpftrace did not attach: %s\n' "$row" "$name" \
				"$(tr '\n' ' ' < /tmp/bt.err | cut -c1-300)"
			kill -INT $bt 2>/dev/null; wait $bt 2>/dev/null
			return 1
		fi
		sleep 0.2
	done
	t1=$(uptime_cs)
	# the probes are registered before their programs are set and enabled
	sleep 1
	printf '@startup\t%s\t%d.%02d\n' "$row" $(( (t1 - t0) / 100 )) $(( (t1 - t0) % 100 ))
	printf '@kind\t%s\tbpftrace\n' "$row"
	run "$row" "$name" call
	kill -INT $bt; wait $bt
	sed 's/^/# bpftrace: /' /tmp/bt.err | head -5
	printf '@hits\t%s\tbpftrace\t%s\t%s\n' "$row" "$(awk '
		/^\[/ { sub(/^[^])]*[])]/, ""); s += $1; next }
		/^@[^ ]*: -?[0-9]+$/ { s += $NF }
		END { print s + 0 }' /tmp/bt.out)" $((REPS * N))
	grep -v '^\[' /tmp/bt.out | sed 's/^/# bpftrace: /' | head -5
}
if [ "$BPFTRACE" = 1 ] && [ -x /usr/bin/bpftrace ]; then
	# debugfs is mounted (its tracing/ is tracefs); bpftrace may look here
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	echo "# $(/usr/bin/bpftrace --version)"
	btrow b1t bpftrace-count 1 'kprobe:mdb_bench_fn { @ = count(); }'
	btrow b2t bpftrace-by-comm 1 'kprobe:mdb_bench_fn { @[comm] = count(); }'
	btrow b3t bpftrace-ret-hist 1 'kretprobe:mdb_bench_fn { @ = hist(retval); }'
	btrow b4t bpftrace-latency-hist 2 'kprobe:mdb_bench_fn { @start[tid] = nsecs; }
kretprobe:mdb_bench_fn /@start[tid]/ { @ = hist(nsecs - @start[tid]); delete(@start[tid]); }
END { clear(@start); }'
else
	for r in b1t b2t b3t b4t; do
		printf '@na\t%s\tbpftrace\tno bpftrace in the guest (scripts/bpftrace-deps, vm-run --initrd)\n' $r
	done
fi

# memory: an empty script state, and one with the examples loaded
: > $M/script
echo 'x = 1' > $M/script
echo "mem empty-state $(sed -n 's/.*empty state \([0-9]*\)).*/\1/p' $M/status)"
cat /selftests/mdb/*.lua > $M/script
echo "mem examples-state $(sed -n 's/.*memory \([0-9]*\) of.*/\1/p' $M/status)"
: > $M/script
rmmod mdb_bench
