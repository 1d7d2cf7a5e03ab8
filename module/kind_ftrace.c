// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `ft`: a breakpoint at a function's entry, on its ftrace call. A
 * kprobe the kernel puts there is a call, not a trap (~12x cheaper than
 * int3 or a debug register: docs/performance.md). `break FN` takes it
 * when nothing asks for a debug register (no hw, no step=); `ft` insists.
 * A notrace function has no ftrace call: the kernel would give an int3
 * kprobe instead, which this kind takes back - `ft` then fails, `break`
 * goes on to the next kind (hw, then sw).
 *
 * The handler is kind_kprobe.c's (preemption off): it calls the hit path.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include "mdb.h"
#include "kind.h"

static bool mdb_ftrace_match(const struct mdb_cmd *cmd)
{
	return cmd->op == MDB_OP_BREAK && !cmd->ret && !cmd->loc.tp && !cmd->step &&
	       (cmd->impl == MDB_IMPL_AUTO || cmd->impl == MDB_IMPL_FT);
}

static int mdb_ftrace_arm(struct mdb_bp *bp, char *err, size_t len)
{
	struct kprobe *kp = mdb_bp_priv(bp);
	bool ft = bp->cmd.impl == MDB_IMPL_FT;
	int ret;

	if (!mdb_at_entry(bp->addr)) {
		if (!ft)
			return MDB_KIND_NEXT;
		scnprintf(err, len, "ft: %pS is not a function's entry; ftrace hooks only entries",
			  (void *)bp->addr);
		return -EINVAL;
	}
	ret = mdb_kprobe_register(bp, kp, err, len);
	if (ret || kprobe_ftrace(kp))
		return ret;
	/* an int3 kprobe: a notrace function */
	unregister_kprobe(kp);
	atomic64_add(kp->nmissed, &bp->missed);
	if (!ft)
		return MDB_KIND_NEXT;
	scnprintf(err, len, "ft: %pS has no ftrace call (a notrace function); use hw or sw",
		  (void *)bp->addr);
	return -EINVAL;
}

static void mdb_ftrace_disarm(struct mdb_bp *bp)
{
	struct kprobe *kp = mdb_bp_priv(bp);

	mdb_kprobe_unregister(bp, kp, NULL);
	atomic64_add(kp->nmissed, &bp->missed);
}

const struct mdb_kind mdb_kind_ftrace = {
	.name = "break",
	.priv_size = sizeof(struct kprobe),
	.match = mdb_ftrace_match,
	.prepare = mdb_exec_prepare,
	.arm = mdb_ftrace_arm,
	.disarm = mdb_ftrace_disarm,
	.via = mdb_kprobe_via,
	.no_step = mdb_kprobe_no_step,
	.nmissed = mdb_kprobe_nmissed,
	.in_module = mdb_kind_in_module,
};
