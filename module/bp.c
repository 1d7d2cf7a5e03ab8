// SPDX-License-Identifier: GPL-2.0
/*
 * The breakpoint engine: break, watch, delete, enable, disable, reset.
 *
 * Execution breakpoints use perf's wide hw_breakpoint (one debug register
 * on every CPU) while one is free, else a kprobe (int3), or a kprobe when
 * asked (`sw`). Watchpoints are hardware only. Arming and disarming
 * happen here, in process context, under mdb_lock; the hit path (hit.c)
 * only reads a breakpoint, and may ask for it to be disarmed when its
 * limit= is reached (irq_work -> work item -> disarm here).
 *
 * States: a bp is created ARMED (or the command fails and nothing is
 * kept); disable/limit -> DISABLED; its module going away -> GONE; enable
 * re-resolves a symbolic location and arms it again.
 */
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/hw_breakpoint.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "mdb.h"
#include "bp.h"

static struct mdb_bp *mdb_bps[MDB_MAX_BPS];
static unsigned int mdb_next_id = 1;

#define for_each_mdb_bp(bp, i) \
	for ((i) = 0; (i) < MDB_MAX_BPS; (i)++) \
		if (((bp) = mdb_bps[i]) != NULL)

static struct mdb_bp *mdb_bp_find(unsigned int id)
{
	struct mdb_bp *bp;
	int i;

	for_each_mdb_bp(bp, i)
		if (bp->id == id)
			return bp;
	return NULL;
}

int mdb_bp_hw_held(void)
{
	struct mdb_bp *bp;
	int i, n = 0;

	for_each_mdb_bp(bp, i)
		if (bp->state == MDB_BP_ARMED && bp->hw)
			n++;
	return n;
}

/* ---- resolving a location ----------------------------------------------- */

/**
 * mdb_resolve - the address of a location (symbol, symbol+off, module:symbol, 0xaddr)
 * @loc:  the parsed location
 * @addr: the result
 * @err, @len: the reason on failure
 *
 * Context: process. Return: 0, -ENOENT (unknown symbol) or -EINVAL
 * (offset past the symbol's end).
 */
int mdb_resolve(const struct mdb_loc *loc, unsigned long *addr,
		char *err, size_t len)
{
	char name[MDB_MOD_MAX + MDB_SYM_MAX + 2];
	unsigned long a;

	if (!loc->sym[0]) {
		*addr = loc->addr;
		return 0;
	}
	if (loc->module[0])
		snprintf(name, sizeof(name), "%s:%s", loc->module, loc->sym);
	else
		strscpy(name, loc->sym, sizeof(name));
	a = mdb_lookup_name(name);
	if (!a) {
		if (loc->module[0])
			scnprintf(err, len, "unknown symbol '%s' (is module '%s' loaded?)",
				  loc->sym, loc->module);
		else
			scnprintf(err, len, "unknown symbol '%s'", loc->sym);
		return -ENOENT;
	}
	if (loc->off) {
		unsigned long off, size;

		/* the offset must stay inside the symbol */
		if (mdb_sym_extent(a, &off, &size) && loc->off >= size) {
			scnprintf(err, len, "offset 0x%llx is past the end of '%s' (size 0x%lx)",
				  loc->off, loc->sym, size);
			return -EINVAL;
		}
	}
	*addr = a + loc->off;
	return 0;
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

/* ---- arming ----------------------------------------------------------- */

static int mdb_arm_hw(struct mdb_bp *bp, char *err, size_t len)
{
	struct perf_event_attr attr;
	struct perf_event * __percpu *hw;

	hw_breakpoint_init(&attr);
	attr.bp_addr = bp->addr;
	if (bp->flags & MDB_F_WATCH) {
		attr.bp_len = bp->len;
		attr.bp_type = bp->cmd.wmode == MDB_WMODE_RW ?
			HW_BREAKPOINT_RW : HW_BREAKPOINT_W;
	} else {
		attr.bp_len = sizeof(long);	/* x86: exec breakpoints */
		attr.bp_type = HW_BREAKPOINT_X;
	}
	hw = register_wide_hw_breakpoint(&attr, mdb_hw_handler, bp);
	if (IS_ERR_PCPU(hw)) {
		int ret = PTR_ERR_PCPU(hw);

		if (ret == -ENOSPC)
			scnprintf(err, len, "no free debug register (mdb holds %d of %d; the rest are in use by others)%s",
				  mdb_bp_hw_held(), MDB_NR_DEBUG_REGS,
				  (bp->flags & MDB_F_WATCH) ? "; watchpoints are hardware-only" :
				  bp->step ? "; step= needs one" : "; use sw");
		else if (ret == -EINVAL)
			scnprintf(err, len, "the kernel refuses a hardware %s at 0x%lx (cpu entry area, or not allowed there)",
				  (bp->flags & MDB_F_WATCH) ? "watchpoint" : "breakpoint", bp->addr);
		else
			scnprintf(err, len, "register_wide_hw_breakpoint failed (%d)", ret);
		return ret;
	}
	bp->hwbp = hw;
	bp->hw = true;
	return 0;
}

static int mdb_arm_sw(struct mdb_bp *bp, char *err, size_t len)
{
	int ret;

	memset(&bp->kp, 0, sizeof(bp->kp));
	bp->kp.addr = (kprobe_opcode_t *)bp->addr;
	bp->kp.pre_handler = mdb_kp_handler;
	ret = register_kprobe(&bp->kp);
	if (ret) {
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
	bp->hw = false;
	bp->ft = kprobe_ftrace(&bp->kp);
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

/* break FN ret: a kretprobe, on the ftrace call where the kernel can. */
static int mdb_arm_ret(struct mdb_bp *bp, char *err, size_t len)
{
	int ret;

	memset(&bp->rp, 0, sizeof(bp->rp));
	bp->rp.kp.addr = (kprobe_opcode_t *)bp->addr;
	bp->rp.entry_handler = mdb_rp_entry;
	bp->rp.handler = mdb_rp_handler;
	bp->rp.data_size = sizeof(struct mdb_ret_data);
	bp->rp.maxactive = mdb_ret_maxactive(bp);
	ret = register_kretprobe(&bp->rp);
	if (ret) {
		if (ret == -EINVAL)
			scnprintf(err, len, "kretprobes refuse %pS (kprobe blacklist, or not a function's entry)",
				  (void *)bp->addr);
		else if (ret == -ENOMEM)
			scnprintf(err, len, "no memory for %u return instances (maxactive=)",
				  bp->rp.maxactive);
		else
			scnprintf(err, len, "register_kretprobe at %pS failed (%d)",
				  (void *)bp->addr, ret);
		return ret;
	}
	if (bp->cmd.impl == MDB_IMPL_FT && !kprobe_ftrace(&bp->rp.kp)) {
		unregister_kretprobe(&bp->rp);
		scnprintf(err, len, "ft: %pS has no ftrace call (a notrace function); drop ft",
			  (void *)bp->addr);
		return -EINVAL;
	}
	bp->hw = false;
	bp->ft = kprobe_ftrace(&bp->rp.kp);
	return 0;
}

/* Install @bp; it counts hits from the moment this starts. */
static int mdb_arm(struct mdb_bp *bp, char *err, size_t len)
{
	int ret;

	/* must precede register: the first hit may come at once */
	atomic_set(&bp->disable_req, 0);
	atomic_set(&bp->script_errors, 0);
	/*
	 * ... except with step=: stepping needs bp->hw and bp->hwbp, set when
	 * register_wide_hw_breakpoint() returns, while the other CPUs' debug
	 * registers are already armed; a hit before that could not step (make
	 * sweep saw __run_timers hit so). Such a breakpoint is live from
	 * then on: earlier hits, before the command returned, are not its.
	 */
	WRITE_ONCE(bp->live, !bp->step);
	/*
	 * `count` and nothing else: the handlers count such a hit without
	 * calling mdb_hit() (hit.c). Read by the hit path: set before
	 * registering, like the fields it is made of.
	 */
	bp->count_only = (bp->flags & MDB_F_COUNT) && !(bp->flags & MDB_F_TRACE) &&
			 !bp->pid && bp->cpu < 0 && !bp->comm[0] && !bp->limit &&
			 !bp->step && !bp->lua && !bp->ifn && !bp->aggr;
	if (bp->flags & MDB_F_TP) {
		ret = mdb_tp_arm(bp, err, len);
		goto out;
	}
	if (bp->flags & MDB_F_RET) {
		ret = mdb_arm_ret(bp, err, len);
		goto out;
	}
	/*
	 * A function's entry, when nothing asks for a debug register: a kprobe
	 * that the kernel puts on the function's ftrace call is a call, not a
	 * trap (~12x cheaper, docs/performance.md). A notrace function gets
	 * an int3 kprobe there instead: take that back and choose as elsewhere.
	 */
	if (!(bp->flags & MDB_F_WATCH) && !bp->step &&
	    (bp->cmd.impl == MDB_IMPL_AUTO || bp->cmd.impl == MDB_IMPL_FT)) {
		if (bp->cmd.impl == MDB_IMPL_FT && !mdb_at_entry(bp->addr)) {
			scnprintf(err, len, "ft: %pS is not a function's entry; ftrace hooks only entries",
				  (void *)bp->addr);
			ret = -EINVAL;
			goto out;
		}
		if (mdb_at_entry(bp->addr)) {
			ret = mdb_arm_sw(bp, err, len);
			if (ret || bp->ft)
				goto out;
			unregister_kprobe(&bp->kp);
			atomic64_add(bp->kp.nmissed, &bp->missed);
			if (bp->cmd.impl == MDB_IMPL_FT) {
				scnprintf(err, len, "ft: %pS has no ftrace call (a notrace function); use hw or sw",
					  (void *)bp->addr);
				ret = -EINVAL;
				goto out;
			}
		}
	}
	if (bp->flags & MDB_F_WATCH || bp->cmd.impl != MDB_IMPL_SW) {
		ret = mdb_arm_hw(bp, err, len);
		/* watch, hw and step= need a debug register: no fallback */
		if (ret != -ENOSPC || bp->flags & MDB_F_WATCH ||
		    bp->cmd.impl == MDB_IMPL_HW || bp->step)
			goto out;
		err[0] = '\0';	/* auto: fall back to a kprobe */
	}
	ret = mdb_arm_sw(bp, err, len);
out:
	if (ret) {
		WRITE_ONCE(bp->live, 0);
	} else {
		bp->state = MDB_BP_ARMED;
		if (bp->step)
			smp_store_release(&bp->live, 1);	/* after bp->hw, bp->hwbp */
	}
	return ret;
}

/*
 * unregister_k(ret)probe() can fail without saying so: when ftrace cannot
 * allocate the filter that drops a kprobe on a function's ftrace call
 * (-ENOMEM; a WARN_ONCE in kernel/kprobes.c), the kernel keeps the probe
 * registered and clears kp->addr. Freeing it then leaves the kprobe
 * table pointing at freed memory (KASAN use-after-free at the next
 * register_kprobe(), found by mdb_failnth_test). Put the address back and
 * try again; give up (and say so) only after a second of failures.
 */
static void mdb_unregister_kprobe(struct mdb_bp *bp)
{
	struct kprobe *kp = (bp->flags & MDB_F_RET) ? &bp->rp.kp : &bp->kp;
	int tries;

	for (tries = 0; ; tries++) {
		if (bp->flags & MDB_F_RET)
			unregister_kretprobe(&bp->rp);
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

/* Remove @bp from the CPUs; when this returns, no handler runs on it. */
static void mdb_disarm(struct mdb_bp *bp, enum mdb_bp_state state)
{
	if (bp->state != MDB_BP_ARMED) {
		bp->state = state;
		return;
	}
	WRITE_ONCE(bp->live, 0);
	if (bp->hw) {
		/* removes the event on each CPU by IPI: waits for its handler */
		unregister_wide_hw_breakpoint(bp->hwbp);
		bp->hwbp = NULL;
	} else if (bp->flags & MDB_F_TP) {
		mdb_tp_disarm(bp);	/* waits for running probes */
	} else if (bp->flags & MDB_F_RET) {
		/* waits for running handlers; calls still in flight never fire */
		mdb_unregister_kprobe(bp);
		atomic64_add(bp->rp.nmissed + bp->rp.kp.nmissed, &bp->missed);
	} else {
		/* waits for running handlers (synchronize_rcu inside) */
		mdb_unregister_kprobe(bp);
		atomic64_add(bp->kp.nmissed, &bp->missed);
	}
	bp->state = state;
}

/* Frees @bp, which no handler can see any more. */
static void mdb_bp_kfree(struct mdb_bp *bp)
{
	mdb_aggr_free(bp);
	free_percpu(bp->pc);
	kfree(bp);
}

static void mdb_bp_free(struct mdb_bp *bp)
{
	/* NMI handlers are RCU readers: none can still see @bp after this */
	synchronize_rcu();
	mdb_bp_kfree(bp);
}

/*
 * break FN ret: FN must be a function's entry; its BTF return type, where
 * there is one, says how the log prints the value.
 */
static int mdb_ret_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	int size;

	if (!mdb_at_entry(bp->addr)) {
		scnprintf(err, errlen, "ret: %pS is not a function's entry (a return probe goes on its first instruction)",
			  (void *)bp->addr);
		return -EINVAL;
	}
	bp->ret_fmt = mdb_ret_type(bp->addr, &size);
	bp->ret_size = size;
	return 0;
}

/*
 * break tp:SUBSYSTEM:NAME: the tracepoint, and with `args` the spec of its
 * arguments (its __bpf_trace_NAME's parameters but the first, __data).
 * Changes bp->addr: only while @bp is not armed.
 */
static int mdb_tp_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	int ret = mdb_tp_resolve(bp, err, errlen);

	if (ret || !(bp->flags & MDB_F_ARGS))
		return ret;
	if (bp->sys || bp->addr == (unsigned long)bp->tp) {
		scnprintf(err, errlen, "args: %s:%s has no BTF prototype to name its arguments%s",
			  bp->cmd.loc.module, bp->cmd.loc.sym,
			  bp->sys ? " (a syscall event: use lua= with ctx.args)" : "");
		return -ENOENT;
	}
	ret = mdb_args_prepare(bp->addr, &bp->args, err, errlen);
	if (!ret)
		mdb_args_skip_first(&bp->args);
	else if (ret == -ENOENT)	/* 5.10: no FUNC records for static functions */
		scnprintf(err, errlen, "args: %s: this kernel's BTF has no prototype (%ps) to name its arguments; ctx.arg(n) reads them",
			  bp->tp_name, (void *)bp->addr);
	return ret;
}

/* ---- commands ---------------------------------------------------------- */

static int mdb_bp_slot(void)
{
	int i;

	for (i = 0; i < MDB_MAX_BPS; i++)
		if (!mdb_bps[i])
			return i;
	return -1;
}

/* break and watch */
int mdb_bp_break(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	bool watch = cmd->op == MDB_OP_WATCH;
	struct mdb_bp *bp, *b;
	char *text, *other;
	unsigned long addr;
	int slot, ret, i;

	if ((cmd->lua[0] || cmd->ifn[0]) && !mdb_script_loaded()) {
		scnprintf(err, errlen, "%s=%s: no script loaded (cat probe.lua > script)",
			  cmd->lua[0] ? "lua" : "if", cmd->lua[0] ? cmd->lua : cmd->ifn);
		return -ENOENT;
	}
	if (cmd->step && cmd->impl == MDB_IMPL_SW) {
		scnprintf(err, errlen, "step= needs a hardware breakpoint: TF single-step starts from a debug-register trap, not from a kprobe");
		return -EINVAL;
	}
	if (cmd->cpu >= 0 && (cmd->cpu >= nr_cpu_ids || !cpu_possible(cmd->cpu))) {
		scnprintf(err, errlen, "cpu=%d: no such CPU (0-%u)", cmd->cpu, nr_cpu_ids - 1);
		return -EINVAL;
	}
	/* the same command twice is a mistake; different filters are not */
	text = kmalloc(2 * MDB_CMD_TEXT_MAX, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	other = text + MDB_CMD_TEXT_MAX;
	mdb_cmd_format(text, MDB_CMD_TEXT_MAX, cmd);
	ret = 0;
	for_each_mdb_bp(b, i) {
		mdb_cmd_format(other, MDB_CMD_TEXT_MAX, &b->cmd);
		if (!strcmp(text, other)) {
			scnprintf(err, errlen, "same as breakpoint %u", b->id);
			ret = -EEXIST;
			break;
		}
	}
	kfree(text);
	if (ret)
		return ret;
	slot = mdb_bp_slot();
	if (slot < 0) {
		scnprintf(err, errlen, "too many breakpoints (at most %d); delete some", MDB_MAX_BPS);
		return -ENOSPC;
	}
	if (mdb_next_id > MDB_ID_MAX) {
		scnprintf(err, errlen, "breakpoint ids exhausted; 'reset' starts again at 1");
		return -ENOSPC;
	}
	if (!cmd->loc.tp) {
		ret = mdb_resolve(&cmd->loc, &addr, err, errlen);
		if (ret)
			return ret;
	}

	bp = kzalloc(sizeof(*bp), GFP_KERNEL);
	if (!bp)
		return -ENOMEM;
	bp->pc = alloc_percpu(struct mdb_bp_pcpu);
	if (!bp->pc) {
		kfree(bp);
		return -ENOMEM;
	}
	bp->cmd = *cmd;
	if (mdb_aggr_alloc(bp)) {
		mdb_bp_kfree(bp);
		return -ENOMEM;
	}
	bp->addr = addr;
	bp->pid = cmd->pid;
	bp->cpu = cmd->cpu;
	strscpy(bp->comm, cmd->comm, sizeof(bp->comm));
	bp->limit = cmd->limit;
	bp->flags = (cmd->count ? MDB_F_COUNT : 0) | (cmd->regs ? MDB_F_REGS : 0) |
		    (cmd->bt ? MDB_F_BT : 0) | (watch ? MDB_F_WATCH : 0) |
		    (cmd->over ? MDB_F_OVER : 0) | (cmd->unsafe ? MDB_F_UNSAFE : 0) |
		    (cmd->args ? MDB_F_ARGS : 0) | (cmd->ret ? MDB_F_RET : 0) |
		    (cmd->loc.tp ? MDB_F_TP : 0) | (cmd->trace ? MDB_F_TRACE : 0);
	bp->step = cmd->step;
	if (cmd->lua[0])
		bp->lua = bp->cmd.lua;
	if (cmd->ifn[0])
		bp->ifn = bp->cmd.ifn;
	bp->state = MDB_BP_DISABLED;
	if (cmd->loc.tp) {
		ret = mdb_tp_prepare(bp, err, errlen);
	} else if (watch) {
		bp->len = cmd->len ? cmd->len : mdb_watch_default_len(addr);
		ret = mdb_safety_check_watch(addr, bp->len, err, errlen);
	} else {
		ret = mdb_safety_check_exec(addr, cmd->unsafe, err, errlen);
		if (!ret && cmd->args)
			ret = mdb_args_prepare(addr, &bp->args, err, errlen);
		if (!ret && cmd->ret)
			ret = mdb_ret_prepare(bp, err, errlen);
	}
	if (ret)
		goto err_free;

	bp->id = mdb_next_id;
	ret = mdb_arm(bp, err, errlen);
	if (ret)
		goto err_free;
	mdb_next_id++;
	mdb_bps[slot] = bp;
	return 0;

err_free:
	mdb_bp_kfree(bp);	/* never armed: no handler can see it */
	return ret;
}

/* Apply @fn to breakpoint cmd->id, or to all of them. */
static int mdb_bp_each(const struct mdb_cmd *cmd, char *err, size_t errlen,
		       int (*fn)(struct mdb_bp *bp, char *err, size_t errlen))
{
	struct mdb_bp *bp;
	int i, ret, first = 0;

	if (!cmd->all) {
		bp = mdb_bp_find(cmd->id);
		if (!bp) {
			scnprintf(err, errlen, "no breakpoint %u", cmd->id);
			return -ENOENT;
		}
		return fn(bp, err, errlen);
	}
	for_each_mdb_bp(bp, i) {
		ret = fn(bp, err, errlen);
		if (ret && !first)
			first = ret;
	}
	return first;
}

static int __mdb_bp_delete(struct mdb_bp *bp, char *err, size_t errlen)
{
	int i;

	mdb_disarm(bp, MDB_BP_DISABLED);
	for (i = 0; i < MDB_MAX_BPS; i++)
		if (mdb_bps[i] == bp)
			mdb_bps[i] = NULL;
	mdb_bp_free(bp);
	return 0;
}

int mdb_bp_delete(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_bp_each(cmd, err, errlen, __mdb_bp_delete);
}

static int __mdb_bp_enable(struct mdb_bp *bp, char *err, size_t errlen)
{
	unsigned long addr;
	int ret;

	if (bp->state == MDB_BP_ARMED)
		return 0;
	if (bp->flags & MDB_F_TP) {
		/* its module may have been reloaded: find it again */
		ret = mdb_tp_prepare(bp, err, errlen);
		if (!ret)
			ret = mdb_arm(bp, err, errlen);
		if (!ret)
			bp->why[0] = '\0';
		return ret;
	}
	/* a symbol may have moved (its module reloaded) */
	ret = mdb_resolve(&bp->cmd.loc, &addr, err, errlen);
	if (ret)
		return ret;
	if (bp->flags & MDB_F_WATCH)
		ret = mdb_safety_check_watch(addr, bp->len, err, errlen);
	else
		ret = mdb_safety_check_exec(addr, bp->cmd.unsafe, err, errlen);
	/* the function's module (and its BTF) may have been reloaded */
	if (!ret && (bp->flags & MDB_F_ARGS))
		ret = mdb_args_prepare(addr, &bp->args, err, errlen);
	if (ret)
		return ret;
	/* the hit path reads addr: change it only while not installed */
	bp->addr = addr;
	if (bp->flags & MDB_F_RET) {
		ret = mdb_ret_prepare(bp, err, errlen);
		if (ret)
			return ret;
	}
	/* enabling restarts the count toward limit= */
	if (bp->limit && atomic64_read(&bp->hits) >= bp->limit)
		atomic64_set(&bp->hits, 0);
	ret = mdb_arm(bp, err, errlen);
	if (!ret)
		bp->why[0] = '\0';
	return ret;
}

/*
 * enable all: every breakpoint or none. Arming may fail late (no free
 * debug register), so the ones this command armed are put back as they
 * were when a later one fails: a failed line changes nothing.
 */
int mdb_bp_enable(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	struct mdb_bp_saved {
		enum mdb_bp_state state;
		s64 hits;
		char why[sizeof(((struct mdb_bp *)0)->why)];
	} *saved;
	struct mdb_bp *bp;
	int i, ret = 0;

	if (!cmd->all)
		return mdb_bp_each(cmd, err, errlen, __mdb_bp_enable);
	saved = kmalloc_array(MDB_MAX_BPS, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	for_each_mdb_bp(bp, i) {
		saved[i].state = bp->state;
		saved[i].hits = atomic64_read(&bp->hits);
		memcpy(saved[i].why, bp->why, sizeof(saved[i].why));
	}
	for_each_mdb_bp(bp, i) {
		ret = __mdb_bp_enable(bp, err, errlen);
		if (ret)
			break;
	}
	if (ret) {
		for_each_mdb_bp(bp, i) {
			if (saved[i].state == MDB_BP_ARMED || bp->state != MDB_BP_ARMED)
				continue;
			mdb_disarm(bp, saved[i].state);
			atomic64_set(&bp->hits, saved[i].hits);
			memcpy(bp->why, saved[i].why, sizeof(bp->why));
		}
	}
	kfree(saved);
	return ret;
}

static int __mdb_bp_disable(struct mdb_bp *bp, char *err, size_t errlen)
{
	if (bp->state == MDB_BP_ARMED) {
		mdb_disarm(bp, MDB_BP_DISABLED);
		strscpy(bp->why, "by user", sizeof(bp->why));
	}
	return 0;
}

int mdb_bp_disable(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_bp_each(cmd, err, errlen, __mdb_bp_disable);
}

/* Delete everything; ids start at 1 again. */
void mdb_bp_reset(void)
{
	struct mdb_bp *bp;
	int i;

	for_each_mdb_bp(bp, i)
		mdb_disarm(bp, MDB_BP_DISABLED);
	synchronize_rcu();
	for_each_mdb_bp(bp, i) {
		mdb_bps[i] = NULL;
		mdb_bp_kfree(bp);
	}
	mdb_next_id = 1;
}

/*
 * mdb.watch() from a script: a watchpoint with lua=FN, made in process
 * context by the work item (the caller does not hold mdb_lock).
 */
int mdb_bp_add_watch(unsigned long addr, unsigned int len, bool rw,
		     const char *fn, char *err, size_t errlen)
{
	struct mdb_cmd *cmd;
	int ret;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->op = MDB_OP_WATCH;
	cmd->loc.addr = addr;
	cmd->impl = MDB_IMPL_AUTO;
	cmd->cpu = -1;
	cmd->len = len;
	cmd->wmode = rw ? MDB_WMODE_RW : MDB_WMODE_W;
	cmd->opts_seen = MDB_OPT_BIT(MDB_OPT_LEN) |
			 MDB_OPT_BIT(rw ? MDB_OPT_RW : MDB_OPT_W);
	if (fn[0]) {
		strscpy(cmd->lua, fn, sizeof(cmd->lua));
		cmd->opts_seen |= MDB_OPT_BIT(MDB_OPT_LUA);
	}
	mutex_lock(&mdb_lock);
	ret = mdb_bp_break(cmd, err, errlen);
	mutex_unlock(&mdb_lock);
	kfree(cmd);
	return ret;
}

/* ---- disarm requests from the hit path, done in process context -------- */

static void mdb_limit_workfn(struct work_struct *w)
{
	struct mdb_bp *bp;
	int i;

	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i) {
		int why = atomic_read(&bp->disable_req);

		if (bp->state != MDB_BP_ARMED || !why)
			continue;
		mdb_disarm(bp, MDB_BP_DISABLED);
		switch (why) {
		case MDB_DIS_LIMIT:
			scnprintf(bp->why, sizeof(bp->why), "limit=%u reached", bp->limit);
			mdb_log_msg(bp->id, "disabled: limit of %u hits reached", bp->limit);
			break;
		case MDB_DIS_ERRORS:
			scnprintf(bp->why, sizeof(bp->why), "%d script errors",
				  atomic_read(&bp->script_errors));
			mdb_log_msg(bp->id, "disabled: its script failed %d times",
				    atomic_read(&bp->script_errors));
			break;
		default:
			strscpy(bp->why, "mdb.disable() in its script", sizeof(bp->why));
			mdb_log_msg(bp->id, "disabled: mdb.disable() in its script");
			break;
		}
	}
	mutex_unlock(&mdb_lock);
	mdb_script_work();
}
static DECLARE_WORK(mdb_limit_work, mdb_limit_workfn);

/*
 * Unbound: the CPU that asked may be looping in the kernel through hits
 * (a busy loop calling a probed function): a per-CPU worker would wait
 * for it, and a script's garbage with it (mdb_lua_set_gc_kick()).
 */
static void mdb_limit_irq_workfn(struct irq_work *w)
{
	queue_work(system_unbound_wq, &mdb_limit_work);
}
static struct irq_work mdb_limit_irq_work = IRQ_WORK_INIT(mdb_limit_irq_workfn);

/* Any context, NMI-safe: a hit asks for @bp to be disarmed (MDB_DIS_*). */
void mdb_bp_request_disable(struct mdb_bp *bp, int why)
{
	WRITE_ONCE(bp->live, 0);
	atomic_cmpxchg(&bp->disable_req, 0, why);
	irq_work_queue(&mdb_limit_irq_work);
}

/* Any context, NMI-safe: run the process-context work soon (mdb.watch). */
void mdb_bp_kick_work(void)
{
	irq_work_queue(&mdb_limit_irq_work);
}

/* ---- modules going away ------------------------------------------------ */

/*
 * @mod goes away: its breakpoints and its tracepoints' probes go "gone"
 * (enable brings them back once it is loaded again). From the module
 * notifier and, for tracepoints, from the tracepoint module notifier, which
 * must leave no probe on them.
 */
void mdb_bp_module_going(struct module *mod)
{
	struct mdb_bp *bp;
	int i;

	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i) {
		if (bp->state != MDB_BP_ARMED)
			continue;
		if ((bp->flags & MDB_F_TP) ? bp->tp_mod != mod : !within_module(bp->addr, mod))
			continue;
		mdb_disarm(bp, MDB_BP_GONE);
		scnprintf(bp->why, sizeof(bp->why), "module %s unloaded", mod->name);
		mdb_log_msg(bp->id, "disabled: module %s unloaded", mod->name);
	}
	mutex_unlock(&mdb_lock);
}

static int mdb_module_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == MODULE_STATE_GOING)
		mdb_bp_module_going(data);
	return NOTIFY_DONE;
}

static struct notifier_block mdb_module_nb = {
	.notifier_call = mdb_module_notify,
};

/* ---- the breakpoints file ---------------------------------------------- */

static const char *const mdb_state_names[] = {
	[MDB_BP_ARMED] = "armed",
	[MDB_BP_DISABLED] = "disabled",
	[MDB_BP_GONE] = "gone",
};

/* The per-CPU counts of @bp, summed (process context). */
static void mdb_bp_counts(const struct mdb_bp *bp, s64 *hits, s64 *filtered)
{
	int cpu;

	*hits = atomic64_read(&bp->hits);
	*filtered = 0;
	for_each_possible_cpu(cpu) {
		const struct mdb_bp_pcpu *pc = per_cpu_ptr(bp->pc, cpu);

		*hits += READ_ONCE(pc->hits);
		*filtered += READ_ONCE(pc->filtered);
	}
}

/* The table's kind column: what fires. */
static const char *mdb_bp_kind(const struct mdb_bp *bp)
{
	return (bp->flags & MDB_F_WATCH) ? "watch" : (bp->flags & MDB_F_RET) ? "ret" :
	       (bp->flags & MDB_F_TP) ? "tp" : "break";
}

/* The via column: how it is installed (hw, sw = int3, ft = ftrace), or -. */
static const char *mdb_bp_via(const struct mdb_bp *bp)
{
	if (bp->state != MDB_BP_ARMED)
		return "-";
	if (bp->flags & MDB_F_TP)
		return "tp";
	return bp->hw ? "hw" : bp->ft ? "ft" : "sw";
}

/* Hits the kprobe layer could not hand to mdb, while it is installed. */
static u64 mdb_bp_nmissed(const struct mdb_bp *bp)
{
	if (bp->state != MDB_BP_ARMED || bp->hw || (bp->flags & MDB_F_TP))
		return 0;
	if (bp->flags & MDB_F_RET)
		return bp->rp.nmissed + bp->rp.kp.nmissed;
	return bp->kp.nmissed;
}

/* The aggr file: each breakpoint with by= or hist=, its command and its map. */
int mdb_aggr_show(struct seq_file *m)
{
	struct mdb_bp *bp;
	char *text;
	void *scratch;
	int i;

	scratch = kvmalloc(MDB_AGGR_SCRATCH, GFP_KERNEL);
	text = kmalloc(MDB_CMD_TEXT_MAX, GFP_KERNEL);
	if (!scratch || !text) {
		kvfree(scratch);
		kfree(text);
		return -ENOMEM;
	}
	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i)
		mdb_aggr_show_one(m, bp, text, scratch);
	mutex_unlock(&mdb_lock);
	kvfree(scratch);
	kfree(text);
	return 0;
}

/* 0, or -ENOMEM: the read fails rather than show an empty table */
int mdb_bp_show(struct seq_file *m)
{
	char *text, *sym;
	struct mdb_bp *bp;
	s64 hits, filtered;
	int i;

	text = kmalloc(MDB_CMD_TEXT_MAX + KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	sym = text + MDB_CMD_TEXT_MAX;
	mutex_lock(&mdb_lock);
	seq_printf(m, "%-4s %-5s %-2s %-18s %-32s %10s %8s %8s %-8s %s\n",
		   "# id", "kind", "via", "address", "location", "hits", "missed",
		   "filtered", "state", "command");
	for_each_mdb_bp(bp, i) {
		mdb_cmd_format(text, MDB_CMD_TEXT_MAX, &bp->cmd);
		if (bp->flags & MDB_F_TP)
			scnprintf(sym, KSYM_SYMBOL_LEN, "%s:%s", bp->cmd.loc.module, bp->cmd.loc.sym);
		else
			mdb_sprint_loc(sym, bp->addr);
		mdb_bp_counts(bp, &hits, &filtered);
		seq_printf(m, "%-4u %-5s %-2s 0x%016lx %-32s %10lld %8lld %8lld %-8s %s",
			   bp->id, mdb_bp_kind(bp), mdb_bp_via(bp),
			   bp->addr, sym, hits, atomic64_read(&bp->missed) + mdb_bp_nmissed(bp),
			   filtered, mdb_state_names[bp->state], text);
		if (bp->flags & MDB_F_WATCH && !bp->cmd.len)
			seq_printf(m, " # len=%u", bp->len);
		if (atomic_read(&bp->script_errors))
			seq_printf(m, " # script errors: %d", atomic_read(&bp->script_errors));
		if (bp->why[0])
			seq_printf(m, " # %s", bp->why);
		seq_putc(m, '\n');
	}
	mutex_unlock(&mdb_lock);
	kfree(text);
	return 0;
}

int mdb_bp_init(void)
{
	return register_module_notifier(&mdb_module_nb);
}

/* Module exit: after the files are gone, so no command races with this. */
void mdb_bp_exit(void)
{
	unregister_module_notifier(&mdb_module_nb);
	mutex_lock(&mdb_lock);
	mdb_bp_reset();
	mutex_unlock(&mdb_lock);
	irq_work_sync(&mdb_limit_irq_work);
	cancel_work_sync(&mdb_limit_work);
}
