// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mdb/: the user interface.
 *
 *   control      (0600) write commands, one per line; read the command summary
 *   status       (0400) version, kernel, debug registers, counters, last error
 *   breakpoints  (0400) the table of breakpoints and watchpoints
 *   log          (0400) the event stream, consuming, like trace_pipe
 *   vetoes       (0400) the ranges mdb refuses, with the reason
 *   disasm       (0600) write "LOC [COUNT] [intel]", read the listing
 *   mem          (0600) write "LOC LEN", read a hex + ASCII dump
 *   script       (0600) write Lua source, compiled on close; read it back
 *
 * Every handler runs in process context. Writes that change state also
 * require CAP_SYS_ADMIN, whatever the file mode says.
 */
#include <linux/kernel.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mdb.h"
#include "bp.h"

static struct dentry *mdb_dir;

static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos)
{
	char *buf;
	ssize_t ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > MDB_WRITE_MAX)
		return mdb_control_too_long(len);
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = mdb_control_write(buf, len);
	kfree(buf);
	return ret;
}

static int control_show(struct seq_file *m, void *v)
{
	mdb_control_help(m);
	return 0;
}

static int control_open(struct inode *inode, struct file *file)
{
	return single_open(file, control_show, NULL);
}

static const struct file_operations control_fops = {
	.owner = THIS_MODULE,
	.open = control_open,
	.read = seq_read,
	.write = control_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int status_show(struct seq_file *m, void *v)
{
	mdb_status_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int breakpoints_show(struct seq_file *m, void *v)
{
	mdb_bp_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(breakpoints);

static int vetoes_show(struct seq_file *m, void *v)
{
	mdb_safety_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vetoes);

int mdb_debugfs_init(void)
{
	mdb_dir = debugfs_create_dir("mdb", NULL);
	if (IS_ERR(mdb_dir)) {
		pr_err("cannot create debugfs directory mdb (%ld); is debugfs enabled?\n",
		       PTR_ERR(mdb_dir));
		return PTR_ERR(mdb_dir);
	}
	debugfs_create_file("control", 0600, mdb_dir, NULL, &control_fops);
	debugfs_create_file("status", 0400, mdb_dir, NULL, &status_fops);
	debugfs_create_file("breakpoints", 0400, mdb_dir, NULL, &breakpoints_fops);
	debugfs_create_file("log", 0400, mdb_dir, NULL, &mdb_log_fops);
	debugfs_create_file("vetoes", 0400, mdb_dir, NULL, &vetoes_fops);
	debugfs_create_file("disasm", 0600, mdb_dir, NULL, &mdb_disasm_fops);
	debugfs_create_file("mem", 0600, mdb_dir, NULL, &mdb_mem_fops);
	/*
	 * "unsafe": debugfs's proxy does not forward .flush, which compiles
	 * the script on close(2) so the error reaches the writer. The proxy
	 * only guards against removal while a handler runs; .owner pins
	 * mdb while the file is open, so removal (module exit) cannot race.
	 */
	debugfs_create_file_unsafe("script", 0600, mdb_dir, NULL, &mdb_script_fops);
	return 0;
}

void mdb_debugfs_exit(void)
{
	/* Waits for handlers still running in these files. */
	debugfs_remove(mdb_dir);
	mdb_dir = NULL;
}
