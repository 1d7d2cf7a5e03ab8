// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_bench - the hit-cost benchmark's kernel side (make bench).
 *
 * debugfs /sys/kernel/debug/mdb_bench/:
 *   run  write "call N" (N calls of mdb_bench_fn), "write N" (N writes of
 *        mdb_bench_var), "llseek N" (N calls of the kernel's noop_llseek on
 *        this file: a function with BTF whose argument leads to a chain of
 *        typed pointers, file->f_inode->i_sb->s_magic), "chain N" (N calls
 *        of mdb_bench_chain on a chain of this module's own types),
 *        "arm-limit" (a bare wide hw breakpoint with an empty handler on
 *        mdb_bench_fn: the limit), "arm-kprobe OFF" (an empty kprobe at
 *        mdb_bench_fn+OFF: the peer), "arm-kretprobe" (an empty kretprobe
 *        on mdb_bench_fn: the peer of exits), "tp N" (N hits of this
 *        module's tracepoint mdb_bench:mdb_bench_event), "disarm"
 *   ns   read: nanoseconds the last call/write run took
 * The loop runs in process context with preemption enabled, as a caller
 * of the probed function normally does.
 */
#include <linux/module.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/hw_breakpoint.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/perf_event.h>
#include <linux/uaccess.h>
#include "compat.h"

#define CREATE_TRACE_POINTS
#include "mdb_bench_trace.h"

noinline __used int mdb_bench_fn(int a, long b);

/* a chain of the module's own types (typed when the module has BTF) */
struct mdb_bench_c {
	long pad;
	long val;
};
struct mdb_bench_b {
	int pad;
	struct mdb_bench_c *c;
};
struct mdb_bench_a {
	long pad[2];
	struct mdb_bench_b *b;
};
noinline __used long mdb_bench_chain(struct mdb_bench_a *a, long i);
static struct mdb_bench_c mdb_bench_c0 = { .val = 0x6d6462 };
static struct mdb_bench_b mdb_bench_b0 = { .c = &mdb_bench_c0 };
static struct mdb_bench_a mdb_bench_a0 = { .b = &mdb_bench_b0 };
unsigned long mdb_bench_var __aligned(8);
static u64 mdb_bench_ns;
static u64 mdb_bench_hits;
static struct perf_event * __percpu *mdb_bench_hw;
static struct kprobe mdb_bench_kp;
static bool mdb_bench_kp_on;
static struct kretprobe mdb_bench_krp;
static bool mdb_bench_krp_on;
static DEFINE_MUTEX(mdb_bench_lock);

noinline __used int mdb_bench_fn(int a, long b)
{
	barrier();
	return a + (int)b;
}

noinline __used long mdb_bench_chain(struct mdb_bench_a *a, long i)
{
	barrier();
	return i;
}

static void mdb_bench_hw_handler(struct perf_event *e, struct perf_sample_data *d,
				 struct pt_regs *regs)
{
}

static int mdb_bench_kp_handler(struct kprobe *p, struct pt_regs *regs)
{
	return 0;
}

static int mdb_bench_krp_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static void mdb_bench_disarm(void)
{
	if (mdb_bench_krp_on) {
		unregister_kretprobe(&mdb_bench_krp);
		mdb_bench_krp_on = false;
	}
	if (mdb_bench_hw) {
		unregister_wide_hw_breakpoint(mdb_bench_hw);
		mdb_bench_hw = NULL;
	}
	if (mdb_bench_kp_on) {
		unregister_kprobe(&mdb_bench_kp);
		mdb_bench_kp_on = false;
	}
}

static ssize_t mdb_bench_write(struct file *f, const char __user *ub, size_t len, loff_t *pos)
{
	char buf[64], cmd[16];
	unsigned long n = 0, i;
	int ret = len, r;
	u64 t0;

	if (len >= sizeof(buf) || copy_from_user(buf, ub, len))
		return -EINVAL;
	buf[len] = '\0';
	if (sscanf(buf, "%15s %lu", cmd, &n) < 1)
		return -EINVAL;
	mutex_lock(&mdb_bench_lock);
	if (!strcmp(cmd, "call")) {
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			r = mdb_bench_fn(i, 2);
		mdb_bench_ns = ktime_get_ns() - t0;
		mdb_bench_hits += r & 0;
	} else if (!strcmp(cmd, "llseek")) {
		loff_t p = 0;

		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			p += noop_llseek(f, i, SEEK_CUR);
		mdb_bench_ns = ktime_get_ns() - t0;
		mdb_bench_hits += p & 0;
	} else if (!strcmp(cmd, "chain")) {
		long p = 0;

		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			p += mdb_bench_chain(&mdb_bench_a0, i);
		mdb_bench_ns = ktime_get_ns() - t0;
		mdb_bench_hits += p & 0;
	} else if (!strcmp(cmd, "tp")) {
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			trace_mdb_bench_event(i, 2);
		mdb_bench_ns = ktime_get_ns() - t0;
	} else if (!strcmp(cmd, "write")) {
		t0 = ktime_get_ns();
		for (i = 0; i < n; i++)
			WRITE_ONCE(mdb_bench_var, i);
		mdb_bench_ns = ktime_get_ns() - t0;
	} else if (!strcmp(cmd, "arm-limit")) {
		struct perf_event_attr attr;

		mdb_bench_disarm();
		hw_breakpoint_init(&attr);
		attr.bp_addr = (unsigned long)mdb_bench_fn;
		attr.bp_len = sizeof(long);
		attr.bp_type = HW_BREAKPOINT_X;
		mdb_bench_hw = register_wide_hw_breakpoint(&attr, mdb_bench_hw_handler, NULL);
		if (IS_ERR_PCPU(mdb_bench_hw)) {
			ret = PTR_ERR_PCPU(mdb_bench_hw);
			mdb_bench_hw = NULL;
		}
	} else if (!strcmp(cmd, "arm-kprobe")) {
		mdb_bench_disarm();
		memset(&mdb_bench_kp, 0, sizeof(mdb_bench_kp));
		mdb_bench_kp.symbol_name = "mdb_bench_fn";
		mdb_bench_kp.offset = n;
		mdb_bench_kp.pre_handler = mdb_bench_kp_handler;
		r = register_kprobe(&mdb_bench_kp);
		if (r)
			ret = r;
		else
			mdb_bench_kp_on = true;
	} else if (!strcmp(cmd, "arm-kretprobe")) {
		mdb_bench_disarm();
		memset(&mdb_bench_krp, 0, sizeof(mdb_bench_krp));
		mdb_bench_krp.kp.symbol_name = "mdb_bench_fn";
		mdb_bench_krp.handler = mdb_bench_krp_handler;
		r = register_kretprobe(&mdb_bench_krp);
		if (r)
			ret = r;
		else
			mdb_bench_krp_on = true;
	} else if (!strcmp(cmd, "disarm")) {
		mdb_bench_disarm();
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&mdb_bench_lock);
	return ret;
}

static const struct file_operations mdb_bench_run_fops = {
	.owner = THIS_MODULE,
	.write = mdb_bench_write,
};

static int mdb_bench_ns_get(void *data, u64 *val)
{
	*val = mdb_bench_ns;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mdb_bench_ns_fops, mdb_bench_ns_get, NULL, "%llu\n");

static struct dentry *mdb_bench_dir;

static int __init mdb_bench_init(void)
{
	mdb_bench_dir = debugfs_create_dir("mdb_bench", NULL);
	debugfs_create_file("run", 0200, mdb_bench_dir, NULL, &mdb_bench_run_fops);
	debugfs_create_file("ns", 0400, mdb_bench_dir, NULL, &mdb_bench_ns_fops);
	return 0;
}

static void __exit mdb_bench_exit(void)
{
	debugfs_remove(mdb_bench_dir);
	mutex_lock(&mdb_bench_lock);
	mdb_bench_disarm();
	mutex_unlock(&mdb_bench_lock);
}

module_init(mdb_bench_init);
module_exit(mdb_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mdb hit-cost benchmark helper");
