-- Latency of a function, entry to return, as a log2 histogram like
-- bpftrace's hist(): one `ret` breakpoint, ctx.elapsed per call.
--   cat latency-hist.lua > /sys/kernel/debug/mdb/script
--   echo 'break vfs_read ret lua=lat count' > /sys/kernel/debug/mdb/control
--   ... then: echo 'call show' > control; cat log
-- bpftrace: kprobe:vfs_read { @s[tid] = nsecs; }
--           kretprobe:vfs_read /@s[tid]/ { @ = hist(nsecs - @s[tid]); delete(@s[tid]); }
slots = {}
total = 0

-- the log2 slot of n: 0 for 0, k for 2^(k-1) <= n < 2^k
local function slot(n)
  local k = 0
  while n > 0 do n = n >> 1; k = k + 1 end
  return k
end

function lat(ctx)
  local k = slot(ctx.elapsed)
  slots[k] = (slots[k] or 0) + 1
  total = total + 1
  return false
end

-- "[lo, hi)  count |@@@@@   |", the widest bar 40 characters
local function unit(n)
  if n >= 1 << 30 then return string.format("%dG", n >> 30) end
  if n >= 1 << 20 then return string.format("%dM", n >> 20) end
  if n >= 1 << 10 then return string.format("%dK", n >> 10) end
  return tostring(n)
end

function show()
  local lo, hi, max = nil, 0, 0
  for k, n in pairs(slots) do
    if not lo or k < lo then lo = k end
    if k > hi then hi = k end
    if n > max then max = n end
  end
  print(string.format("latency (ns), %d calls", total))
  if not lo then return end
  for k = lo, hi do
    local n = slots[k] or 0
    local bar = string.rep("@", max > 0 and (n * 40 + max - 1) // max or 0)
    local a = k == 0 and 0 or 1 << (k - 1)
    print(string.format("[%s, %s) %8d |%-40s|", unit(a), unit(1 << k), n, bar))
  end
end
