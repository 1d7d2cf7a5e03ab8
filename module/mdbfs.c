// SPDX-License-Identifier: GPL-2.0
/*
 * mdbfs: mdb's files in a filesystem of its own, for Secure Boot machines.
 *
 *   mount -t mdbfs none /sys/kernel/mdb
 *
 * Debian and Ubuntu boot a kernel with Secure Boot in lockdown=integrity.
 * There kprobes, perf and hardware breakpoints still work, but debugfs
 * refuses to open any file whose mode has a write bit (LOCKDOWN_DEBUGFS):
 * control, script, disasm and mem of /sys/kernel/debug/mdb cannot even be
 * opened. Lockdown's integrity level forbids changing the running kernel,
 * which mdb does not do unless allow_write is set (and that is refused
 * there, script.c); it does not close a filesystem of mdb's own. So the
 * same files, the same table (mdb_files[], debugfs.c) with the same
 * file_operations, are offered here too, at a mount point in sysfs the
 * way tracefs sits at /sys/kernel/tracing.
 *
 * The user mounts it: a module has no clean way to attach a mount to a
 * path (the kernel's mount helpers are not exported; init_mount() is
 * __init), and a mount the module made itself would also pin the module
 * it belongs to, so rmmod could never succeed. One superblock serves every
 * mount (get_tree_single()). A mount holds a reference on mdb (the
 * filesystem type's owner), as an open file does: `rmmod mdb` fails until
 * it is unmounted, so the files never outlive the module.
 *
 * Process context only.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/sysfs.h>
#include "mdb.h"
#include "mdbfs.h"

#define MDBFS_MAGIC 0x6d646266	/* "mdbf" */

/* A superblock exists (some mount of mdbfs): status says so. */
static bool mdbfs_mounted;

static int mdbfs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	int ret = simple_fill_super(sb, MDBFS_MAGIC, mdb_files);

	if (!ret)
		WRITE_ONCE(mdbfs_mounted, true);
	return ret;
}

static int mdbfs_get_tree(struct fs_context *fc)
{
	return get_tree_single(fc, mdbfs_fill_super);
}

static const struct fs_context_operations mdbfs_context_ops = {
	.get_tree = mdbfs_get_tree,
};

static int mdbfs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &mdbfs_context_ops;
	return 0;
}

static void mdbfs_kill_sb(struct super_block *sb)
{
	WRITE_ONCE(mdbfs_mounted, false);
	/* the files' dentries: pinned (or persistent) since fill_super */
	mdb_kill_simple_super(sb);
}

static struct file_system_type mdbfs_type = {
	.owner = THIS_MODULE,
	.name = "mdbfs",
	.init_fs_context = mdbfs_init_fs_context,
	.kill_sb = mdbfs_kill_sb,
};
MODULE_ALIAS_FS("mdbfs");

/*
 * Is debugfs locked down? Once it is, it stays so (lockdown is only ever
 * raised), so the kernel is asked until the answer is yes and never again:
 * each yes writes "debugfs access is restricted" to the kernel log.
 */
static bool mdb_debugfs_locked(void)
{
	static bool locked;

	if (!READ_ONCE(locked) && security_locked_down(LOCKDOWN_DEBUGFS))
		WRITE_ONCE(locked, true);
	return READ_ONCE(locked);
}

/* status: which place to use (lockdown can be raised at run time). */
void mdb_files_status(struct seq_file *m)
{
	const char *mdbfs = READ_ONCE(mdbfs_mounted) ?
		MDBFS_MOUNT_POINT " (mdbfs, mounted)" :
		MDBFS_MOUNT_POINT " after 'mount -t mdbfs none " MDBFS_MOUNT_POINT "'";
	const struct tree_descr *f;
	const char *sep = "";

	if (!mdb_debugfs_locked()) {
		seq_printf(m, "files: /sys/kernel/debug/mdb (debugfs); also %s\n", mdbfs);
		return;
	}
	seq_printf(m, "files: %s; debugfs is locked down (kernel lockdown, integrity level): ", mdbfs);
	for_each_mdb_file(f) {
		if (f->mode & 0222) {
			seq_printf(m, "%s%s", sep, f->name);
			sep = ", ";
		}
	}
	seq_puts(m, " do not open in /sys/kernel/debug/mdb\n");
}

int mdb_mdbfs_init(void)
{
	int ret;

	/* before the type: a mount may follow at once */
	ret = sysfs_create_mount_point(kernel_kobj, "mdb");
	if (ret) {
		pr_err("cannot create the mount point %s (%d)\n", MDBFS_MOUNT_POINT, ret);
		return ret;
	}
	ret = register_filesystem(&mdbfs_type);
	if (ret) {
		pr_err("cannot register the filesystem mdbfs (%d)\n", ret);
		sysfs_remove_mount_point(kernel_kobj, "mdb");
		return ret;
	}
	if (mdb_debugfs_locked())
		pr_notice("debugfs is locked down: mdb's files are in mdbfs (mount -t mdbfs none %s)\n",
			  MDBFS_MOUNT_POINT);
	return 0;
}

/* Nothing is mounted: a mount would hold a reference on mdb. */
void mdb_mdbfs_exit(void)
{
	unregister_filesystem(&mdbfs_type);
	sysfs_remove_mount_point(kernel_kobj, "mdb");
}
