// SPDX-License-Identifier: GPL-2.0
/*
 * mdb's files: the one table of them (mdb_files[]) and their first place,
 * /sys/kernel/debug/mdb/. mdbfs.c puts the same table, with the same
 * file_operations, in mdb's own filesystem (/sys/kernel/mdb/), for kernels
 * whose lockdown closes debugfs.
 *
 *   control      (0600) write commands, one per line; read the command summary
 *   status       (0400) version, kernel, debug registers, counters, last error
 *   breakpoints  (0400) the table of breakpoints and watchpoints
 *   log          (0400) the event stream, consuming, like trace_pipe
 *   vetoes       (0400) the ranges mdb refuses, with the reason
 *   disasm       (0600) write "LOC [COUNT] [intel]", read the listing
 *   mem          (0600) write "LOC LEN", read a hex + ASCII dump
 *   script       (0600) write Lua source, compiled on close; read it back
 *   tracepoints  (0400) the kernel's tracepoints mdb can hook, with their arguments
 *   aggr         (0400) the maps of by= and hist=, as bpftrace prints them
 *
 * Every handler runs in process context and keeps no state in the inode,
 * so it serves both places alike. Writes that change state also require
 * CAP_SYS_ADMIN, whatever the file mode says.
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
#include "mdbfs.h"

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
	if (IS_ERR(buf)) {
		/* status says why too (found by mdb_failnth_test) */
		mdb_lasterr_note(PTR_ERR(buf) == -ENOMEM ?
				       "control: no memory for the write; nothing was run" :
				       "control: cannot copy the write from user space; nothing was run");
		return PTR_ERR(buf);
	}
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
	mdb_status_show(m, mdb_files_status);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int breakpoints_show(struct seq_file *m, void *v)
{
	return mdb_bp_show(m);
}
DEFINE_SHOW_ATTRIBUTE(breakpoints);

static int aggr_show(struct seq_file *m, void *v)
{
	return mdb_aggr_show(m);
}
DEFINE_SHOW_ATTRIBUTE(aggr);

static int vetoes_show(struct seq_file *m, void *v)
{
	mdb_safety_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vetoes);

/*
 * The files, both places. In simple_fill_super()'s layout: the index is
 * the inode number in mdbfs, so slots 0 and 1 (the root) stay empty; an
 * empty name ends the table.
 */
const struct tree_descr mdb_files[] = {
	[2] = { "control", &control_fops, 0600 },
	{ "status", &status_fops, 0400 },
	{ "breakpoints", &breakpoints_fops, 0400 },
	{ "log", &mdb_log_fops, 0400 },
	{ "vetoes", &vetoes_fops, 0400 },
	{ "disasm", &mdb_disasm_fops, 0600 },
	{ "mem", &mdb_mem_fops, 0600 },
	{ "script", &mdb_script_fops, 0600 },
	{ "tracepoints", &mdb_tracepoints_fops, 0400 },
	{ "aggr", &aggr_fops, 0400 },
	{ "" }
};

int mdb_debugfs_init(void)
{
	const struct tree_descr *f;

	mdb_dir = debugfs_create_dir("mdb", NULL);
	if (IS_ERR(mdb_dir)) {
		pr_err("cannot create debugfs directory mdb (%ld); is debugfs enabled?\n",
		       PTR_ERR(mdb_dir));
		return PTR_ERR(mdb_dir);
	}
	for_each_mdb_file(f) {
		/*
		 * "unsafe" for a file with .flush (script: compiled on
		 * close(2), so the error reaches the writer): debugfs's proxy
		 * does not forward .flush. The proxy only guards against
		 * removal while a handler runs; .owner pins mdb while the
		 * file is open, so removal (module exit) cannot race.
		 */
		struct dentry *d;

		if (f->ops->flush)
			d = debugfs_create_file_unsafe(f->name, f->mode, mdb_dir, NULL, f->ops);
		else
			d = debugfs_create_file(f->name, f->mode, mdb_dir, NULL, f->ops);
		/* no half a set of files: mdb loaded without control (mdb_failnth_test) */
		if (IS_ERR(d)) {
			pr_err("cannot create debugfs file mdb/%s (%ld)\n", f->name, PTR_ERR(d));
			mdb_debugfs_exit();
			return PTR_ERR(d);
		}
	}
	return 0;
}

void mdb_debugfs_exit(void)
{
	/* Waits for handlers still running in these files. */
	debugfs_remove(mdb_dir);
	mdb_dir = NULL;
}
