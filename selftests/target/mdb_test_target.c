// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_test_target - functions and data for mdb's selftests to put
 * breakpoints and watchpoints on, with exact counters of how often they ran.
 *
 * Symbols (non-static, listed in /proc/kallsyms with [mdb_test_target]):
 *   void mdb_tt_target(unsigned long arg)     breakpoint target; arg is the
 *                                             0-based index of the call within
 *                                             the command on that CPU
 *   long mdb_tt_args(int a, long b, const char *s, unsigned long c, u8 d,
 *                    void *e)                 always called with a=42, b=-7,
 *                                             s="mdb-test-string",
 *                                             c=0xfeedface, d=0x5a,
 *                                             e=&mdb_tt_args_obj
 *   unsigned long mdb_tt_watched              8-byte aligned watchpoint target
 *   u8 mdb_tt_watched_bytes[16]               16-byte aligned watchpoint target
 *   struct mdb_tt_obj mdb_tt_args_obj         the object passed as 'e'
 *
 * debugfs: /sys/kernel/debug/mdb_test_target/ (root only)
 *
 * run (write one command per write(2); numbers are decimal; N is 1..10000000;
 *      anything else fails with -EINVAL; commands are serialised, a second
 *      writer waits for the running command to finish):
 *   process N      call mdb_tt_target N times in the writer's context
 *   softirq N      on each online CPU call it N times from a pinned timer
 *                  (softirq) that does up to 64 calls per expiry and re-arms
 *                  itself with expires = jiffies
 *   hardirq N      on each online CPU call it N times from a hard irq_work
 *                  (hardirq context, also on PREEMPT_RT) that does up to 64
 *                  calls per run and re-queues itself
 *   kthread N      on each online CPU a kthread bound to that CPU makes N calls
 *   all N          process N, softirq N, hardirq N, kthread N (stops at the
 *                  first error)
 *   args N         call mdb_tt_args N times from the writer's context; the
 *                  write fails with -EIO (after all N calls) if any call
 *                  returned something other than the expected value
 *   write N        N x WRITE_ONCE(mdb_tt_watched, v) where v is the new value
 *                  of watched_writes, so after the command mdb_tt_watched ==
 *                  watched_writes
 *   read N         N x READ_ONCE(mdb_tt_watched)
 *   writeb N OFF WIDTH
 *                  N writes of WIDTH (1, 2, 4 or 8) bytes at byte offset OFF
 *                  of mdb_tt_watched_bytes (value: new bytes_writes,
 *                  truncated); OFF must be a multiple of WIDTH and
 *                  OFF + WIDTH <= 16, else -EINVAL
 *   readb N OFF WIDTH
 *                  the same for N reads
 *   nofault N      call mdb_tt_nofault N times: a function that calls
 *                  copy_from_kernel_nofault(), a function mdb refuses to
 *                  trap in (its hit path uses it): stepping steps over it
 *   objw N         call mdb_tt_obj_update(&mdb_tt_args_obj, i) N times: a
 *                  function that writes a field (counter, at offset 16) of
 *                  the struct it is given, for watch-a-field examples
 *   stray          set TF in this kernel code's own flags (pushf/popf): the
 *                  next instruction raises a single-step trap nobody asked
 *                  for. Without mdb loaded the kernel WARNs about it; mdb
 *                  clears it and counts a stray step.
 *   recurse N      call mdb_tt_recurse(N) once, N <= 32: it calls itself down
 *                  to 0 and returns N + (N-1) + ... + 0 (function exits of a
 *                  recursive function)
 *   sleep N        call mdb_tt_sleep(N) once: msleep(N) (N <= 5000), returns N
 *   sleepers N     N <= 16 calls of mdb_tt_sleep(300) at once, each from its
 *                  own work item; returns when all have returned
 *   notrace N      call mdb_tt_notrace(i) N times: a function without an
 *                  ftrace call (notrace)
 *   reset          zero all counters
 *
 * Trace event mdb_tt:mdb_tt_event(unsigned long arg, int where): next to
 * each call of mdb_tt_target by process (where 0), softirq (1), hardirq (2)
 * and kthread (3) commands, with the same arg.
 *
 *   The softirq/hardirq/kthread commands block until every CPU is done; they
 *   give up after 60 s plus 2 jiffies per 64 calls (-ETIMEDOUT) or on a fatal
 *   signal (-EINTR), and in either case nothing is left running or armed when
 *   the write returns. process/args/write/read/writeb/readb stop early with
 *   -EINTR on a fatal signal; the counters count the calls actually made.
 *
 * counters (read): one "name value" line each, in this order:
 *   target_calls     calls of mdb_tt_target (counted by mdb_tt_target itself)
 *   target_process   calls made by "process"
 *   target_softirq   calls made by "softirq"
 *   target_hardirq   calls made by "hardirq"
 *   target_kthread   calls made by "kthread"
 *   args_calls       calls of mdb_tt_args
 *   watched_writes   writes of mdb_tt_watched
 *   watched_reads    reads of mdb_tt_watched
 *   bytes_writes     writes into mdb_tt_watched_bytes
 *   bytes_reads      reads from mdb_tt_watched_bytes
 *   bad_context      calls of mdb_tt_target made in the wrong context: process
 *                    not in task context, softirq not serving a softirq,
 *                    hardirq not in hardirq, kthread not in a kthread, or a
 *                    per-CPU command's call on another CPU than intended
 *   target_cpu<N>    calls of mdb_tt_target that ran on CPU N, one line per
 *                    possible CPU
 *   When no command runs, target_calls == target_process + target_softirq +
 *   target_hardirq + target_kthread == sum of target_cpu<N>.
 *
 * addresses (read): "name 0x<hex address>" lines for mdb_tt_target,
 *   mdb_tt_args, mdb_tt_watched, mdb_tt_watched_bytes and mdb_tt_args_obj.
 *
 * The module parameter run (write-only, /sys/module/mdb_test_target/
 * parameters/run) takes the same commands as the run file: under
 * lockdown=integrity debugfs does not open files with a write bit.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/version.h>
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include "compat.h"

#define CREATE_TRACE_POINTS
#include "mdb_tt_trace.h"

/* Kernel version compatibility. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define mdb_tt_timer_stop_sync(t)		timer_shutdown_sync(t)
#else
#define mdb_tt_timer_stop_sync(t)		del_timer_sync(t)
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define mdb_tt_from_timer(var, t, field)	timer_container_of(var, t, field)
#else
#define mdb_tt_from_timer(var, t, field)	from_timer(var, t, field)
#endif
#ifndef in_hardirq
#define in_hardirq()				in_irq()
#endif

/* Keep the targets out of line, unspecialised and opaque to their callers. */
#if __has_attribute(__noipa__)
#define mdb_tt_noipa	__attribute__((__noipa__))
#else
#define mdb_tt_noipa	__noclone
#endif

#define MDB_TT_MAX_N		10000000UL
#define MDB_TT_CHUNK		64UL
#define MDB_TT_TIMEOUT		(60 * HZ)
#define MDB_TT_RESCHED_MASK	4095UL

#define MDB_TT_ARG_A		42
#define MDB_TT_ARG_B		(-7L)
#define MDB_TT_ARG_S		"mdb-test-string"
#define MDB_TT_ARG_C		0xfeedfaceUL
#define MDB_TT_ARG_D		((u8)0x5a)
#define MDB_TT_OBJ_MAGIC	0x4d444254U	/* "MDBT" */

struct mdb_tt_obj {
	u32 magic;
	char name[12];
	unsigned long counter;	/* written by mdb_tt_obj_update() */
};

void mdb_tt_target(unsigned long arg);
long mdb_tt_nofault(unsigned long arg);
struct mdb_tt_obj;
void mdb_tt_obj_update(struct mdb_tt_obj *o, unsigned long v);
unsigned long mdb_tt_recurse(unsigned long n);
long mdb_tt_sleep(unsigned long ms);
void mdb_tt_notrace(unsigned long arg);
long mdb_tt_args(int a, long b, const char *s, unsigned long c, u8 d,
		 void *e);

unsigned long mdb_tt_watched __aligned(8);
u8 mdb_tt_watched_bytes[16] __aligned(16);
struct mdb_tt_obj mdb_tt_args_obj = {
	.magic = MDB_TT_OBJ_MAGIC,
	.name = "mdb-tt-obj",
};

unsigned long mdb_tt_last_arg;
unsigned long mdb_tt_sink;

static const char mdb_tt_args_str[] = MDB_TT_ARG_S;

#define MDB_TT_ARGS_EXPECTED						\
	((long)MDB_TT_ARG_A + MDB_TT_ARG_B + (long)MDB_TT_ARG_C +	\
	 MDB_TT_ARG_D + (long)(sizeof(MDB_TT_ARG_S) - 1) +		\
	 MDB_TT_OBJ_MAGIC)

/* Counted by mdb_tt_target itself: the sum is target_calls. */
static DEFINE_PER_CPU(u64, mdb_tt_cpu_calls);
static DEFINE_PER_CPU(unsigned long, mdb_tt_cpu_sum);

static atomic64_t mdb_tt_target_process;
static atomic64_t mdb_tt_target_softirq;
static atomic64_t mdb_tt_target_hardirq;
static atomic64_t mdb_tt_target_kthread;
static atomic64_t mdb_tt_args_calls;
static atomic64_t mdb_tt_watched_writes;
static atomic64_t mdb_tt_watched_reads;
static atomic64_t mdb_tt_bytes_writes;
static atomic64_t mdb_tt_bytes_reads;
static atomic64_t mdb_tt_bad_context;

enum mdb_tt_mode {
	MDB_TT_SOFTIRQ,
	MDB_TT_HARDIRQ,
	MDB_TT_KTHREAD,
};

struct mdb_tt_pcpu {
	struct timer_list timer;
	struct irq_work work;
	struct task_struct *task;
	unsigned long total;	/* calls to make on this CPU */
	unsigned long done;	/* calls made so far */
	unsigned int cpu;
};

static DEFINE_PER_CPU(struct mdb_tt_pcpu, mdb_tt_pcpu);

/* State of the running per-CPU command; serialised by mdb_tt_lock. */
static DEFINE_MUTEX(mdb_tt_lock);
static DECLARE_COMPLETION(mdb_tt_done);
static atomic_t mdb_tt_cpus_left;
static bool mdb_tt_stop;

static struct dentry *mdb_tt_dir;

noinline __used mdb_tt_noipa void mdb_tt_target(unsigned long arg)
{
	this_cpu_add(mdb_tt_cpu_sum, arg);
	this_cpu_inc(mdb_tt_cpu_calls);
	WRITE_ONCE(mdb_tt_last_arg, arg);
	barrier();
}

/* Calls a function mdb refuses to trap in (copy_from_kernel_nofault). */
noinline __used mdb_tt_noipa long mdb_tt_nofault(unsigned long arg)
{
	unsigned long v = 0;

	if (copy_from_kernel_nofault(&v, &mdb_tt_last_arg, sizeof(v)))
		return -EFAULT;
	WRITE_ONCE(mdb_tt_last_arg, arg);
	barrier();
	return v;
}

/* Writes a field of the struct it is given (watch-a-field examples). */
noinline __used mdb_tt_noipa void mdb_tt_obj_update(struct mdb_tt_obj *o, unsigned long v)
{
	WRITE_ONCE(o->counter, v);
	barrier();
}

/* A single-step trap in kernel mode that no debugger asked for. */
static noinline void mdb_tt_stray_step(void)
{
	asm volatile("pushfq\n\t"
		     "orq $0x100, (%%rsp)\n\t"	/* X86_EFLAGS_TF */
		     "popfq\n\t"
		     "nop\n\t"
		     "nop\n\t" ::: "memory", "cc");
}

noinline __used mdb_tt_noipa long mdb_tt_args(int a, long b, const char *s,
					     unsigned long c, u8 d, void *e)
{
	const struct mdb_tt_obj *obj = e;
	long r;

	r = (long)a + b + (long)c + d + (long)strlen(s);
	if (obj)
		r += obj->magic;
	barrier();
	return r;
}

/* Function exits: a recursive function, a sleeping one, a notrace one. */
noinline __used mdb_tt_noipa unsigned long mdb_tt_recurse(unsigned long n)
{
	unsigned long r = n;

	if (n)
		r += mdb_tt_recurse(n - 1);
	barrier();	/* not a tail call: each level returns through its own frame */
	return r;
}

noinline __used mdb_tt_noipa long mdb_tt_sleep(unsigned long ms)
{
	msleep(ms);
	barrier();
	return ms;
}

noinline __used notrace mdb_tt_noipa void mdb_tt_notrace(unsigned long arg)
{
	WRITE_ONCE(mdb_tt_last_arg, arg);
	barrier();
}

#define MDB_TT_SLEEPERS_MAX	16
static struct work_struct mdb_tt_sleepers[MDB_TT_SLEEPERS_MAX];

static void mdb_tt_sleeper_fn(struct work_struct *w)
{
	mdb_tt_sleep(300);
}

/* @n calls of mdb_tt_sleep in flight at once, from unbound workers. */
static int mdb_tt_run_sleepers(unsigned long n)
{
	unsigned long i;

	if (n > MDB_TT_SLEEPERS_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		INIT_WORK(&mdb_tt_sleepers[i], mdb_tt_sleeper_fn);
		queue_work(system_unbound_wq, &mdb_tt_sleepers[i]);
	}
	for (i = 0; i < n; i++)
		flush_work(&mdb_tt_sleepers[i]);
	return 0;
}

static void mdb_tt_cpu_done(void)
{
	if (atomic_dec_and_test(&mdb_tt_cpus_left))
		complete(&mdb_tt_done);
}

/*
 * Make up to MDB_TT_CHUNK calls for @pc in the current (atomic) context.
 * Returns true when the CPU has made all of its calls.
 */
static bool mdb_tt_atomic_chunk(struct mdb_tt_pcpu *pc, atomic64_t *ctr,
				bool ok)
{
	unsigned long end = min(pc->total, pc->done + MDB_TT_CHUNK);

	ok = ok && smp_processor_id() == pc->cpu;
	for (; pc->done < end; pc->done++) {
		mdb_tt_target(pc->done);
		trace_mdb_tt_event(pc->done, in_hardirq() ? 2 : 1);
		atomic64_inc(ctr);
		if (!ok)
			atomic64_inc(&mdb_tt_bad_context);
	}
	return pc->done == pc->total;
}

static void mdb_tt_timer_fn(struct timer_list *t)
{
	struct mdb_tt_pcpu *pc = mdb_tt_from_timer(pc, t, timer);

	if (mdb_tt_atomic_chunk(pc, &mdb_tt_target_softirq,
				in_serving_softirq())) {
		mdb_tt_cpu_done();
		return;
	}
	if (READ_ONCE(mdb_tt_stop))
		return;
	t->expires = jiffies;
	add_timer_on(t, pc->cpu);
}

static void mdb_tt_irq_work_fn(struct irq_work *work)
{
	struct mdb_tt_pcpu *pc = container_of(work, struct mdb_tt_pcpu, work);

	if (mdb_tt_atomic_chunk(pc, &mdb_tt_target_hardirq, in_hardirq())) {
		mdb_tt_cpu_done();
		return;
	}
	if (READ_ONCE(mdb_tt_stop))
		return;
	irq_work_queue(work);
}

/*
 * irq_work_queue_on() is not exported to modules, so queue the irq_work from
 * the target CPU itself: this runs there from an IPI or, for the local CPU,
 * with irqs off. A locally queued hard irq_work runs from the irq_work
 * interrupt (or the tick), i.e. in hardirq context.
 */
static void mdb_tt_irq_work_kick(void *info)
{
	struct mdb_tt_pcpu *pc = info;

	irq_work_queue(&pc->work);
}

static int mdb_tt_kthread_fn(void *data)
{
	struct mdb_tt_pcpu *pc = data;
	bool ok = in_task() && (current->flags & PF_KTHREAD) &&
		  raw_smp_processor_id() == pc->cpu;

	for (; pc->done < pc->total; pc->done++) {
		if (kthread_should_stop())
			break;
		mdb_tt_target(pc->done);
		trace_mdb_tt_event(pc->done, 3);
		atomic64_inc(&mdb_tt_target_kthread);
		if (!ok)
			atomic64_inc(&mdb_tt_bad_context);
		if ((pc->done & (MDB_TT_CHUNK - 1)) == MDB_TT_CHUNK - 1)
			cond_resched();
	}
	if (pc->done == pc->total)
		mdb_tt_cpu_done();

	/* Stay around until kthread_stop() so that it can always reap us. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Stop and wait for whatever a per-CPU command left on the online CPUs. */
static void mdb_tt_percpu_stop(enum mdb_tt_mode mode)
{
	unsigned int cpu;

	WRITE_ONCE(mdb_tt_stop, true);
	for_each_online_cpu(cpu) {
		struct mdb_tt_pcpu *pc = per_cpu_ptr(&mdb_tt_pcpu, cpu);

		switch (mode) {
		case MDB_TT_SOFTIRQ:
			mdb_tt_timer_stop_sync(&pc->timer);
			break;
		case MDB_TT_HARDIRQ:
			irq_work_sync(&pc->work);
			break;
		case MDB_TT_KTHREAD:
			if (pc->task) {
				kthread_stop(pc->task);
				pc->task = NULL;
			}
			break;
		}
	}
}

static int mdb_tt_percpu_start(enum mdb_tt_mode mode, unsigned int cpu)
{
	struct mdb_tt_pcpu *pc = per_cpu_ptr(&mdb_tt_pcpu, cpu);

	pc->total = 0;
	pc->done = 0;
	switch (mode) {
	case MDB_TT_SOFTIRQ:
		timer_setup(&pc->timer, mdb_tt_timer_fn, TIMER_PINNED);
		return 0;
	case MDB_TT_HARDIRQ:
		return 0;
	case MDB_TT_KTHREAD:
		/* kthread_create_on_cpu() is exported only from 5.11 */
		pc->task = kthread_create(mdb_tt_kthread_fn, pc,
					  "mdb_tt_kthread/%u", cpu);
		if (IS_ERR(pc->task)) {
			int err = PTR_ERR(pc->task);

			pc->task = NULL;
			return err;
		}
		kthread_bind(pc->task, cpu);
		return 0;
	}
	return -EINVAL;
}

static int mdb_tt_percpu_go(enum mdb_tt_mode mode, unsigned int cpu,
			    unsigned long n)
{
	struct mdb_tt_pcpu *pc = per_cpu_ptr(&mdb_tt_pcpu, cpu);

	pc->total = n;
	switch (mode) {
	case MDB_TT_SOFTIRQ:
		pc->timer.expires = jiffies;
		add_timer_on(&pc->timer, cpu);
		return 0;
	case MDB_TT_HARDIRQ:
		return smp_call_function_single(cpu, mdb_tt_irq_work_kick,
						pc, 1);
	case MDB_TT_KTHREAD:
		wake_up_process(pc->task);
		return 0;
	}
	return -EINVAL;
}

static int mdb_tt_run_percpu(enum mdb_tt_mode mode, unsigned long n)
{
	unsigned long timeout = MDB_TT_TIMEOUT +
				2 * DIV_ROUND_UP(n, MDB_TT_CHUNK);
	unsigned int cpu;
	long left;
	int err = 0;

	cpus_read_lock();
	reinit_completion(&mdb_tt_done);
	WRITE_ONCE(mdb_tt_stop, false);
	/* Bias of one so that nothing completes before all CPUs started. */
	atomic_set(&mdb_tt_cpus_left, 1);

	for_each_online_cpu(cpu) {
		err = mdb_tt_percpu_start(mode, cpu);
		if (err)
			goto out_stop;
	}
	for_each_online_cpu(cpu) {
		atomic_inc(&mdb_tt_cpus_left);
		err = mdb_tt_percpu_go(mode, cpu, n);
		if (err) {
			atomic_dec(&mdb_tt_cpus_left);
			goto out_stop;
		}
	}
	mdb_tt_cpu_done();

	left = wait_for_completion_killable_timeout(&mdb_tt_done, timeout);
	if (left == 0)
		err = -ETIMEDOUT;
	else if (left < 0)
		err = -EINTR;

out_stop:
	mdb_tt_percpu_stop(mode);
	cpus_read_unlock();
	if (err == -ETIMEDOUT)
		pr_warn("%s: timed out\n", mode == MDB_TT_SOFTIRQ ? "softirq" :
			mode == MDB_TT_HARDIRQ ? "hardirq" : "kthread");
	return err;
}

/* Called every iteration of a process context loop. */
static int mdb_tt_loop_check(unsigned long i)
{
	if ((i & MDB_TT_RESCHED_MASK) != MDB_TT_RESCHED_MASK)
		return 0;
	cond_resched();
	return fatal_signal_pending(current) ? -EINTR : 0;
}

static int mdb_tt_run_process(unsigned long n)
{
	unsigned long i;
	int err;

	for (i = 0; i < n; i++) {
		bool ok = in_task();

		mdb_tt_target(i);
		trace_mdb_tt_event(i, 0);
		atomic64_inc(&mdb_tt_target_process);
		if (!ok)
			atomic64_inc(&mdb_tt_bad_context);
		err = mdb_tt_loop_check(i);
		if (err)
			return err;
	}
	return 0;
}

static int mdb_tt_run_args(unsigned long n)
{
	unsigned long i, bad = 0;
	long r;
	int err;

	for (i = 0; i < n; i++) {
		r = mdb_tt_args(MDB_TT_ARG_A, MDB_TT_ARG_B, mdb_tt_args_str,
				MDB_TT_ARG_C, MDB_TT_ARG_D, &mdb_tt_args_obj);
		atomic64_inc(&mdb_tt_args_calls);
		if (r != MDB_TT_ARGS_EXPECTED) {
			if (!bad)
				pr_warn("mdb_tt_args returned %ld, expected %ld\n",
					r, (long)MDB_TT_ARGS_EXPECTED);
			bad++;
		}
		err = mdb_tt_loop_check(i);
		if (err)
			return err;
	}
	return bad ? -EIO : 0;
}

static int mdb_tt_run_write(unsigned long n)
{
	unsigned long i;
	int err;

	for (i = 0; i < n; i++) {
		WRITE_ONCE(mdb_tt_watched,
			   (unsigned long)atomic64_inc_return(&mdb_tt_watched_writes));
		err = mdb_tt_loop_check(i);
		if (err)
			return err;
	}
	return 0;
}

static int mdb_tt_run_read(unsigned long n)
{
	unsigned long i, acc = 0;
	int err = 0;

	for (i = 0; i < n; i++) {
		acc += READ_ONCE(mdb_tt_watched);
		atomic64_inc(&mdb_tt_watched_reads);
		err = mdb_tt_loop_check(i);
		if (err)
			break;
	}
	WRITE_ONCE(mdb_tt_sink, acc);
	return err;
}

static int mdb_tt_run_writeb(unsigned long n, unsigned int off,
			     unsigned int width)
{
	void *p = &mdb_tt_watched_bytes[off];
	unsigned long i;
	u64 v;
	int err;

	for (i = 0; i < n; i++) {
		v = atomic64_inc_return(&mdb_tt_bytes_writes);
		switch (width) {
		case 1:
			WRITE_ONCE(*(u8 *)p, (u8)v);
			break;
		case 2:
			WRITE_ONCE(*(u16 *)p, (u16)v);
			break;
		case 4:
			WRITE_ONCE(*(u32 *)p, (u32)v);
			break;
		default:
			WRITE_ONCE(*(u64 *)p, v);
			break;
		}
		err = mdb_tt_loop_check(i);
		if (err)
			return err;
	}
	return 0;
}

static int mdb_tt_run_readb(unsigned long n, unsigned int off,
			    unsigned int width)
{
	const void *p = &mdb_tt_watched_bytes[off];
	unsigned long i, acc = 0;
	int err = 0;

	for (i = 0; i < n; i++) {
		switch (width) {
		case 1:
			acc += READ_ONCE(*(const u8 *)p);
			break;
		case 2:
			acc += READ_ONCE(*(const u16 *)p);
			break;
		case 4:
			acc += READ_ONCE(*(const u32 *)p);
			break;
		default:
			acc += READ_ONCE(*(const u64 *)p);
			break;
		}
		atomic64_inc(&mdb_tt_bytes_reads);
		err = mdb_tt_loop_check(i);
		if (err)
			break;
	}
	WRITE_ONCE(mdb_tt_sink, acc);
	return err;
}

static int mdb_tt_run_all(unsigned long n)
{
	int err;

	err = mdb_tt_run_process(n);
	if (!err)
		err = mdb_tt_run_percpu(MDB_TT_SOFTIRQ, n);
	if (!err)
		err = mdb_tt_run_percpu(MDB_TT_HARDIRQ, n);
	if (!err)
		err = mdb_tt_run_percpu(MDB_TT_KTHREAD, n);
	return err;
}

static void mdb_tt_reset(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		WRITE_ONCE(per_cpu(mdb_tt_cpu_calls, cpu), 0);
		WRITE_ONCE(per_cpu(mdb_tt_cpu_sum, cpu), 0);
	}
	atomic64_set(&mdb_tt_target_process, 0);
	atomic64_set(&mdb_tt_target_softirq, 0);
	atomic64_set(&mdb_tt_target_hardirq, 0);
	atomic64_set(&mdb_tt_target_kthread, 0);
	atomic64_set(&mdb_tt_args_calls, 0);
	atomic64_set(&mdb_tt_watched_writes, 0);
	atomic64_set(&mdb_tt_watched_reads, 0);
	atomic64_set(&mdb_tt_bytes_writes, 0);
	atomic64_set(&mdb_tt_bytes_reads, 0);
	atomic64_set(&mdb_tt_bad_context, 0);
}

enum mdb_tt_cmd {
	MDB_TT_CMD_PROCESS,
	MDB_TT_CMD_SOFTIRQ,
	MDB_TT_CMD_HARDIRQ,
	MDB_TT_CMD_KTHREAD,
	MDB_TT_CMD_ALL,
	MDB_TT_CMD_ARGS,
	MDB_TT_CMD_WRITE,
	MDB_TT_CMD_READ,
	MDB_TT_CMD_WRITEB,
	MDB_TT_CMD_READB,
	MDB_TT_CMD_RESET,
	MDB_TT_CMD_NOFAULT,
	MDB_TT_CMD_STRAY,
	MDB_TT_CMD_OBJW,
	MDB_TT_CMD_RECURSE,
	MDB_TT_CMD_SLEEP,
	MDB_TT_CMD_SLEEPERS,
	MDB_TT_CMD_NOTRACE,
};

static const struct {
	const char *name;
	enum mdb_tt_cmd cmd;
	int nargs;
} mdb_tt_cmds[] = {
	{ "process",	MDB_TT_CMD_PROCESS,	1 },
	{ "softirq",	MDB_TT_CMD_SOFTIRQ,	1 },
	{ "hardirq",	MDB_TT_CMD_HARDIRQ,	1 },
	{ "kthread",	MDB_TT_CMD_KTHREAD,	1 },
	{ "all",	MDB_TT_CMD_ALL,		1 },
	{ "args",	MDB_TT_CMD_ARGS,	1 },
	{ "write",	MDB_TT_CMD_WRITE,	1 },
	{ "read",	MDB_TT_CMD_READ,	1 },
	{ "writeb",	MDB_TT_CMD_WRITEB,	3 },
	{ "readb",	MDB_TT_CMD_READB,	3 },
	{ "reset",	MDB_TT_CMD_RESET,	0 },
	{ "nofault",	MDB_TT_CMD_NOFAULT,	1 },
	{ "stray",	MDB_TT_CMD_STRAY,	0 },
	{ "objw",	MDB_TT_CMD_OBJW,	1 },
	{ "recurse",	MDB_TT_CMD_RECURSE,	1 },
	{ "sleep",	MDB_TT_CMD_SLEEP,	1 },
	{ "sleepers",	MDB_TT_CMD_SLEEPERS,	1 },
	{ "notrace",	MDB_TT_CMD_NOTRACE,	1 },
};

#define MDB_TT_MAX_TOKENS	4

/* Split @s in place into whitespace separated tokens. */
static int mdb_tt_split(char *s, char **argv, int max)
{
	int argc = 0;

	for (;;) {
		s = skip_spaces(s);
		if (!*s)
			return argc;
		if (argc == max)
			return -EINVAL;
		argv[argc++] = s;
		while (*s && !isspace(*s))
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static int mdb_tt_exec(enum mdb_tt_cmd cmd, unsigned long n, unsigned int off,
		       unsigned int width)
{
	switch (cmd) {
	case MDB_TT_CMD_PROCESS:
		return mdb_tt_run_process(n);
	case MDB_TT_CMD_SOFTIRQ:
		return mdb_tt_run_percpu(MDB_TT_SOFTIRQ, n);
	case MDB_TT_CMD_HARDIRQ:
		return mdb_tt_run_percpu(MDB_TT_HARDIRQ, n);
	case MDB_TT_CMD_KTHREAD:
		return mdb_tt_run_percpu(MDB_TT_KTHREAD, n);
	case MDB_TT_CMD_ALL:
		return mdb_tt_run_all(n);
	case MDB_TT_CMD_ARGS:
		return mdb_tt_run_args(n);
	case MDB_TT_CMD_WRITE:
		return mdb_tt_run_write(n);
	case MDB_TT_CMD_READ:
		return mdb_tt_run_read(n);
	case MDB_TT_CMD_WRITEB:
		return mdb_tt_run_writeb(n, off, width);
	case MDB_TT_CMD_READB:
		return mdb_tt_run_readb(n, off, width);
	case MDB_TT_CMD_RESET:
		mdb_tt_reset();
		return 0;
	case MDB_TT_CMD_NOFAULT:
		while (n--)
			mdb_tt_nofault(n);
		return 0;
	case MDB_TT_CMD_STRAY:
		mdb_tt_stray_step();
		return 0;
	case MDB_TT_CMD_OBJW:
		while (n--)
			mdb_tt_obj_update(&mdb_tt_args_obj, n);
		return 0;
	case MDB_TT_CMD_RECURSE:
		if (n > 32)
			return -EINVAL;
		return mdb_tt_recurse(n) == n * (n + 1) / 2 ? 0 : -EIO;
	case MDB_TT_CMD_SLEEP:
		if (n > 5000)
			return -EINVAL;
		return mdb_tt_sleep(n) == n ? 0 : -EIO;
	case MDB_TT_CMD_SLEEPERS:
		return mdb_tt_run_sleepers(n);
	case MDB_TT_CMD_NOTRACE:
		while (n--)
			mdb_tt_notrace(n);
		return 0;
	}
	return -EINVAL;
}

/* Set by init once everything a command uses is ready; under mdb_tt_lock. */
static bool mdb_tt_live;

/* Run one command line of `run` (@buf, NUL-terminated, split in place). */
static int mdb_tt_run_cmd(char *buf)
{
	char *argv[MDB_TT_MAX_TOKENS];
	unsigned int off = 0, width = 0;
	unsigned long n = 0;
	unsigned int i;
	int argc, err;

	argc = mdb_tt_split(buf, argv, ARRAY_SIZE(argv));
	if (argc <= 0)
		return -EINVAL;

	for (i = 0; i < ARRAY_SIZE(mdb_tt_cmds); i++)
		if (!strcmp(argv[0], mdb_tt_cmds[i].name))
			break;
	if (i == ARRAY_SIZE(mdb_tt_cmds) || argc != mdb_tt_cmds[i].nargs + 1)
		return -EINVAL;

	if (mdb_tt_cmds[i].nargs >= 1) {
		if (kstrtoul(argv[1], 10, &n) || n < 1 || n > MDB_TT_MAX_N)
			return -EINVAL;
	}
	if (mdb_tt_cmds[i].nargs == 3) {
		if (kstrtouint(argv[2], 10, &off) ||
		    kstrtouint(argv[3], 10, &width))
			return -EINVAL;
		if (width != 1 && width != 2 && width != 4 && width != 8)
			return -EINVAL;
		if (off % width || off > sizeof(mdb_tt_watched_bytes) - width)
			return -EINVAL;
	}

	err = mutex_lock_killable(&mdb_tt_lock);
	if (err)
		return err;
	err = mdb_tt_live ? mdb_tt_exec(mdb_tt_cmds[i].cmd, n, off, width) : -ENODEV;
	mutex_unlock(&mdb_tt_lock);
	return err;
}

static ssize_t mdb_tt_run_fop_write(struct file *file, const char __user *ubuf,
				    size_t len, loff_t *ppos)
{
	char buf[64];
	int err;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	err = mdb_tt_run_cmd(buf);
	return err ? err : len;
}

/*
 * The same commands as the module parameter "run" (write-only), for a
 * kernel whose lockdown closes debugfs files with a write bit (mdb's
 * lockdown=integrity test): echo 'process 10' >
 * /sys/module/mdb_test_target/parameters/run. Given at insmod it fails
 * (ENODEV): parameters are set before init.
 */
static int mdb_tt_run_param_set(const char *val, const struct kernel_param *kp)
{
	char buf[64];

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	return mdb_tt_run_cmd(buf);
}

static const struct kernel_param_ops mdb_tt_run_param_ops = {
	.set = mdb_tt_run_param_set,
};
module_param_cb(run, &mdb_tt_run_param_ops, NULL, 0200);
MODULE_PARM_DESC(run, "run a command, as written to debugfs's mdb_test_target/run");

static const struct file_operations mdb_tt_run_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.write		= mdb_tt_run_fop_write,
	.llseek		= noop_llseek,
};

static int mdb_tt_counters_show(struct seq_file *m, void *v)
{
	u64 total = 0;
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		total += READ_ONCE(per_cpu(mdb_tt_cpu_calls, cpu));

	seq_printf(m, "target_calls %llu\n", total);
	seq_printf(m, "target_process %lld\n",
		   atomic64_read(&mdb_tt_target_process));
	seq_printf(m, "target_softirq %lld\n",
		   atomic64_read(&mdb_tt_target_softirq));
	seq_printf(m, "target_hardirq %lld\n",
		   atomic64_read(&mdb_tt_target_hardirq));
	seq_printf(m, "target_kthread %lld\n",
		   atomic64_read(&mdb_tt_target_kthread));
	seq_printf(m, "args_calls %lld\n", atomic64_read(&mdb_tt_args_calls));
	seq_printf(m, "watched_writes %lld\n",
		   atomic64_read(&mdb_tt_watched_writes));
	seq_printf(m, "watched_reads %lld\n",
		   atomic64_read(&mdb_tt_watched_reads));
	seq_printf(m, "bytes_writes %lld\n",
		   atomic64_read(&mdb_tt_bytes_writes));
	seq_printf(m, "bytes_reads %lld\n", atomic64_read(&mdb_tt_bytes_reads));
	seq_printf(m, "bad_context %lld\n", atomic64_read(&mdb_tt_bad_context));
	for_each_possible_cpu(cpu)
		seq_printf(m, "target_cpu%u %llu\n", cpu,
			   READ_ONCE(per_cpu(mdb_tt_cpu_calls, cpu)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mdb_tt_counters);

static int mdb_tt_addresses_show(struct seq_file *m, void *v)
{
	seq_printf(m, "mdb_tt_target 0x%px\n", mdb_tt_target);
	seq_printf(m, "mdb_tt_args 0x%px\n", mdb_tt_args);
	seq_printf(m, "mdb_tt_watched 0x%px\n", &mdb_tt_watched);
	seq_printf(m, "mdb_tt_watched_bytes 0x%px\n", mdb_tt_watched_bytes);
	seq_printf(m, "mdb_tt_args_obj 0x%px\n", &mdb_tt_args_obj);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mdb_tt_addresses);

static int __init mdb_tt_debugfs_init(void)
{
	struct dentry *d;

	mdb_tt_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(mdb_tt_dir))
		return PTR_ERR(mdb_tt_dir);

	d = debugfs_create_file("run", 0600, mdb_tt_dir, NULL,
				&mdb_tt_run_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("counters", 0600, mdb_tt_dir, NULL,
				&mdb_tt_counters_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("addresses", 0600, mdb_tt_dir, NULL,
				&mdb_tt_addresses_fops);
	if (IS_ERR(d))
		goto err;
	return 0;

err:
	debugfs_remove(mdb_tt_dir);
	mdb_tt_dir = NULL;
	return PTR_ERR(d);
}

static void mdb_tt_percpu_exit(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct mdb_tt_pcpu *pc = per_cpu_ptr(&mdb_tt_pcpu, cpu);

		mdb_tt_timer_stop_sync(&pc->timer);
		irq_work_sync(&pc->work);
	}
}

static int __init mdb_tt_init(void)
{
	unsigned int cpu;
	int err;

	for_each_possible_cpu(cpu) {
		struct mdb_tt_pcpu *pc = per_cpu_ptr(&mdb_tt_pcpu, cpu);

		pc->cpu = cpu;
		timer_setup(&pc->timer, mdb_tt_timer_fn, TIMER_PINNED);
		pc->work = IRQ_WORK_INIT_HARD(mdb_tt_irq_work_fn);
	}

	err = mdb_tt_debugfs_init();
	if (err) {
		mdb_tt_percpu_exit();
		return err;
	}
	mutex_lock(&mdb_tt_lock);
	mdb_tt_live = true;
	mutex_unlock(&mdb_tt_lock);
	return 0;
}

static void __exit mdb_tt_exit(void)
{
	/* the parameter outlives exit (sysfs goes later): no command after this */
	mutex_lock(&mdb_tt_lock);
	mdb_tt_live = false;
	mutex_unlock(&mdb_tt_lock);
	debugfs_remove(mdb_tt_dir);
	mdb_tt_percpu_exit();
}

module_init(mdb_tt_init);
module_exit(mdb_tt_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Breakpoint and watchpoint targets for mdb selftests");
