-- Count calls per process name; print the table on demand.
--   cat count-per-comm.lua > /sys/kernel/debug/mdb/script
--   echo 'break vfs_read lua=count count' > /sys/kernel/debug/mdb/control
--   echo 'call report' > /sys/kernel/debug/mdb/control; cat /sys/kernel/debug/mdb/log
counts = {}

function count(ctx)
  local c = ctx.comm
  counts[c] = (counts[c] or 0) + 1
  return false            -- no log line per hit: the table is the output
end

function report()
  for comm, n in pairs(counts) do
    print(string.format("calls %s %d", comm, n))
  end
end
