-- The top 5 processes calling a function, by comm, like bpftrace's
-- @[comm] = count() printed sorted.
--   cat top-callers.lua > /sys/kernel/debug/mdb/script
--   echo 'break vfs_write lua=tally count' > /sys/kernel/debug/mdb/control
--   ... then: echo 'call top' > control; cat log
by = {}

function tally(ctx)
  local c = ctx.comm
  by[c] = (by[c] or 0) + 1
  return false
end

function top()
  local t = {}
  for comm, n in pairs(by) do t[#t + 1] = { comm, n } end
  table.sort(t, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  for i = 1, math.min(5, #t) do
    print(string.format("top %d %s %d", i, t[i][1], t[i][2]))
  end
end
