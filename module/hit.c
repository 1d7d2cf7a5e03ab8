// SPDX-License-Identifier: GPL-2.0
/*
 * The hit path: what every kind's handler calls (hit.h), above what a
 * hit does (aggregation, script, log, trace event, step) and below the
 * kinds.
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
#include "hit.h"

DEFINE_PER_CPU(struct mdb_hit_stats, mdb_stats);
DEFINE_PER_CPU(int, mdb_hit_nest);

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
		mdb_defer_disable(bp, MDB_DIS_LIMIT);
	}
	return true;
}

/* A hit mdb could not handle (recursion, a busy script). NMI context. */
static void mdb_missed(struct mdb_bp *bp)
{
	atomic64_inc(&bp->missed);
	this_cpu_inc(mdb_stats.missed);
}

/* Runs in NMI context. @ex: at a function's return (break ret), else NULL. */
__mdb_hot void mdb_hit(struct mdb_bp *bp, struct pt_regs *regs,
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
		mdb_hit_filtered(bp);
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
			mdb_hit_filtered(bp);
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
