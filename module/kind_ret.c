// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `ret`: `break FN ret`, a kretprobe - a hit at each return of FN,
 * with its return value (typed from FN's BTF where there is one), the
 * time since the call's entry, and the entry's arguments. The kernel puts
 * the entry's kprobe on FN's ftrace call where it can (via ft), else on
 * an int3 (via sw); `ft` insists on the first.
 *
 * The handlers run where a kprobe at FN's entry runs (NMI for int3,
 * preemption off for ftrace) and at the return trampoline: they call the
 * hit path only.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/timekeeping.h>
#include "mdb.h"
#include "kind.h"
#include "hit.h"

/*
 * kretprobe entry handler: keeps what the return needs in this call's
 * instance; a task the filters drop takes no instance (returns non-zero),
 * so its return costs nothing and cannot crowd out the calls that count.
 */
static __mdb_hot int mdb_rp_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mdb_bp *bp = mdb_bp_of_priv(mdb_kretprobe_of(ri));
	struct mdb_ret_data *d = (struct mdb_ret_data *)ri->data;

	if (!READ_ONCE(bp->live))
		return 1;
	/* `ret count` alone: the return needs nothing from here (below) */
	if (bp->count_only) {
		d->ts = 0;
		return 0;
	}
	if (!mdb_task_filters_pass(bp)) {
		mdb_hit_filtered(bp);
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
static __mdb_hot int mdb_rp_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct mdb_bp *bp = mdb_bp_of_priv(mdb_kretprobe_of(ri));
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

/* ---- the kind ------------------------------------------------------------ */

static bool mdb_ret_match(const struct mdb_cmd *cmd)
{
	return cmd->op == MDB_OP_BREAK && cmd->ret && !cmd->loc.tp;
}

/*
 * FN must be a function's entry; its BTF return type, where there is one,
 * says how the log prints the value.
 */
static int mdb_ret_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	int ret, size;

	ret = mdb_exec_prepare(bp, err, errlen);
	if (ret)
		return ret;
	if (!mdb_at_entry(bp->addr)) {
		scnprintf(err, errlen, "ret: %pS is not a function's entry (a return probe goes on its first instruction)",
			  (void *)bp->addr);
		return -EINVAL;
	}
	bp->site.ret_fmt = mdb_ret_type(bp->addr, &size);
	bp->site.ret_size = size;
	return 0;
}

/*
 * Return instances: calls of the function in flight at once, across all
 * tasks (a call that sleeps holds its instance until it returns). When
 * all are taken, a call is not seen at its return and counts as missed.
 */
static unsigned int mdb_ret_maxactive(const struct mdb_bp *bp)
{
	return bp->cmd.maxactive ? bp->cmd.maxactive :
	       min_t(unsigned int, 64 + 8 * num_possible_cpus(), MDB_MAXACTIVE_MAX);
}

static int mdb_ret_arm(struct mdb_bp *bp, char *err, size_t len)
{
	struct kretprobe *rp = mdb_bp_priv(bp);
	int ret;

	memset(rp, 0, sizeof(*rp));
	rp->kp.addr = (kprobe_opcode_t *)bp->addr;
	rp->entry_handler = mdb_rp_entry;
	rp->handler = mdb_rp_handler;
	rp->data_size = sizeof(struct mdb_ret_data);
	rp->maxactive = mdb_ret_maxactive(bp);
	ret = register_kretprobe(rp);
	if (ret) {
		if (ret == -EINVAL)
			scnprintf(err, len, "kretprobes refuse %pS (kprobe blacklist, or not a function's entry)",
				  (void *)bp->addr);
		else if (ret == -ENOMEM)
			scnprintf(err, len, "no memory for %u return instances (maxactive=)",
				  rp->maxactive);
		else
			scnprintf(err, len, "register_kretprobe at %pS failed (%d)",
				  (void *)bp->addr, ret);
		return ret;
	}
	if (bp->cmd.impl == MDB_IMPL_FT && !kprobe_ftrace(&rp->kp)) {
		unregister_kretprobe(rp);
		scnprintf(err, len, "ft: %pS has no ftrace call (a notrace function); drop ft",
			  (void *)bp->addr);
		return -EINVAL;
	}
	return 0;
}

/* Waits for running handlers; calls still in flight never fire. */
static void mdb_ret_disarm(struct mdb_bp *bp)
{
	struct kretprobe *rp = mdb_bp_priv(bp);

	mdb_kprobe_unregister(bp, &rp->kp, rp);
	atomic64_add(rp->nmissed + rp->kp.nmissed, &bp->missed);
}

static const char *mdb_ret_via(const struct mdb_bp *bp)
{
	return mdb_kprobe_via_of(&((struct kretprobe *)mdb_bp_priv(bp))->kp);
}

static const char *mdb_ret_no_step(const struct mdb_bp *bp)
{
	return mdb_kprobe_no_step_of(&((struct kretprobe *)mdb_bp_priv(bp))->kp);
}

static u64 mdb_ret_nmissed(const struct mdb_bp *bp)
{
	const struct kretprobe *rp = mdb_bp_priv(bp);

	return rp->nmissed + rp->kp.nmissed;
}

const struct mdb_kind mdb_kind_ret = {
	.name = "ret",
	.priv_size = sizeof(struct kretprobe),
	.match = mdb_ret_match,
	.prepare = mdb_ret_prepare,
	.arm = mdb_ret_arm,
	.disarm = mdb_ret_disarm,
	.via = mdb_ret_via,
	.no_step = mdb_ret_no_step,
	.nmissed = mdb_ret_nmissed,
	.in_module = mdb_kind_in_module,
};
