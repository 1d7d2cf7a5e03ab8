-- Print the path of every openat, read from the user pointer.
--   echo 'break do_sys_openat2 lua=path count' > /sys/kernel/debug/mdb/control
-- do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)
function path(ctx)
  local p = mdb.user_str(ctx.arg(2), 256)
  print(string.format("openat %s %d %s", ctx.comm, ctx.pid, p or "(unreadable)"))
end
