// SPDX-License-Identifier: GPL-2.0
/*
 * Lua scripts, the commands' side: the script file, `load PATH`, `call
 * FN`, and the script's lines in status. What a script does at a hit is
 * script_hit.c's; the runtime itself is lua-bindings/ (mdb_lua.h).
 *
 * One script is loaded at a time: `cat probe.lua > script` compiles the
 * text when the file is closed (a compile error fails the close, with the
 * Lua message in status) and replaces the previous script: the new state
 * is published, every hit that may still use the old one finishes
 * (synchronize_rcu(): hit handlers are NMI or preemption-off sections),
 * then the old state is freed. Opening it for writing and writing nothing
 * (`: > script`) unloads the script.
 *
 * Process context.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include "lua.h"
#include "lauxlib.h"
#include "mdb_lua.h"
#include "mdb.h"
#include "bp.h"
#include "mdb_ltype.h"
#include "btfidx.h"
#include "script.h"

static unsigned int lua_arena_kb = 256;
module_param(lua_arena_kb, uint, 0444);
MODULE_PARM_DESC(lua_arena_kb, "memory of the script state, reserved when it is loaded (KiB, default 256)");

#define MDB_SCRIPT_MAX (1024 * 1024)	/* bytes of Lua source */

static char *mdb_script_src;		/* the loaded text, for reading back */
static size_t mdb_script_len;

/* ---- process context ---------------------------------------------------- */

/* call FN: process context, under mdb_lock. */
int mdb_script_call(const char *fn, char *err, size_t errlen)
{
	struct mdb_lua_call c = {
		.fn = fn, .budget = READ_ONCE(lua_budget) * 10ULL,
		.wait_ns = 10 * NSEC_PER_MSEC, .err = err, .errlen = errlen,
	};
	int r;

	if (!mdb_script) {
		scnprintf(err, errlen, "call %s: no script loaded (cat probe.lua > script)", fn);
		return -ENOENT;
	}
	r = mdb_lua_call(mdb_script, &c);
	mdb_lua_gc_step(mdb_script, false);
	if (r == -ENOENT)
		scnprintf(err, errlen, "call %s: the script has no function '%s'", fn, fn);
	return r < 0 ? r : 0;
}

/*
 * allow_write=1 changes the running kernel, which lockdown's integrity
 * level forbids: LOCKDOWN_DBG_WRITE_KERNEL, the rule kdb follows. There
 * the parameter is refused and scripts only read. Checked at load and at
 * every script load (lockdown can be raised at run time); process context:
 * the LSM hook may print.
 */
static void mdb_script_check_write(void)
{
	if (!READ_ONCE(allow_write) || !security_locked_down(LOCKDOWN_DBG_WRITE_KERNEL))
		return;
	allow_write_locked = true;
	WRITE_ONCE(allow_write, false);
	pr_warn("allow_write=1 refused: the kernel is locked down (integrity: LOCKDOWN_DBG_WRITE_KERNEL); scripts cannot write kernel memory or registers\n");
}

/*
 * Replace the script by @src (NULL: unload), compiled as chunk @name. 0 or
 * -errno, @err says why. @locked: the caller holds mdb_lock (`load`).
 */
static int __mdb_script_replace(const char *src, size_t len, const char *name,
				bool locked, char *err, size_t errlen)
{
	struct mdb_lua *S = NULL, *old;
	char *copy = NULL;
	int ret;

	if (src) {
		mdb_script_check_write();
		copy = kvmalloc(len + 1, GFP_KERNEL);
		if (!copy) {
			scnprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		memcpy(copy, src, len);
		copy[len] = '\0';
		S = mdb_lua_create((size_t)lua_arena_kb * 1024, err, errlen);
		if (!S) {
			kvfree(copy);
			return -ENOMEM;
		}
		ret = mdb_lua_load(S, src, len, name, err, errlen);
		if (ret) {
			mdb_lua_destroy(S);
			kvfree(copy);
			return ret == -ETIME || ret == -ENOMEM ? ret : -EINVAL;
		}
	}
	if (!locked)
		mutex_lock(&mdb_lock);
	old = mdb_script;
	WRITE_ONCE(mdb_script, S);
	kvfree(mdb_script_src);
	mdb_script_src = copy;
	mdb_script_len = src ? len : 0;
	if (!locked)
		mutex_unlock(&mdb_lock);
	if (old) {
		/* hits that read the old state are NMI/preempt-off sections */
		synchronize_rcu();
		mdb_lua_destroy(old);
	}
	return 0;
}

static int mdb_script_replace(const char *src, size_t len, char *err, size_t errlen)
{
	return __mdb_script_replace(src, len, "script", false, err, errlen);
}

/**
 * mdb_script_load_file - `load PATH`: read the file and make it the script
 * @path: an absolute path, opened in the writer's file system view
 *
 * Compiles during the write to control, so a syntax error fails that
 * write (EINVAL) with "PATH:LINE: message" in @err; the previous script
 * stays loaded then. At most 1 MiB, a regular file.
 *
 * Context: process, under mdb_lock (the control write).
 */
int mdb_script_load_file(const char *path, char *err, size_t errlen)
{
	void *buf = NULL;
	ssize_t n;
	int ret;

	n = mdb_read_file(path, MDB_SCRIPT_MAX, &buf);
	if (n < 0) {
		scnprintf(err, errlen, "load %s: %s (error %zd)", path,
			  n == -ENOENT ? "no such file" : n == -EFBIG ? "larger than 1 MiB" :
			  n == -EINVAL ? "not a regular file" : "cannot read it", n);
		return n;
	}
	if (!n) {
		scnprintf(err, errlen, "load %s: the file is empty", path);
		return -EINVAL;
	}
	ret = __mdb_script_replace(buf, n, path, true, err, errlen);
	kvfree(buf);
	return ret;
}

/* ---- the script file --------------------------------------------------- */

struct mdb_script_buf {
	char *text;
	size_t len;
	/* failed: a write failed, so the text misses a piece: nothing loads */
	bool written, done, failed;
};

static int mdb_script_open(struct inode *inode, struct file *file)
{
	struct mdb_script_buf *b;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	file->private_data = b;
	return 0;
}

static ssize_t mdb_script_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	struct mdb_script_buf *b = file->private_data;
	char *n;

	/*
	 * A failed write leaves the script as it was, also at close: this
	 * open file loads nothing any more (found by mdb_failnth_test: the
	 * close after a failed first write unloaded the script).
	 */
	if (b->failed)
		return -EIO;
	if (b->len + len > MDB_SCRIPT_MAX) {
		b->failed = true;
		mdb_lasterr_note("script: larger than 1 MiB; the script stays as it was");
		return -EFBIG;
	}
	/* grow (kvrealloc's signature differs between 6.1 and 6.12) */
	n = kvmalloc(b->len + len + 1, GFP_KERNEL);
	if (!n) {
		b->failed = true;
		mdb_lasterr_note("script: no memory for the source; the script stays as it was");
		return -ENOMEM;
	}
	if (b->len)
		memcpy(n, b->text, b->len);
	kvfree(b->text);
	b->text = n;
	if (copy_from_user(b->text + b->len, ubuf, len)) {
		b->failed = true;
		mdb_lasterr_note("script: cannot copy the source from user space; the script stays as it was");
		return -EFAULT;
	}
	b->len += len;
	b->written = true;
	return len;
}

/* Reading gives back the loaded script. */
static ssize_t mdb_script_read(struct file *file, char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&mdb_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, mdb_script_src ?: "",
				      mdb_script_len);
	mutex_unlock(&mdb_lock);
	return ret;
}

/* close(2): compile what was written; an error fails the close. */
static int mdb_script_flush(struct file *file, fl_owner_t id)
{
	struct mdb_script_buf *b = file->private_data;
	char *err;
	int ret;

	/*
	 * Only when something was written: a shell redirection closes a
	 * duplicate of the descriptor before the data comes. Nothing written
	 * at all unloads, in release.
	 */
	if (!(file->f_mode & FMODE_WRITE) || b->done || !b->written || b->failed)
		return 0;
	b->done = true;
	err = kzalloc(1024, GFP_KERNEL);
	if (!err) {
		mdb_lasterr_note("script: no memory to compile it; the script stays as it was");
		return -ENOMEM;
	}
	strscpy(err, "script: ", 1024);
	ret = mdb_script_replace(b->len ? b->text : NULL, b->len, err + 8, 1024 - 8);
	if (ret) {
		if (!err[8])
			strscpy(err + 8, "cannot load", 1024 - 8);
		mdb_lasterr_note(err);
	}
	kfree(err);
	return ret;
}

static int mdb_script_release(struct inode *inode, struct file *file)
{
	struct mdb_script_buf *b = file->private_data;
	char err[64];

	if ((file->f_mode & FMODE_WRITE) && !b->written && !b->failed)
		mdb_script_replace(NULL, 0, err, sizeof(err));	/* unload */
	kvfree(b->text);
	kfree(b);
	return 0;
}

const struct file_operations mdb_script_fops = {
	.owner = THIS_MODULE,
	.open = mdb_script_open,
	.read = mdb_script_read,
	.write = mdb_script_write,
	.flush = mdb_script_flush,
	.release = mdb_script_release,
};

void mdb_script_status(struct seq_file *m)
{
	struct mdb_lua_stats st;
	u64 calls = 0;
	int cpu;

	if (!mdb_script) {
		seq_puts(m, "script: none\n");
	} else {
		mdb_lua_get_stats(mdb_script, &st);
		seq_printf(m, "script: %zu bytes of source; memory %zu of %zu bytes used (peak %zu, empty state %zu)\n",
			   mdb_script_len, st.mem_used, st.mem_size, st.mem_peak, st.mem_libs);
	}
	for_each_possible_cpu(cpu)
		calls += per_cpu(mdb_script_calls, cpu);
	seq_printf(m, "script calls: %llu\n", calls);
	seq_printf(m, "script writes: %s\n", allow_write ?
		   "allowed (allow_write=1: mdb.write_u*, ctx.regs.NAME = v)" :
		   allow_write_locked ?
		   "off (allow_write=1 refused: the kernel is locked down, integrity: LOCKDOWN_DBG_WRITE_KERNEL)" :
		   "off");
	seq_printf(m, "script errors: %lld\n", atomic64_read(&mdb_script_errors));
	seq_printf(m, "faulted reads: %llu\n", mdb_ltype_faults());
	mdb_btfidx_status(m);
}

int mdb_script_init(void)
{
	int ret;

	mdb_script_check_write();
	ret = mdb_script_hit_init();
	if (ret)
		return ret;
	return mdb_lua_init();
}

/* After every breakpoint is gone: no call can start. */
void mdb_script_exit(void)
{
	mdb_lua_destroy(mdb_script);
	mdb_script = NULL;
	kvfree(mdb_script_src);
	mdb_script_src = NULL;
	mdb_lua_exit();
}
