-- Failed calls by errno name: a `ret` breakpoint counts the negative
-- return values of a function returning -errno (typed from its BTF).
--   cat errno-count.lua > /sys/kernel/debug/mdb/script
--   echo 'break do_sys_openat2 ret lua=err count' > /sys/kernel/debug/mdb/control
--   ... then: echo 'call errors' > control; cat log
-- bpftrace: kretprobe:do_sys_openat2 /retval < 0/ { @[-retval] = count(); }
names = {
  [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO",
  [9] = "EBADF", [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES",
  [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [20] = "ENOTDIR",
  [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE",
  [28] = "ENOSPC", [30] = "EROFS", [36] = "ENAMETOOLONG", [40] = "ELOOP",
  [95] = "EOPNOTSUPP", [110] = "ETIMEDOUT",
}
errs, ok = {}, 0

function err(ctx)
  local r = ctx.retval
  if r < 0 and r >= -4095 then
    errs[-r] = (errs[-r] or 0) + 1
  else
    ok = ok + 1
  end
  return false
end

function errors()
  local t = {}
  for e in pairs(errs) do t[#t + 1] = e end
  table.sort(t)
  print(string.format("ok %d", ok))
  for _, e in ipairs(t) do
    print(string.format("%s %d", names[e] or ("errno " .. e), errs[e]))
  end
end
