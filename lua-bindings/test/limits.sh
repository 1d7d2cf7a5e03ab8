#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# limits.sh - measures how deep each kind of C recursion gets on the
# per-CPU script stack before the stack check stops it (levels, and the
# stack depth at the deepest level), and the parser's nesting limits.
# Runs in the test VM like vm-test.sh; prints a table, tests nothing:
#   scripts/vm-run --kernel 6.1 --ko lua-bindings/test/build/mdb_lua_test-6.1.ko \
#       --exec lua-bindings/test/limits.sh
D=/sys/kernel/debug/mdb_lua_test
T=/sys/kernel/debug/mdb_test_target
ko=$(ls /lib/mdb/extra/mdb_lua_test*.ko | head -n 1)
target=$(awk '$1 == "mdb_tt_target" { print $2 }' $T/addresses)
insmod $ko target=$target
cat > $D/script <<'EOF'
maxd, n = 0, 0
local function probe()
  local _, on, d = mdb.test_where()
  n = n + 1
  if d > maxd then maxd = d end
end
local R = {}
function R.meta()
  local mt = {}
  mt.__index = function(t, k) probe() return setmetatable({}, mt)[k] end
  return setmetatable({}, mt).x
end
function R.pcall()
  local function f() probe() local ok, e = pcall(f); error(e, 0) end
  return f()
end
function R.gsub()
  local function g() probe() return (string.gsub("x", "x", g)) end
  return g()
end
function R.tostring()
  local mt = {}
  mt.__tostring = function() probe() return tostring(setmetatable({}, mt)) end
  return tostring(setmetatable({}, mt))
end
function R.format()
  local mt = {}
  mt.__tostring = function() probe() return string.format("%s", setmetatable({}, mt)) end
  return string.format("%s", setmetatable({}, mt))
end
function R.coroutine()
  local function c() probe() return coroutine.wrap(c)() end
  return c()
end
function R.sort()
  local function cmp(a, b) probe() table.sort({3, 2, 1}, cmp) return a < b end
  table.sort({3, 2, 1}, cmp)
end
function R.concat()
  local mt = {}
  mt.__index = function(t, k) probe() return table.concat(setmetatable({}, mt), "", 1, 1) end
  return table.concat(setmetatable({}, mt), "", 1, 1)
end
function R.print()
  local mt = {}
  mt.__tostring = function() probe() print(setmetatable({}, mt)) return "x" end
  print(setmetatable({}, mt))
end
function R.xpcall()
  local ok, e = xpcall(R.meta, function(m) return R.meta() end)
  error(e, 0)
end
function R.parser()
  return assert(load("return " .. string.rep("(", 1000) .. "1" .. string.rep(")", 1000)))
end
function R.parser_concat()
  return assert(load("return " .. string.rep("'a' .. ", 1000) .. "'b'"))
end
function R.parser2()
  return assert(load("return " .. string.rep("{function() return ", 200) .. "1" .. string.rep(" end}", 200)))
end
function R.pattern()
  return string.find(string.rep("a", 300), string.rep("a?", 200) .. "b")
end
function R.pattern2()
  return string.find(string.rep("a", 300), string.rep("(a", 30) .. string.rep(")", 30) .. "b")
end
-- the largest n for which make(n) compiles
local function maxlevel(make)
  local lo, hi = 1, 2000
  while lo < hi do
    local mid = (lo + hi + 1) // 2
    if load(make(mid)) then lo = mid else hi = mid - 1 end
    collectgarbage()
  end
  return lo
end
local P = {
  parens = function(n) return "return " .. ("("):rep(n) .. "1" .. (")"):rep(n) end,
  concat = function(n) return "return " .. ("'a' .. "):rep(n) .. "'b'" end,
  blocks = function(n) return ("if x then "):rep(n) .. ("end "):rep(n) end,
  tables = function(n) return "return " .. ("{"):rep(n) .. ("}"):rep(n) end,
  functions = function(n) return "return " .. ("function() return "):rep(n) .. "1" .. (" end"):rep(n) end,
}
function parser_limits()
  local names = {}
  for k in pairs(P) do names[#names + 1] = k end
  table.sort(names)
  for _, k in ipairs(names) do
    mdb.printf("parser %-10s max nesting %d", k, maxlevel(P[k]))
  end
end
function measure(name)
  maxd, n = 0, 0
  local ok, e = pcall(R[name])
  mdb.printf("%-14s levels=%3d maxdepth_at_probe=%6d ok=%s %s", name, n, maxd, tostring(ok), tostring(e))
end
function all(ctx)
  local names = {}
  for k in pairs(R) do names[#names + 1] = k end
  table.sort(names)
  for _, k in ipairs(names) do measure(k) collectgarbage() end
end
EOF
echo load x > $D/ctl || cat $D/status
echo "arm all 100000000" > $D/ctl
echo process 1 > $T/run
echo disarm > $D/ctl
echo "call parser_limits 100000000" > $D/ctl
cat $D/log
grep stack_used $D/status
