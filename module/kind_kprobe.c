// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `sw`: an execution breakpoint on an int3 kprobe, at any
 * instruction of kernel text kprobes accept (the kernel picks an optimised
 * jump when it can). Taken by `break ... sw`, and by `break` when no
 * debug register is free. Also the kprobe registration that kind_ftrace.c
 * and kind_ret.c share.
 *
 * The handler runs in NMI context (int3), or with preemption off (an
 * optimised or ftrace-based kprobe): it calls the hit path only.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/sched.h>
#include "mdb.h"
#include "kind.h"
#include "hit.h"

/* The kprobe pre-handler of kind_kprobe.c and kind_ftrace.c. */
static __mdb_hot int mdb_kp_handler(struct kprobe *kp, struct pt_regs *regs)
{
	struct mdb_bp *bp = mdb_bp_of_priv(kp);

	mdb_hit_entry(bp, regs);
	return 0;	/* let kprobes run the probed instruction */
}

/**
 * mdb_kprobe_register - a kprobe at bp->addr calling the hit path
 * @kp: the kind's kprobe, in bp->priv
 *
 * Return: 0, or -errno with the kernel's reason in @err.
 */
int mdb_kprobe_register(struct mdb_bp *bp, struct kprobe *kp, char *err, size_t len)
{
	int ret;

	memset(kp, 0, sizeof(*kp));
	kp->addr = (kprobe_opcode_t *)bp->addr;
	kp->pre_handler = mdb_kp_handler;
	ret = register_kprobe(kp);
	if (!ret)
		return 0;
	if (ret == -EILSEQ)
		scnprintf(err, len, "0x%lx (%pS) is not at an instruction boundary",
			  bp->addr, (void *)bp->addr);
	else if (ret == -EINVAL)
		scnprintf(err, len, "kprobes refuse %pS (kprobe blacklist, or not probe-able text)",
			  (void *)bp->addr);
	else if (ret == -EBUSY)
		scnprintf(err, len, "%pS is busy (probed by another tool in an incompatible way)",
			  (void *)bp->addr);
	else
		scnprintf(err, len, "register_kprobe at %pS failed (%d)",
			  (void *)bp->addr, ret);
	return ret;
}

/**
 * mdb_kprobe_unregister - remove a kprobe (@rp: a kretprobe, then @kp is its kp)
 *
 * unregister_k(ret)probe() can fail without saying so: when ftrace cannot
 * allocate the filter that drops a kprobe on a function's ftrace call
 * (-ENOMEM; a WARN_ONCE in kernel/kprobes.c), the kernel keeps the probe
 * registered and clears kp->addr. Freeing it then leaves the kprobe
 * table pointing at freed memory (KASAN use-after-free at the next
 * register_kprobe(), found by mdb_failnth_test). Put the address back and
 * try again; give up (and say so) only after a second of failures.
 * When it returns, no handler runs (synchronize_rcu inside).
 */
void mdb_kprobe_unregister(struct mdb_bp *bp, struct kprobe *kp, struct kretprobe *rp)
{
	int tries;

	for (tries = 0; ; tries++) {
		if (rp)
			unregister_kretprobe(rp);
		else
			unregister_kprobe(kp);
		if (kp->addr || tries == 50)
			break;
		if (!tries)
			pr_warn("breakpoint %u: the kernel could not unregister the kprobe at %pS; trying again\n",
				bp->id, (void *)bp->addr);
		kp->addr = (kprobe_opcode_t *)bp->addr;
		schedule_timeout_uninterruptible(msecs_to_jiffies(20));
	}
	if (!kp->addr)
		pr_err("breakpoint %u: the kernel did not unregister the kprobe at %pS\n",
		       bp->id, (void *)bp->addr);
}

/* ---- the kind ------------------------------------------------------------ */

static bool mdb_kprobe_match(const struct mdb_cmd *cmd)
{
	return cmd->op == MDB_OP_BREAK && !cmd->ret && !cmd->loc.tp &&
	       (cmd->impl == MDB_IMPL_AUTO || cmd->impl == MDB_IMPL_SW);
}

static int mdb_kprobe_arm(struct mdb_bp *bp, char *err, size_t len)
{
	/* `break` with step= never falls back here: only `sw step=` comes */
	if (bp->step) {
		scnprintf(err, len, "step= needs a hardware breakpoint: TF single-step starts from a debug-register trap, not from a kprobe");
		return -EINVAL;
	}
	return mdb_kprobe_register(bp, mdb_bp_priv(bp), err, len);
}

static void mdb_kprobe_disarm(struct mdb_bp *bp)
{
	struct kprobe *kp = mdb_bp_priv(bp);

	mdb_kprobe_unregister(bp, kp, NULL);
	atomic64_add(kp->nmissed, &bp->missed);
}

/* The via of a kprobe: ft when the kernel put it on a function's ftrace call. */
const char *mdb_kprobe_via_of(struct kprobe *kp)
{
	return kprobe_ftrace(kp) ? "ft" : "sw";
}

/* Why a hit of a kprobe cannot single-step: it is no debug-register trap. */
const char *mdb_kprobe_no_step_of(struct kprobe *kp)
{
	return kprobe_ftrace(kp) ?
		MDB_STEP_NEEDS_HW " (this one is an ftrace hook: add hw)" : MDB_STEP_NEEDS_HW;
}

/* via and no_step of the kinds whose state is a struct kprobe (sw, ft) */
const char *mdb_kprobe_via(const struct mdb_bp *bp)
{
	return mdb_kprobe_via_of(mdb_bp_priv(bp));
}

const char *mdb_kprobe_no_step(const struct mdb_bp *bp)
{
	return mdb_kprobe_no_step_of(mdb_bp_priv(bp));
}

u64 mdb_kprobe_nmissed(const struct mdb_bp *bp)
{
	return ((const struct kprobe *)mdb_bp_priv(bp))->nmissed;
}

const struct mdb_kind mdb_kind_kprobe = {
	.name = "break",
	.priv_size = sizeof(struct kprobe),
	.match = mdb_kprobe_match,
	.prepare = mdb_exec_prepare,
	.arm = mdb_kprobe_arm,
	.disarm = mdb_kprobe_disarm,
	.via = mdb_kprobe_via,
	.no_step = mdb_kprobe_no_step,
	.nmissed = mdb_kprobe_nmissed,
	.in_module = mdb_kind_in_module,
};
