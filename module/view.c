// SPDX-License-Identifier: GPL-2.0
/*
 * The disasm and mem files: write what to look at, read the listing.
 *
 *   echo 'vfs_read 20 intel' > disasm; cat disasm
 *   echo 'jiffies 64' > mem; cat mem
 *
 * Each file keeps the last request written (shared by all its users, like
 * a register); every read formats it afresh. Memory is read with copy_from_kernel_nofault(), so an
 * unmapped byte is shown as such ("??"), never faulted on. Process context.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "mdb.h"
#include "bp.h"
#include "parse.h"
#include "zydis/mdb_dis.h"

struct mdb_view {
	enum mdb_op op;		/* MDB_OP_DISASM or MDB_OP_MEM */
	bool set;
	unsigned long addr;
	struct mdb_cmd cmd;
	char err[MDB_EXPLAIN_MAX];
};

/* The two requests; each guarded by mdb_view_lock. */
static struct mdb_view mdb_views[2] = {
	{ .op = MDB_OP_DISASM }, { .op = MDB_OP_MEM },
};
static DEFINE_MUTEX(mdb_view_lock);

static int mdb_view_resolve(struct mdb_view *v)
{
	return mdb_resolve(&v->cmd.loc, &v->addr, v->err, sizeof(v->err));
}

static ssize_t mdb_view_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct mdb_view *v = m->private;
	struct mdb_parse_err e;
	struct mdb_cmd *cmd, *old;
	char *buf;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (len > MDB_LINE_MAX + 2)
		return -E2BIG;
	cmd = kmalloc(2 * sizeof(*cmd), GFP_KERNEL);
	buf = cmd ? memdup_user_nul(ubuf, len) : ERR_PTR(-ENOMEM);
	if (IS_ERR(buf)) {
		/* the previous request stays; status says why (mdb_failnth_test) */
		char msg[96];

		snprintf(msg, sizeof(msg), "%s: %s; the previous request stays",
			 v->op == MDB_OP_DISASM ? "disasm" : "mem",
			 PTR_ERR(buf) == -ENOMEM ? "no memory for the request" :
			 "cannot copy the request from user space");
		mdb_lasterr_note(msg);
		kfree(cmd);
		return PTR_ERR(buf);
	}
	old = cmd + 1;
	mutex_lock(&mdb_view_lock);
	/* a bad request changes nothing: the previous one stays */
	ret = mdb_parse_view(v->op, buf, len, cmd, &e);
	if (ret) {
		mdb_parse_explain(v->err, sizeof(v->err), buf, len, &e);
	} else {
		unsigned long old_addr = v->addr;

		*old = v->cmd;
		v->cmd = *cmd;
		ret = mdb_view_resolve(v);
		if (ret) {
			v->cmd = *old;
			v->addr = old_addr;
		} else {
			v->set = true;
		}
	}
	if (ret)
		mdb_lasterr_note(v->err);
	mutex_unlock(&mdb_view_lock);
	kfree(buf);
	kfree(cmd);
	return ret ? ret : len;
}

static void mdb_disasm_show(struct seq_file *m, struct mdb_view *v)
{
	bool intel = v->cmd.intel;
	unsigned long a = v->addr;
	char sym[KSYM_SYMBOL_LEN], text[160];
	u8 bytes[MDB_INSN_MAX];
	unsigned int i;
	int j;

	for (i = 0; i < v->cmd.insns; i++) {
		int n = mdb_dis_read(a, bytes, sizeof(bytes));
		int ilen = 1;

		mdb_sprint_sym(sym, a);
		if (n <= 0) {
			seq_printf(m, "%016lx <%s>: ?? (unreadable)\n", a, sym);
			break;
		}
		mdb_dis_format(a, bytes, n, intel, text, sizeof(text), &ilen);
		if (ilen < 1)
			ilen = 1;
		seq_printf(m, "%016lx <%s>: ", a, sym);
		for (j = 0; j < ilen && j < n; j++)
			seq_printf(m, "%02x ", bytes[j]);
		for (; j < 8; j++)
			seq_puts(m, "   ");
		seq_printf(m, "\t%s\n", text);
		a += ilen;
	}
}

static void mdb_mem_show(struct seq_file *m, struct mdb_view *v)
{
	unsigned long a = v->addr, end = v->addr + v->cmd.bytes;
	char sym[KSYM_SYMBOL_LEN];

	mdb_sprint_sym(sym, a);
	seq_printf(m, "# %lu bytes at 0x%lx <%s>; ?? = unreadable\n",
		   end - a, a, sym);
	while (a < end) {
		unsigned long line = a & ~15UL;
		u8 b[16];
		bool ok[16];
		int i;

		for (i = 0; i < 16; i++) {
			unsigned long x = line + i;

			ok[i] = x >= a && x < end &&
				!copy_from_kernel_nofault(&b[i], (void *)x, 1);
		}
		seq_printf(m, "%016lx: ", line);
		for (i = 0; i < 16; i++) {
			unsigned long x = line + i;

			if (x < a || x >= end)
				seq_puts(m, "   ");
			else if (ok[i])
				seq_printf(m, "%02x ", b[i]);
			else
				seq_puts(m, "?? ");
			if (i == 7)
				seq_putc(m, ' ');
		}
		seq_puts(m, " |");
		for (i = 0; i < 16; i++) {
			unsigned long x = line + i;

			if (x < a || x >= end)
				seq_putc(m, ' ');
			else if (!ok[i])
				seq_putc(m, '?');
			else
				seq_putc(m, b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.');
		}
		seq_puts(m, "|\n");
		a = line + 16;
		cond_resched();
	}
}

static int mdb_view_show(struct seq_file *m, void *p)
{
	struct mdb_view *v = m->private;

	mutex_lock(&mdb_view_lock);
	if (!v->set)
		seq_printf(m, "# write %s first\n", v->op == MDB_OP_DISASM ?
			   "'LOC [COUNT] [intel]' (COUNT 1..1000, default 10)" :
			   "'LOC LEN' (LEN 1..4096)");
	else if (v->op == MDB_OP_DISASM)
		mdb_disasm_show(m, v);
	else
		mdb_mem_show(m, v);
	mutex_unlock(&mdb_view_lock);
	return 0;
}

static int mdb_disasm_open(struct inode *inode, struct file *file)
{
	return single_open(file, mdb_view_show, &mdb_views[0]);
}

static int mdb_mem_open(struct inode *inode, struct file *file)
{
	return single_open(file, mdb_view_show, &mdb_views[1]);
}

const struct file_operations mdb_disasm_fops = {
	.owner = THIS_MODULE,
	.open = mdb_disasm_open,
	.read = seq_read,
	.write = mdb_view_write,
	.llseek = seq_lseek,
	.release = single_release,
};

const struct file_operations mdb_mem_fops = {
	.owner = THIS_MODULE,
	.open = mdb_mem_open,
	.read = seq_read,
	.write = mdb_view_write,
	.llseek = seq_lseek,
	.release = single_release,
};
