// SPDX-License-Identifier: GPL-2.0
/*
 * The hit path.
 *
 * Runs in NMI context: a kernel-mode #DB (hw breakpoint, on the 8 KiB #DB
 * IST stack) or int3 (kprobe) is handled as NMI by x86 Linux; an ftrace-
 * or jump-optimised kprobe runs with preemption disabled. So everything
 * here: no allocation, no sleeping, no locks, no printk, no faulting
 * reads, bounded work. Filters come first, then the counters, then the
 * log record (log.c, the kernel's lockless ring buffer).
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "mdb.h"
#include "bp.h"

struct mdb_hit_stats {
	u64 hits;	/* passed the filters */
	u64 missed;	/* arrived while this CPU was already inside mdb */
	u64 filtered;	/* stopped by pid=/comm=/cpu= */
};

static DEFINE_PER_CPU(struct mdb_hit_stats, mdb_stats);
/* The per-CPU recursion guard: >0 while this CPU is inside mdb_hit(). */
static DEFINE_PER_CPU(int, mdb_hit_nest);

/* pid= and comm=: the same at a function's entry and at its return */
static __always_inline bool mdb_task_filters_pass(const struct mdb_bp *bp)
{
	if (bp->pid && bp->pid != current->tgid)
		return false;
	if (bp->comm[0] && strncmp(current->comm, bp->comm, TASK_COMM_LEN))
		return false;
	return true;
}

static __always_inline bool mdb_filters_pass(const struct mdb_bp *bp)
{
	if (bp->cpu >= 0 && bp->cpu != raw_smp_processor_id())
		return false;
	return mdb_task_filters_pass(bp);
}

/* Count one hit against limit=; false when the limit is already reached. */
static __always_inline bool mdb_take_hit(struct mdb_bp *bp)
{
	s64 old;

	if (!bp->limit) {
		this_cpu_inc(bp->pc->hits);
		return true;
	}
	old = atomic64_read(&bp->hits);
	do {
		if (old >= bp->limit)
			return false;
	} while (!atomic64_try_cmpxchg(&bp->hits, &old, old + 1));
	/* Exactly one hit sees the limit reached: it asks for the disarm. */
	if (old + 1 == bp->limit) {
		mdb_bp_request_disable(bp, MDB_DIS_LIMIT);
	}
	return true;
}

/* A hit mdb could not handle (recursion, a busy script). NMI context. */
static void mdb_missed(struct mdb_bp *bp)
{
	atomic64_inc(&bp->missed);
	this_cpu_inc(mdb_stats.missed);
}

/*
 * A hit of a `count` breakpoint without filters, limit=, scripts, step=
 * or trace (bp->count_only, set by mdb_arm()): what mdb_hit() would do for
 * it, inline in the handler - no call, no saved registers. True when the
 * hit is handled. Inside mdb already (the recursion guard set), it is
 * mdb_hit()'s, which counts it as missed. An NMI between the guard's read
 * and the increments is a whole hit of its own: each increment is one
 * instruction, never torn.
 */
static __always_inline bool mdb_hit_count_only(struct mdb_bp *bp)
{
	if (!bp->count_only || this_cpu_read(mdb_hit_nest))
		return false;
	if (likely(READ_ONCE(bp->live))) {
		this_cpu_inc(bp->pc->hits);
		this_cpu_inc(mdb_stats.hits);
	}
	return true;
}

/* Runs in NMI context. @ex: at a function's return (break ret), else NULL. */
static __mdb_hot void mdb_hit(struct mdb_bp *bp, struct pt_regs *regs,
			     unsigned long ip, const struct mdb_exit *ex)
{
	bool log;

	if (this_cpu_inc_return(mdb_hit_nest) != 1) {
		mdb_missed(bp);
		goto out;
	}
	if (!READ_ONCE(bp->live))
		goto out;
	if (!mdb_filters_pass(bp)) {
		this_cpu_inc(bp->pc->filtered);
		this_cpu_inc(mdb_stats.filtered);
		goto out;
	}
	/* if=FN: the hit counts only when FN returns true */
	if (bp->ifn) {
		int r = mdb_script_hit(bp, bp->ifn, &bp->ifn_hint, regs, ip, ex);

		if (r == -EBUSY) {
			mdb_missed(bp);
			goto out;
		}
		if (r != MDB_SCRIPT_TRUE) {
			this_cpu_inc(bp->pc->filtered);
			this_cpu_inc(mdb_stats.filtered);
			goto out;
		}
	}
	if (!mdb_take_hit(bp))
		goto out;
	this_cpu_inc(mdb_stats.hits);
	if (bp->aggr)
		mdb_aggr_hit(bp, regs, ex);
	log = !(bp->flags & MDB_F_COUNT);
	/* lua=FN: runs on every counted hit; returning false drops the line */
	if (bp->lua) {
		int r = mdb_script_hit(bp, bp->lua, &bp->lua_hint, regs, ip, ex);

		if (r == MDB_SCRIPT_FALSE) {
			log = false;
		} else if (r == -EBUSY) {
			mdb_missed(bp);	/* the script did not run for it */
		}
	}
	if (log)
		mdb_log_hit(bp, regs, ip, ex);
	if (bp->flags & MDB_F_TRACE)
		mdb_trace_hit(bp, ip, ex ? ex->retval : (bp->flags & MDB_F_WATCH) ? bp->addr : 0);
	if (bp->step)
		mdb_step_start(bp, regs);
out:
	this_cpu_dec(mdb_hit_nest);
}

/* perf hw_breakpoint overflow handler. Runs in NMI context (#DB). */
__mdb_hot void mdb_hw_handler(struct perf_event *event,
			      struct perf_sample_data *data,
			      struct pt_regs *regs)
{
	struct mdb_bp *bp = event->overflow_handler_context;

	if (mdb_hit_count_only(bp))
		return;
	/* exec: ip is the breakpoint; watch: the instruction after the access */
	mdb_hit(bp, regs, (bp->flags & MDB_F_WATCH) ? regs->ip : bp->addr, NULL);
}

/* kprobe pre-handler. Runs in NMI context (int3) or with preemption off. */
__mdb_hot int mdb_kp_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct mdb_bp *bp = container_of(kp, struct mdb_bp, kp);

	if (!mdb_hit_count_only(bp))
		mdb_hit(bp, regs, bp->addr, NULL);
	return 0;	/* let kprobes run the probed instruction */
}

/* A tracepoint's probe (tp.c), with @regs laid out as its BTF prototype's. */
__mdb_hot void mdb_tp_hit(struct mdb_bp *bp, struct pt_regs *regs)
{
	if (!mdb_hit_count_only(bp))
		mdb_hit(bp, regs, bp->addr, NULL);
}

/*
 * kretprobe entry handler (break FN ret): runs where a kprobe at FN's
 * entry runs. Keeps what the return needs in this call's instance; a task
 * the filters drop takes no instance (returns non-zero), so its return
 * costs nothing and cannot crowd out the calls that count.
 */
__mdb_hot int mdb_rp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mdb_bp *bp = container_of(mdb_kretprobe_of(ri), struct mdb_bp, rp);
	struct mdb_ret_data *d = (struct mdb_ret_data *)ri->data;

	if (!READ_ONCE(bp->live))
		return 1;
	/* `ret count` alone: the return needs nothing from here (below) */
	if (bp->count_only) {
		d->ts = 0;
		return 0;
	}
	if (!mdb_task_filters_pass(bp)) {
		this_cpu_inc(bp->pc->filtered);
		this_cpu_inc(mdb_stats.filtered);
		return 1;
	}
	/* the entry's arguments, for ctx.args / ctx.arg() and the args option */
	if (bp->lua || bp->ifn || (bp->flags & MDB_F_ARGS)) {
		d->di = regs->di;
		d->si = regs->si;
		d->dx = regs->dx;
		d->cx = regs->cx;
		d->r8 = regs->r8;
		d->r9 = regs->r9;
		d->sp = regs->sp;
	}
	/*
	 * The clock only when something can show the elapsed time: the log
	 * line, a script (ctx.elapsed) or if=. `ret count` reads none: under
	 * QEMU the clocksource may be an emulated device (hpet), whose reads
	 * cost more than the rest of the hit (make bench, row 3rm).
	 */
	d->ts = (!(bp->flags & MDB_F_COUNT) || bp->lua || bp->ifn ||
		 bp->cmd.hist == MDB_HIST_ELAPSED) ?
		ktime_get_mono_fast_ns() : 0;
	return 0;
}

/* kretprobe handler: FN returns, through its return trampoline. */
__mdb_hot int mdb_rp_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mdb_bp *bp = container_of(mdb_kretprobe_of(ri), struct mdb_bp, rp);
	const struct mdb_ret_data *d = (const struct mdb_ret_data *)ri->data;
	struct mdb_exit ex;

	if (mdb_hit_count_only(bp))
		return 0;
	ex.retval = regs_return_value(regs);
	ex.elapsed = d->ts ? ktime_get_mono_fast_ns() - d->ts : 0;
	ex.entry = d;
	mdb_hit(bp, regs, bp->addr, &ex);
	return 0;
}

/* Process context: the sums for status. */
void mdb_hit_counters(u64 *hits, u64 *missed, u64 *filtered)
{
	int cpu;

	*hits = *missed = *filtered = 0;
	for_each_possible_cpu(cpu) {
		const struct mdb_hit_stats *s = per_cpu_ptr(&mdb_stats, cpu);

		*hits += READ_ONCE(s->hits);
		*missed += READ_ONCE(s->missed);
		*filtered += READ_ONCE(s->filtered);
	}
}

/* Process context, with nothing armed. */
void mdb_hit_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&mdb_stats, cpu), 0, sizeof(struct mdb_hit_stats));
}
