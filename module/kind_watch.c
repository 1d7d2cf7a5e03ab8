// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `watch`: a data watchpoint on a debug register (writes, or reads
 * and writes: x86 cannot trap reads alone), 1, 2, 4 or 8 bytes, aligned.
 * Hardware only: there is no software way to trap an access.
 *
 * The handler runs in NMI context (#DB, after the access): it calls the
 * hit path only, at the instruction after the one that accessed.
 */
#include <linux/kernel.h>
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>
#include "mdb.h"
#include "kind.h"
#include "hit.h"

/* NMI context (#DB): @regs->ip is the instruction after the access. */
static __mdb_hot void mdb_watch_handler(struct perf_event *event,
					struct perf_sample_data *data,
					struct pt_regs *regs)
{
	struct mdb_bp *bp = event->overflow_handler_context;

	mdb_hit_after(bp, regs);
}

/*
 * Default watch length: the symbol's size when it is 1, 2, 4 or 8 and the
 * address is aligned to it, else the largest aligned length up to 8.
 */
static unsigned int mdb_watch_default_len(unsigned long addr)
{
	unsigned long off, size;
	unsigned int len;

	if (mdb_sym_extent(addr, &off, &size) && !off &&
	    (size == 1 || size == 2 || size == 4 || size == 8) &&
	    !(addr & (size - 1)))
		return size;
	for (len = 8; len > 1; len >>= 1)
		if (!(addr & (len - 1)))
			break;
	return len;
}

static bool mdb_watch_match(const struct mdb_cmd *cmd)
{
	return cmd->op == MDB_OP_WATCH;
}

/* The address and length; the same rules refuse mdb's own data and stacks. */
static int mdb_watch_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	unsigned long addr;
	unsigned int len;
	int ret;

	ret = mdb_resolve(&bp->cmd.loc, &addr, err, errlen);
	if (ret)
		return ret;
	len = bp->cmd.len ? bp->cmd.len : mdb_watch_default_len(addr);
	ret = mdb_safety_check_watch(addr, len, err, errlen);
	if (ret)
		return ret;
	bp->addr = addr;
	bp->site.len = len;
	return 0;
}

static int mdb_watch_arm(struct mdb_bp *bp, char *err, size_t len)
{
	struct perf_event_attr attr;

	hw_breakpoint_init(&attr);
	attr.bp_addr = bp->addr;
	attr.bp_len = bp->site.len;
	attr.bp_type = bp->cmd.wmode == MDB_WMODE_RW ? HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
	return mdb_dr_register(bp, &attr, mdb_watch_handler, err, len);
}

static const char *mdb_watch_via(const struct mdb_bp *bp)
{
	return "hw";
}

static const char *mdb_watch_no_step(const struct mdb_bp *bp)
{
	return MDB_STEP_NEEDS_HW;
}

const struct mdb_kind mdb_kind_watch = {
	.name = "watch",
	.priv_size = sizeof(struct mdb_dr),
	.match = mdb_watch_match,
	.prepare = mdb_watch_prepare,
	.arm = mdb_watch_arm,
	.disarm = mdb_dr_unregister,
	.via = mdb_watch_via,
	.no_step = mdb_watch_no_step,
	.in_module = mdb_kind_in_module,
};
