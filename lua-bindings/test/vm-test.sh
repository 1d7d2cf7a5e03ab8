#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm-test.sh - the Lua runtime's tests, run inside mdb's test VM:
#
#   lua-bindings/test/build.sh
#   scripts/vm-run --kernel 6.1 --ko lua-bindings/test/build/mdb_lua_test-6.1.ko \
#       --exec lua-bindings/test/vm-test.sh
#
# Loads mdb_lua_test.ko (from /lib/mdb/extra/) with the test target's
# mdb_tt_target as breakpoint address, then checks, one behaviour per
# test: memory of an empty state, integer semantics, compile errors with
# line numbers, a script call in NMI on the per-CPU script stack, an exact
# aggregation over 10000 hits on both CPUs, the C-stack limit reached by
# deep recursion (in NMI and in process context), the instruction budget
# against endless loops (Lua, pcall, pattern, C-metamethod, __gc), out of
# memory in a small arena, the mdb library, re-entry from NMI, ctx outside
# its hit, GC. Prints TAP-like lines, the measured numbers as "# key value"
# and exits non-zero if a test failed. vm-run also fails the run on any
# kernel fault on the console.
set -u

D=/sys/kernel/debug/mdb_lua_test
T=/sys/kernel/debug/mdb_test_target
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { # check DESC COMMAND...
	desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc"; fi
}
st() { awk -v k="$1" '$1 == k { print $2 }' $D/status; }
stmsg() { sed -n "s/^$1 //p" $D/status; }
ctl() { echo "$*" >$D/ctl; }
clearlog() { ctl clearlog; }
haslog() { grep -qF -- "$1" $D/log; }
# lua NAME: load the Lua source on stdin as chunk NAME
lua() { cat >$D/script && ctl "load $1"; }
tcount() { awk -v k="$1" '$1 == k { print $2 }' $T/counters; }
measure() { echo "# $1 $2"; }

ko=$(ls /lib/mdb/extra/mdb_lua_test*.ko 2>/dev/null | head -n 1)
target=$(awk '$1 == "mdb_tt_target" { print $2 }' $T/addresses)
obj=$(awk '$1 == "mdb_tt_args_obj" { print $2 }' $T/addresses)
if [ -z "$ko" ] || [ -z "$target" ]; then
	echo "Bail out! no test module or no test target"
	exit 1
fi
if ! insmod "$ko" target="$target"; then
	echo "Bail out! insmod $ko failed"
	exit 1
fi
echo "# kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) CPUs"

# The helpers every test script uses; loaded after each reset.
helpers() {
	lua helpers <<EOF
TARGET = $target
OBJ = $obj
nfail = 0
function check(name, got, want)
  if got == want then
    print("PASS " .. name)
  else
    nfail = nfail + 1
    print(string.format("FAIL %s: got %s want %s", name, tostring(got),
                        tostring(want)))
  end
end
function errmsg(f, ...)
  local ok, e = pcall(f, ...)
  if ok then return "no error" end
  return tostring(e)
end
function has(s, text) return s ~= nil and string.find(s, text, 1, true) ~= nil end
EOF
}

# ---- 1. memory of an empty state ------------------------------------------
ctl reset
bare=$(st mem_bare)
libs=$(st mem_libs)
measure mem_bare_lua_newstate "$bare"
measure mem_empty_state_all_libs "$libs"
measure mem_arena_size "$(st mem_size)"
check "empty state with base/string/table/utf8/coroutine/math/mdb is $libs bytes (goal <= 24576)" \
	test "$libs" -le 24576
helpers

# ---- 2. integer semantics -------------------------------------------------
clearlog
lua intsem <<'EOF'
function t_int()
  check("7/2", 7/2, 3)
  check("tostring(7/2)", tostring(7/2), "3")
  check("-7/2 floors", -7/2, -4)
  check("7//2", 7//2, 3)
  check("-7%3", -7 % 3, 2)
  check("7%-3", 7 % -3, -2)
  check("math.type(7/2)", math.type(7/2), "integer")
  check("1/0", has(errmsg(function(a) return a/0 end, 1), "attempt to divide by zero"), true)
  check("1//0", has(errmsg(function(a) return a//0 end, 1), "attempt to divide by zero"), true)
  check("1%0", has(errmsg(function(a) return a%0 end, 1), "attempt to perform 'n%0'"), true)
  check("x/y, y=0", has(errmsg(function(a, b) return a/b end, 1, 0), "attempt to divide by zero"), true)
  check("mininteger//-1", math.mininteger // -1, math.mininteger)
  check("mininteger/-1", math.mininteger / -1, math.mininteger)
  check("mininteger%-1", math.mininteger % -1, 0)
  check("maxinteger", tostring(math.maxinteger), "9223372036854775807")
  check("maxinteger+1 wraps", math.maxinteger + 1, math.mininteger)
  check("mininteger", tostring(math.mininteger), "-9223372036854775808")
  check("hex literal wraps", 0xffffffffffffffff, -1)
  check("2^63 literal refused", has(select(2, load("return 9223372036854775808")), "malformed number"), true)
  check("%d", string.format("%d", -42), "-42")
  check("%x of -1", string.format("%x", -1), "ffffffffffffffff")
  check("%x of an address", string.format("%x", 0xffffffff81000000), "ffffffff81000000")
  check("flags", string.format("[%5.3d|%-4d|%04x|%#x|%X]", 7, 7, 255, 255, 255), "[  007|7   |00ff|0xff|FF]")
  check("%c %s %q", string.format("%c %s %q", 65, "x", "a\nb"), 'A x "a\\\nb"')
  check("%q of mininteger", string.format("%q", math.mininteger), "0x8000000000000000")
  check("%i", string.format("%i", 5), "5")
  check("%f refused", has(errmsg(string.format, "%f", 1), "invalid conversion '%f'"), true)
  check("%5.1f refused", has(errmsg(string.format, "%5.1f", 1), "invalid conversion"), true)
  check("%g refused", has(errmsg(string.format, "%g", 1), "invalid conversion"), true)
  check("%a refused", has(errmsg(string.format, "%a", 1), "invalid conversion"), true)
  check("%e refused", has(errmsg(string.format, "%e", 1), "invalid conversion"), true)
  check("pack d refused", has(errmsg(string.pack, "d", 1), "invalid format option 'd'"), true)
  check("pack n refused", has(errmsg(string.pack, "n", 1), "invalid format option 'n'"), true)
  check("pack f refused", has(errmsg(string.pack, "f", 1), "invalid format option 'f'"), true)
  check("unpack d refused", has(errmsg(string.unpack, "d", "12345678"), "invalid format option 'd'"), true)
  check("pack j", string.unpack("<j", string.pack("<j", -2)), -2)
  check("pack i4", string.pack("<i4", 0x01020304):byte(1), 4)
  check("tonumber('1.5')", tonumber("1.5"), nil)
  check("tonumber('1e3')", tonumber("1e3"), nil)
  check("tonumber('0x10')", tonumber("0x10"), 16)
  check("tonumber(' 42 ')", tonumber(" 42 "), 42)
  check("tonumber('z', 36)", tonumber("z", 36), 35)
  check("'10'+1", "10" + 1, 11)
  check("'7'/'2'", "7" / "2", 3)
  check("1.5 literal", has(select(2, load("return 1.5")), "malformed number near '1.5'"), true)
  check("^ refused", has(select(2, load("return 2^3")), "'^' is not supported"), true)
  check("__div from C", has(errmsg(getmetatable("").__div, "7", "2"), "float arithmetic"), true)
  check("__pow from C", has(errmsg(getmetatable("").__pow, "7", "2"), "float arithmetic"), true)
  check("collectgarbage count", math.type(collectgarbage("count")), "integer")
  check("math.abs", math.abs(-5), 5)
  check("math.max", math.max(3, 9, -1), 9)
  check("math.min", math.min(3, 9, -1), -1)
  check("math.fmod", math.fmod(-7, 3), -1)
  check("math.fmod 0", has(errmsg(math.fmod, 1, 0), "zero"), true)
  check("math.ult", math.ult(1, -1), true)
  check("math.tointeger", math.tointeger("8"), 8)
  check("math.floor", math.floor(5), 5)
  local r = math.random(1, 6)
  check("math.random range", r >= 1 and r <= 6, true)
  check("math.random(0)", math.type(math.random(0)), "integer")
  math.randomseed(42)
  local a = math.random(1000)
  math.randomseed(42)
  check("math.randomseed", math.random(1000), a)
  check("string.rep", ("ab"):rep(3, ","), "ab,ab,ab")
  check("utf8.char", utf8.char(72, 228, 8364), "H\xc3\xa4\xe2\x82\xac")
  check("utf8.len", utf8.len("H\xc3\xa4\xe2\x82\xac"), 3)
  check("coroutine", coroutine.wrap(function(x) local y = coroutine.yield(x + 1); return y * 2 end)(1), 2)
  check("table.concat", table.concat({1, 2, 3}, "-"), "1-2-3")
  local t = {5, 2, 8, 1}
  table.sort(t)
  check("table.sort", table.concat(t, ","), "1,2,5,8")
  check("gsub", (string.gsub("hello world", "o", "0")), "hell0 w0rld")
  check("find plain", string.find("abc", "b", 1, true), 2)
  check("match", string.match("key=val", "(%w+)=(%w+)"), "key")
  check("no dofile", dofile, nil)
  check("no loadfile", loadfile, nil)
  check("no require", require, nil)
  check("no io", io, nil)
  check("no os", os, nil)
  check("no debug", debug, nil)
  check("bytecode refused", has(select(2, load(string.dump(function() end))), "binary chunk"), true)
  check("bytecode refused (mode b)", has(select(2, load(string.dump(function() end), "x", "b")), "binary chunk"), true)
  check("load text", load("return 1 + 1")(), 2)
  print(string.format("t_int done, %d failed", nfail))
end
EOF
ctl call t_int
check "integer semantics: all checks pass" haslog "t_int done, 0 failed"
grep '^FAIL' $D/log | sed 's/^/# /'

# ---- 3. compile and load errors carry the line number ---------------------
if printf 'x = 1\ny = 2\nz = = 3\n' | lua lineerr 2>/dev/null; then
	notok "syntax error refused"
else
	msg=$(stmsg last_message)
	echo "# $msg"
	check "syntax error reported at its line (lineerr:3:)" \
		eval 'case "$msg" in "lineerr:3: "*) true ;; *) false ;; esac'
fi
if printf 'a = 1\nb = 2 ^ 3\n' | lua powerr 2>/dev/null; then
	notok "'^' refused at compile time"
else
	msg=$(stmsg last_message)
	echo "# $msg"
	check "'^' refused at compile time, with its line" \
		eval 'case "$msg" in "powerr:2: "*"not supported"*) true ;; *) false ;; esac'
fi
if printf '\n\nv = 1.5\n' | lua flterr 2>/dev/null; then
	notok "float literal refused"
else
	msg=$(stmsg last_message)
	echo "# $msg"
	check "float literal refused, with its line" \
		eval 'case "$msg" in "flterr:3: malformed number near '"'1.5'"'") true ;; *) false ;; esac'
fi
if printf 'x = 1\nerror("boom")\n' | lua rterr 2>/dev/null; then
	notok "runtime error in a chunk reported"
else
	msg=$(stmsg last_message)
	check "runtime error in a chunk, with its line (rterr:2: boom)" \
		test "$msg" = "rterr:2: boom"
fi

# ---- 4. a hit: NMI, per-CPU script stack, ctx, backtrace --------------------
ctl zero
clearlog
lua where <<'EOF'
function where(ctx)
  local nmi, onstack, depth, cpu = mdb.test_where()
  mdb.printf("where in_nmi=%s on_script_stack=%s depth=%d cpu=%d ctx.nmi=%s ctx.cpu=%d ctx.arg1=%d ip=%s",
             tostring(nmi), tostring(onstack), depth, cpu, tostring(ctx.nmi),
             ctx.cpu, ctx.arg1, mdb.sym(ctx.ip))
  for i, f in ipairs(mdb.backtrace(6)) do print("bt " .. i .. " " .. f) end
  mdb.printf("where fault=%s str=%s", tostring(mdb.u64(0xffff800000000000)),
             tostring(mdb.str(OBJ + 4)))
  return false
end
EOF
ctl arm where
echo process 1 >$T/run
ctl disarm
grep -E '^(where|bt)' $D/log | sed 's/^/# /'
check "hit handler runs in NMI" haslog "in_nmi=true"
check "script runs on the per-CPU script stack" haslog "on_script_stack=true"
check "ctx reads the hit (ctx.nmi, ctx.arg1, ctx.ip)" \
	haslog "ctx.nmi=true ctx.cpu="
check "mdb.sym(ctx.ip) is the target" haslog "ip=mdb_tt_target+0x0 [mdb_test_target]"
check "mdb.backtrace() starts at the breakpoint" haslog "bt 1 mdb_tt_target+0x0"
check "mdb.backtrace() goes on into the caller" grep -q '^bt 2 mdb_tt_' $D/log
check "in NMI a faulting read is nil, a good one works" \
	haslog "where fault=nil str=mdb-tt-obj"
check "a hit returning false is counted as false" test "$(($(st cpu0_false) + $(st cpu1_false)))" -eq 1

# ---- 5. aggregation: 10000 hits on both CPUs, exact -------------------------
lua agg <<'EOF'
counts, total, argsum = {}, 0, 0
function agg(ctx)
  local c = ctx.cpu
  counts[c] = (counts[c] or 0) + 1
  total = total + 1
  argsum = argsum + ctx.arg1
end
function report()
  mdb.printf("agg total=%d cpu0=%d cpu1=%d argsum=%d", total,
             counts[0] or 0, counts[1] or 0, argsum)
end
EOF
ctl zero
clearlog
echo reset >$T/run
ctl arm agg
echo kthread 1 >$T/run	# the table slots exist after the first hits
m0=$(st mem_used)
echo kthread 4999 >$T/run
m1=$(st mem_used)
ctl disarm
ctl call report
c0=$(tcount target_cpu0)
c1=$(tcount target_cpu1)
grep '^agg' $D/log | sed 's/^/# /'
echo "# target counters: cpu0=$c0 cpu1=$c1"
check "aggregation counts 10000 hits exactly (5000 per CPU)" \
	haslog "agg total=10000 cpu0=5000 cpu1=5000 argsum=24985002"
check "target's own counters agree" test "$c0" = 5000 -a "$c1" = 5000
check "no hit was busy or failed" \
	test "$(($(st cpu0_busy) + $(st cpu1_busy) + $(st cpu0_errors) + $(st cpu1_errors)))" -eq 0
check "every hit ran in NMI" test "$(($(st cpu0_nmi) + $(st cpu1_nmi)))" -eq 10000
measure agg_call_ns_avg_cpu0 "$(st cpu0_ns_avg)"
measure agg_call_ns_avg_cpu1 "$(st cpu1_ns_avg)"
measure agg_call_ns_min "$(st cpu0_ns_min)"
measure agg_mem_growth_over_9998_hits "$((m1 - m0))"
check "hits allocate nothing (ctx is reused, fields read lazily)" test "$m1" -eq "$m0"

# every context the target offers (all = process, softirq, hardirq, kthread)
ctl zero
clearlog
lua agg2 <<'EOF'
total = 0
function agg2(ctx) total = total + 1 end
function report2() mdb.printf("agg2 total=%d", total) end
EOF
echo reset >$T/run
ctl arm agg2
echo all 300 >$T/run
ctl disarm
ctl call report2
calls=$(tcount target_calls)
check "hits from process, softirq, hardirq and kthread all counted ($calls)" \
	haslog "agg2 total=$calls"

# cost of the smallest call
lua nop <<'EOF'
function nop(ctx) end
EOF
ctl zero
ctl arm nop
echo kthread 2000 >$T/run
ctl disarm
measure nop_call_ns_avg_cpu0 "$(st cpu0_ns_avg)"
measure nop_call_ns_avg_cpu1 "$(st cpu1_ns_avg)"
measure nop_call_ns_min "$(st cpu0_ns_min)"

# ---- 6. deep recursion ends at the C-stack limit, cleanly -------------------
clearlog
lua deep <<'EOF'
local R = {}
function R.meta()		-- __index calling __index ...
  local mt = {}
  mt.__index = function(t, k) return setmetatable({}, mt)[k] end
  return setmetatable({}, mt).x
end
function R.pcall()		-- pcall(pcall(pcall(...)))
  local function f() local ok, e = pcall(f); error(e, 0) end
  return f()
end
function R.gsub()		-- gsub calling gsub from its replacement
  local function g() return (string.gsub("x", "x", g)) end
  return g()
end
function R.tostring()		-- __tostring calling tostring
  local mt = {}
  mt.__tostring = function() return tostring(setmetatable({}, mt)) end
  return tostring(setmetatable({}, mt))
end
function R.format()		-- string.format("%s") calling __tostring ...
  local mt = {}
  mt.__tostring = function() return string.format("%s", setmetatable({}, mt)) end
  return string.format("%s", setmetatable({}, mt))
end
function R.coroutine()		-- a coroutine resuming a coroutine ...
  local function c() return coroutine.wrap(c)() end
  return c()
end
function R.sort()		-- table.sort's comparator sorting ...
  local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end
  table.sort({3, 2, 1}, cmp)
end
function R.mixed()		-- __index -> gsub -> pcall -> tostring -> __index
  local mt = {}
  mt.__index = function(t, k)
    local r
    string.gsub("x", "x", function()
      local ok, e = pcall(function() return tostring(setmetatable({}, mt)) end)
      r = e
    end)
    error(r, 0)
  end
  mt.__tostring = function(t) return t.x end
  return setmetatable({}, mt).x
end
function R.xpcall()		-- the error handler recursing too
  local ok, e = xpcall(R.meta, function(m) return R.meta() end)
  error(e, 0)
end
function R.kernel()		-- kernel calls at every level: a faulting
  local mt = {}			-- nofault read, the unwinder, kallsyms
  mt.__index = function(t, k)
    assert(mdb.read(0xffff800000000000, 8) == nil)	-- a page fault
    mdb.backtrace(4)
    mdb.sym(TARGET)
    return setmetatable({}, mt)[k]
  end
  return setmetatable({}, mt).x
end
function R.parser()		-- 1000 nested parentheses
  return assert(load("return " .. string.rep("(", 1000) .. "1" .. string.rep(")", 1000)))
end
function R.parser2()		-- nested tables and functions
  return assert(load("return " .. string.rep("{function() return ", 200) .. "1" .. string.rep(" end}", 200)))
end
function R.pattern()		-- 200 pattern items that recurse
  return string.find(string.rep("a", 300), string.rep("a?", 200) .. "b")
end
local names = {}
for k in pairs(R) do names[#names + 1] = k end
table.sort(names)
function deep(ctx)
  local where = ctx and "hit" or "call"
  for _, k in ipairs(names) do
    local ok, e = pcall(R[k])
    mdb.printf("deep %s %s: %s %s", where, k, tostring(ok), tostring(e))
    collectgarbage()	-- in a hit too: the collector in NMI
  end
end
EOF
s0=$(st cpu0_stack_used)
s1=$(st cpu1_stack_used)
ctl zero
ctl arm deep 10000000
echo kthread 1 >$T/run
ctl disarm
ctl call deep 10000000
grep '^deep' $D/log | sed 's/^/# /'
ncase=$(grep -c '^deep call ' $D/log)
check "deep recursion in a hit, on both CPUs: all $ncase cases end in a Lua error" \
	test "$(grep -c '^deep hit .*: false ' $D/log)" -eq $((2 * ncase)) -a "$ncase" -gt 10
check "deep recursion in process context: all $ncase cases end in a Lua error" \
	test "$(grep -c '^deep call .*: false ' $D/log)" -eq "$ncase"
check "the C-stack limit is what stopped them" \
	haslog "deep hit meta: false"
check "hits ran to completion (no busy, no failed call)" \
	test "$(($(st cpu0_none) + $(st cpu1_none)))" -eq 2
measure stack_used_before_deep "cpu0=$s0 cpu1=$s1"
measure stack_used_max "cpu0=$(st cpu0_stack_used) cpu1=$(st cpu1_stack_used) of $(st stack_size)"
check "deepest script-stack use leaves >= 4 KiB never touched" \
	test "$(st cpu0_stack_used)" -le $(($(st stack_size) - 4096)) -a \
	     "$(st cpu1_stack_used)" -le $(($(st stack_size) - 4096))

# ---- 7. the budget stops endless loops --------------------------------------
clearlog
lua spin <<'EOF'
function spin() while true do end end
function spin_pcall()
  while true do pcall(function() while true do end end) end
end
function spin_pattern()
  return string.find(string.rep("a", 3000), ".-.-.-.-b")
end
function spin_plainfind()
  local s = string.rep("a", 20000)
  for i = 1, 1000000 do string.find(s, string.rep("a", 10000) .. "b", 1, true) end
end
function spin_cmeta()
  table.move(setmetatable({}, {__index = tostring, __newindex = rawequal}),
             1, math.maxinteger, 1)
end
function spin_sort()
  table.sort(setmetatable({}, {__len = function() return 0x7ffffffe end,
                                __index = tostring, __newindex = rawequal}))
end
function spin_coroutine()
  local co = coroutine.wrap(function() while true do end end)
  co()
end
function spin_gc()
  setmetatable({}, {__gc = function() while true do end end})
  collectgarbage()
  return "survived"
end
function spin_load()
  local src = string.rep("x = 1 ", 2000)
  while true do load(src) end
end
EOF
for f in spin spin_pcall spin_pattern spin_plainfind spin_cmeta spin_sort spin_coroutine spin_gc spin_load; do
	ctl call $f 100000
done
grep '^call spin' $D/log | sed 's/^/# /'
for f in spin spin_pcall spin_pattern spin_plainfind spin_cmeta spin_sort spin_coroutine spin_load; do
	check "budget stops $f" grep -q "^call $f = -62 .*instruction budget exceeded" $D/log
done
# A finalizer's error is a warning, not the caller's error: the budget
# stops the endless __gc, and the caller, which charges nothing more after
# collectgarbage() (patch 0009: charges at calls and backward jumps), returns.
check "budget stops spin_gc's endless __gc (all of the budget used)" \
	grep -q "^call spin_gc = .*\[used 100000\]" $D/log
check "a __gc error becomes a warning in the log" haslog "warning: error in __gc"
ctl zero
ctl arm spin 100000
echo process 3 >$T/run
ctl disarm
check "budget stops an endless loop in NMI (3 hits, 3 budget errors)" \
	test "$(($(st cpu0_budget) + $(st cpu1_budget)))" -eq 3
measure budget_100000_hit_ns_max "cpu0=$(st cpu0_ns_max) cpu1=$(st cpu1_ns_max)"
echo "# $(stmsg cpu0_last_error)$(stmsg cpu1_last_error)"
ctl call spin 1000
ctl call spin 1000000
grep '^call spin = ' $D/log | tail -n 2 | sed 's/^/# /'

# ---- 8. out of memory in a small arena ---------------------------------------
ctl reset 65536
helpers
measure small_arena_mem_used "$(st mem_used)"
clearlog
lua oom <<'EOF'
function hog() local t = {} for i = 1, 10000000 do t[i] = i end end
function hog_string() return #string.rep("x", 1000000) end
function hog_keep() big = {} for i = 1, 10000000 do big[i] = i end end
function small() return true end
function drop() big = nil end
EOF
ctl call hog
ctl call hog_string
ctl call small
ctl zero
ctl arm hog
echo process 1 >$T/run
ctl disarm
grep '^call' $D/log | sed 's/^/# /'
check "out of memory is a Lua error (call)" grep -q '^call hog = -12 .*not enough memory' $D/log
check "out of memory: string.rep" grep -q '^call hog_string = -12 .*not enough memory' $D/log
check "the state works after it" haslog "call small = true"
check "out of memory in NMI is a Lua error too" \
	test "$(($(st cpu0_nomem) + $(st cpu1_nomem)))" -eq 1
ctl call hog_keep
used_full=$(st mem_used)
ctl call drop
ctl gcfull
used_after=$(st mem_used)
measure oom_mem_used "full=$used_full after_gc=$used_after of $(st mem_size)"
check "a full GC gives the memory back" test "$used_after" -lt $((used_full / 2))
check "arena refusals were counted" test "$(st alloc_fails)" -gt 0

# ---- 9. the mdb library ---------------------------------------------------
ctl reset
helpers
clearlog
lua mdblib <<'EOF'
function t_mdb()
  local a = mdb.addr("mdb_tt_target")
  check("mdb.addr", a, TARGET)
  check("mdb.addr unknown", mdb.addr("no_such_symbol"), nil)
  check("mdb.sym", mdb.sym(a), "mdb_tt_target+0x0 [mdb_test_target]")
  check("mdb.sym +1", mdb.sym(a + 1), "mdb_tt_target+0x1 [mdb_test_target]")
  check("mdb.sym nil", mdb.sym(0x10), nil)
  check("mdb.u32", mdb.u32(OBJ), 0x4d444254)
  check("mdb.u8", mdb.u8(OBJ), 0x54)
  check("mdb.u16", mdb.u16(OBJ), 0x4254)
  check("mdb.u64 low", mdb.u64(OBJ) & 0xffffffff, 0x4d444254)
  check("mdb.str", mdb.str(OBJ + 4), "mdb-tt-obj")
  check("mdb.str max", mdb.str(OBJ + 4, 3), "mdb")
  check("mdb.read", mdb.read(OBJ, 4), "TBDM")
  check("mdb.read 0", mdb.read(OBJ, 0), "")
  check("mdb.read bad", mdb.read(0x10, 8), nil)
  check("mdb.read noncanonical", mdb.read(0x00ff000000000000, 8), nil)
  check("mdb.read unmapped (faults)", mdb.read(0xffff800000000000, 8), nil)
  check("mdb.str unmapped (faults)", mdb.str(0xffff800000000000), nil)
  check("mdb.u64 unmapped (faults)", mdb.u64(0xffff800000000000), nil)
  check("mdb.user_str unmapped (faults)", mdb.user_str(0x10000), nil)
  check("mdb.u8 bad", mdb.u8(0x10), nil)
  check("mdb.u64 bad", mdb.u64(-1), nil)
  check("mdb.str bad", mdb.str(0x10), nil)
  check("mdb.str kernel addr as user", mdb.user_str(OBJ), nil)
  check("mdb.user_str bad", mdb.user_str(0), nil)
  check("mdb.user_str", mdb.user_str(mdb.test_ubuf(), 10), "call t_mdb")
  check("mdb.read huge refused", has(errmsg(mdb.read, OBJ, 1 << 40), "out of range"), true)
  local bt = mdb.backtrace()
  check("mdb.backtrace (process)", #bt > 0, true)
  print("process bt 1 " .. tostring(bt[1]))
  mdb.printf("printf %s %d %x %5.2s|\n", "a", 1, 255, "xyz")
  print(1, nil, true, "s")
  warn("from ", "warn")
  print(string.format("t_mdb done, %d failed", nfail))
end
EOF
ctl call t_mdb
grep -E '^(FAIL|process bt)' $D/log | sed 's/^/# /'
check "mdb library: all checks pass" haslog "t_mdb done, 0 failed"
check "mdb.printf goes to the log (one message, no newline)" \
	grep -qx 'printf a 1 ff    xy|' $D/log
check "print joins with tabs" grep -qx "$(printf '1\tnil\ttrue\ts')" $D/log
check "warn goes to the log" grep -qx 'warning: from warn' $D/log

# ---- 10. re-entry: a hit inside a running script reports busy -------------------
clearlog
lua reenter <<'EOF'
inner_hits = 0
function inner(ctx) inner_hits = inner_hits + 1 end
function outer() mdb.test_poke(1) return "done" end
function report3() mdb.printf("inner_hits=%d", inner_hits) end
EOF
ctl zero
ctl arm inner poke
ctl call outer
ctl poke 5
ctl disarm
ctl call report3
check "a breakpoint hit inside a script on the same CPU is busy, at once" \
	test "$(($(st cpu0_busy) + $(st cpu1_busy)))" -eq 1
check "the interrupted script finished normally" haslog "call outer = true"
check "hits outside a script still run (5)" haslog "inner_hits=5"

# ---- 11. ctx outside its hit -----------------------------------------------
clearlog
lua keepctx <<'EOF'
function keep(ctx) saved = ctx end
function use_saved() return saved.cpu end
function set_saved() saved.cpu = 1 end
EOF
ctl arm keep
echo process 1 >$T/run
ctl disarm
ctl call use_saved
ctl call set_saved
check "ctx used after its hit is an error" \
	grep -q '^call use_saved = -22 .*ctx is only valid during its hit' $D/log
check "ctx is read-only" grep -q '^call set_saved = -22 .*read-only' $D/log
ctl call no_such_function
check "calling an undefined function is -ENOENT" \
	grep -q '^call no_such_function = -2 .*no function' $D/log

# ---- 12. GC in process context ------------------------------------------------
lua garbage <<'EOF'
function make_garbage() for i = 1, 2000 do local t = {i, tostring(i)} end end
EOF
ctl call make_garbage
g1=$(st mem_used)
ctl gc
ctl gcfull
g2=$(st mem_used)
measure gc_mem_used "before=$g1 after=$g2"
check "GC frees garbage made in a call" test "$g2" -lt "$g1"

# ---- done -----------------------------------------------------------------------
measure final_stack_used "cpu0=$(st cpu0_stack_used) cpu1=$(st cpu1_stack_used)"
ctl disarm
rmmod mdb_lua_test || notok "rmmod"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
