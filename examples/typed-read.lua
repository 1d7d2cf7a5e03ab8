-- Types from BTF: the file a read is on, and how much it asks, by name.
--   echo "load $PWD/typed-read.lua" > /sys/kernel/debug/mdb/control
--   echo 'break vfs_read comm=dd lua=typed' > /sys/kernel/debug/mdb/control
-- vfs_read(struct file *file, char __user *buf, size_t count, loff_t *pos):
-- no offsets, no kernel-version knowledge; the same script runs on 5.10
-- and on 7.3.
function typed(ctx)
  local a = ctx.args
  local name = a.file.f_path.dentry.d_name.name:str()
  mdb.printf("%s reads %d bytes of %s at %d (inode %d)", ctx.comm, a.count, name,
             a.pos[0], a.file.f_inode.i_ino)
  mdb.dump(a.file.f_path.dentry, 1)
end
