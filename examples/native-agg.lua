-- Calls per process name and a latency histogram, in mdb's native maps:
-- bpftrace's @[comm] = count() and @lat = hist(...), printed as bpftrace
-- prints them. One breakpoint at the entry, one at the return.
--   cat native-agg.lua > /sys/kernel/debug/mdb/script
--   echo 'break vfs_read lua=calls count' > /sys/kernel/debug/mdb/control
--   echo 'break vfs_read ret lua=lat count' > /sys/kernel/debug/mdb/control
--   ... then: echo 'call show' > control; cat log
-- bpftrace: kprobe:vfs_read { @[comm] = count(); }
--           kprobe:vfs_read { @s[tid] = nsecs; }
--           kretprobe:vfs_read /@s[tid]/ { @lat = hist(nsecs - @s[tid]); delete(@s[tid]); }
local count, hist = mdb.count, mdb.hist

function calls(ctx)
  count(ctx.comm)
  return false
end

function lat(ctx)
  hist(ctx.elapsed, 'lat')
  return false
end

function show()
  mdb.print_map()
  mdb.print_map('lat')
end
