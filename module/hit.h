/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hit path's interface to the kinds: a kind's handler calls
 * mdb_hit_entry() (mdb_hit_after() for a watchpoint; at a function's
 * return, mdb_hit() with the exit).
 * NMI context (#DB, int3) or preemption off (ftrace, kretprobe,
 * tracepoints): no allocation, no sleeping, no locks, bounded.
 */
#ifndef _MDB_HIT_H
#define _MDB_HIT_H

#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include "bp.h"

struct mdb_hit_stats {
	u64 hits;	/* passed the filters */
	u64 missed;	/* arrived while this CPU was already inside mdb */
	u64 filtered;	/* stopped by pid=/comm=/cpu= */
};

DECLARE_PER_CPU(struct mdb_hit_stats, mdb_stats);
/* The per-CPU recursion guard: >0 while this CPU is inside mdb_hit(). */
DECLARE_PER_CPU(int, mdb_hit_nest);

/* @ex: at a function's return (break ret), else NULL */
void mdb_hit(struct mdb_bp *bp, struct pt_regs *regs, unsigned long ip,
	     const struct mdb_exit *ex);

/* pid= and comm=: the same at a function's entry and at its return */
static __always_inline bool mdb_task_filters_pass(const struct mdb_bp *bp)
{
	if (bp->pid && bp->pid != current->tgid)
		return false;
	if (bp->comm[0] && strncmp(current->comm, bp->comm, TASK_COMM_LEN))
		return false;
	return true;
}

/* A hit a filter stopped. */
static __always_inline void mdb_hit_filtered(struct mdb_bp *bp)
{
	this_cpu_inc(bp->pc->filtered);
	this_cpu_inc(mdb_stats.filtered);
}

/*
 * A hit of a `count` breakpoint without filters, limit=, scripts, step=
 * or trace (bp->count_only, set by the engine at arm): what mdb_hit()
 * would do for it, inline in the handler - no call, no saved registers.
 * True when the hit is handled. Inside mdb already (the recursion guard
 * set), it is mdb_hit()'s, which counts it as missed. An NMI between the
 * guard's read and the increments is a whole hit of its own: each
 * increment is one instruction, never torn.
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

/*
 * A kind's handler: a hit at the breakpoint (bp->addr), with @regs as the
 * kind lays them out. bp->addr is read only on the way to mdb_hit(): the
 * count-only hit's instructions are what make bench's b1m counts (~170).
 */
static __always_inline void mdb_hit_entry(struct mdb_bp *bp, struct pt_regs *regs)
{
	if (!mdb_hit_count_only(bp))
		mdb_hit(bp, regs, bp->addr, NULL);
}

/* The same for a watchpoint: the hit is at the instruction after the access. */
static __always_inline void mdb_hit_after(struct mdb_bp *bp, struct pt_regs *regs)
{
	if (!mdb_hit_count_only(bp))
		mdb_hit(bp, regs, regs->ip, NULL);
}

#endif /* _MDB_HIT_H */
