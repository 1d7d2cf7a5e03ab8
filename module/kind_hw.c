// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `hw`: an execution breakpoint on a debug register, through perf's
 * wide hw_breakpoint (one register on every CPU). Taken by `break ... hw`,
 * by `break ... step=` (single-stepping starts from a #DB), and by
 * `break` anywhere but a function's entry while a register is free. Also
 * the debug-register handling kind_watch.c shares.
 *
 * The handlers run in NMI context, on the #DB stack: they call the hit
 * path only.
 */
#include <linux/kernel.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include "mdb.h"
#include "kind.h"
#include "hit.h"

static int mdb_dr_count;	/* breakpoints armed on debug registers (mdb_lock) */

int mdb_dr_held(void)
{
	return mdb_dr_count;
}

/**
 * mdb_dr_register - put @bp on a debug register of every CPU
 * @attr: the breakpoint's type, address and length
 * @handler: the kind's handler (NMI context)
 *
 * Return: 0, or -errno with the reason in @err (-ENOSPC: none free).
 */
int mdb_dr_register(struct mdb_bp *bp, struct perf_event_attr *attr,
		    perf_overflow_handler_t handler, char *err, size_t len)
{
	struct mdb_dr *dr = mdb_bp_priv(bp);
	struct perf_event * __percpu *ev;
	bool watch = attr->bp_type != HW_BREAKPOINT_X;

	dr->events = NULL;
	ev = register_wide_hw_breakpoint(attr, handler, bp);
	if (IS_ERR_PCPU(ev)) {
		int ret = PTR_ERR_PCPU(ev);

		if (ret == -ENOSPC)
			scnprintf(err, len, "no free debug register (mdb holds %d of %d; the rest are in use by others)%s",
				  mdb_dr_count, MDB_NR_DEBUG_REGS,
				  watch ? "; watchpoints are hardware-only" :
				  bp->step ? "; step= needs one" : "; use sw");
		else if (ret == -EINVAL)
			scnprintf(err, len, "the kernel refuses a hardware %s at 0x%lx (cpu entry area, or not allowed there)",
				  watch ? "watchpoint" : "breakpoint", bp->addr);
		else
			scnprintf(err, len, "register_wide_hw_breakpoint failed (%d)", ret);
		return ret;
	}
	dr->events = ev;
	mdb_dr_count++;
	return 0;
}

/* Removes the event on each CPU by IPI, which waits for its handler. */
void mdb_dr_unregister(struct mdb_bp *bp)
{
	struct mdb_dr *dr = mdb_bp_priv(bp);

	unregister_wide_hw_breakpoint(dr->events);
	dr->events = NULL;
	mdb_dr_count--;
}

/* ---- the kind ------------------------------------------------------------ */

/* perf's overflow handler. NMI context (#DB): the hit is at the breakpoint. */
static __mdb_hot void mdb_hw_handler(struct perf_event *event,
				     struct perf_sample_data *data,
				     struct pt_regs *regs)
{
	struct mdb_bp *bp = event->overflow_handler_context;

	mdb_hit_entry(bp, regs);
}

/* Everything but sw; ft with step= (a step starts from a debug register). */
static bool mdb_hw_match(const struct mdb_cmd *cmd)
{
	return cmd->op == MDB_OP_BREAK && !cmd->ret && !cmd->loc.tp &&
	       cmd->impl != MDB_IMPL_SW;
}

static int mdb_hw_arm(struct mdb_bp *bp, char *err, size_t len)
{
	struct perf_event_attr attr;
	int ret;

	hw_breakpoint_init(&attr);
	attr.bp_addr = bp->addr;
	attr.bp_len = sizeof(long);	/* x86: exec breakpoints */
	attr.bp_type = HW_BREAKPOINT_X;
	ret = mdb_dr_register(bp, &attr, mdb_hw_handler, err, len);
	/* hw and step= need a debug register: no fallback; `break` goes on to sw */
	if (ret == -ENOSPC && bp->cmd.impl == MDB_IMPL_AUTO && !bp->step)
		return MDB_KIND_NEXT;
	return ret;
}

static const char *mdb_hw_via(const struct mdb_bp *bp)
{
	return "hw";
}

const struct mdb_kind mdb_kind_hw = {
	.name = "break",
	.priv_size = sizeof(struct mdb_dr),
	.match = mdb_hw_match,
	.prepare = mdb_exec_prepare,
	.arm = mdb_hw_arm,
	.disarm = mdb_dr_unregister,
	.via = mdb_hw_via,
	.in_module = mdb_kind_in_module,
};
