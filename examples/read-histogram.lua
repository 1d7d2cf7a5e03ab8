-- A histogram of vfs_read sizes (powers of two), printed by `call hist`.
--   echo 'break vfs_read lua=size count' > /sys/kernel/debug/mdb/control
--   echo 'call hist' > /sys/kernel/debug/mdb/control
-- vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos)
buckets = {}

function size(ctx)
  local n, b = ctx.arg(3), 1
  while b < n do b = b * 2 end
  buckets[b] = (buckets[b] or 0) + 1
end

function hist()
  local keys = {}
  for b in pairs(buckets) do keys[#keys + 1] = b end
  table.sort(keys)
  for _, b in ipairs(keys) do
    print(string.format("read <=%d bytes: %d", b, buckets[b]))
  end
end
