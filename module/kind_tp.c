// SPDX-License-Identifier: GPL-2.0
/*
 * Kind `tp`: break tp:SUBSYSTEM:NAME, a tracepoint as a probe source.
 *
 * A tracepoint is found by its trace event (tpevents.c: SUBSYSTEM is the
 * event's system, NAME its name). A syscalls:sys_enter_X / sys_exit_X
 * event is no tracepoint of its own: mdb hooks raw_syscalls' sys_enter /
 * sys_exit and keeps the calls of syscall X.
 *
 * The probe is one C function for every tracepoint: x86-64 passes the
 * probe's data and the tracepoint's arguments in registers (then on the
 * stack), so mdb_tp_probe() sees them as integers and lays them out as the
 * registers of a call of __bpf_trace_NAME(void *__data, ARGS), whose BTF
 * (CONFIG_BPF_EVENTS) names and types them. The hit path then runs as for
 * a breakpoint at that function's entry: ctx.args, args, Lua, filters.
 * Probes run with preemption off (maybe nested in an NMI hit): the same
 * rules as the rest of the hit path.
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <trace/syscall.h>
#include <asm/syscall.h>
#include "mdb.h"
#include "kind.h"
#include "hit.h"
#include "tpevents.h"

/* The kind's state. */
struct mdb_tp {
	struct tracepoint *tp;		/* hooked */
	void *probe;			/* mdb's probe function on it */
	struct module *mod;		/* the tracepoint's module, NULL: vmlinux */
	long sys_nr;			/* a syscall event: its number */
};

/* ---- the probes (hit path) ---------------------------------------------- */

#define MDB_TP_STACK 8	/* arguments beyond the registers, laid out for ctx.args */

/*
 * Every tracepoint's probe: @data is the breakpoint, a1.. the tracepoint's
 * arguments (those a tracepoint does not have are whatever its caller's
 * registers and stack hold: never used, as the BTF prototype has fewer).
 */
static __mdb_hot void mdb_tp_probe(void *data, unsigned long a1, unsigned long a2,
				   unsigned long a3, unsigned long a4, unsigned long a5,
				   unsigned long a6, unsigned long a7, unsigned long a8,
				   unsigned long a9, unsigned long a10, unsigned long a11,
				   unsigned long a12, unsigned long a13)
{
	struct mdb_bp *bp = data;
	/* a call of __bpf_trace_NAME(data, a1, ...): registers, then the stack */
	unsigned long stack[1 + MDB_TP_STACK] = { 0, a6, a7, a8, a9, a10, a11, a12, a13 };
	struct pt_regs regs = {
		.di = (unsigned long)data, .si = a1, .dx = a2, .cx = a3, .r8 = a4, .r9 = a5,
		.sp = (unsigned long)stack, .ip = bp->addr,
	};

	mdb_hit_entry(bp, &regs);
}

/* raw_syscalls:sys_enter for syscalls:sys_enter_X: keeps syscall X only. */
static __mdb_hot void mdb_tp_sys_enter_probe(void *data, struct pt_regs *uregs, long id)
{
	struct mdb_bp *bp = data;
	const struct mdb_tp *t = mdb_bp_priv(bp);
	unsigned long args[6];
	struct pt_regs regs = {};

	if (id != t->sys_nr)
		return;
	syscall_get_arguments(current, uregs, args);
	regs.di = args[0];
	regs.si = args[1];
	regs.dx = args[2];
	regs.cx = args[3];
	regs.r8 = args[4];
	regs.r9 = args[5];
	regs.ip = bp->addr;
	regs.orig_ax = id;
	mdb_hit_entry(bp, &regs);
}

/* raw_syscalls:sys_exit for syscalls:sys_exit_X: ctx.args.ret */
static __mdb_hot void mdb_tp_sys_exit_probe(void *data, struct pt_regs *uregs, long ret)
{
	struct mdb_bp *bp = data;
	const struct mdb_tp *t = mdb_bp_priv(bp);
	struct pt_regs regs = {};

	if (syscall_get_nr(current, uregs) != t->sys_nr)
		return;
	regs.di = ret;
	regs.ip = bp->addr;
	regs.orig_ax = t->sys_nr;
	mdb_hit_entry(bp, &regs);
}

/* ---- the kind (process context, mdb_lock) -------------------------------- */

static bool mdb_tp_match(const struct mdb_cmd *cmd)
{
	return cmd->loc.tp;
}

/*
 * The tracepoint of bp->cmd.loc: sets the kind's state (the tracepoint to
 * hook, the probe, its module, a syscall event's number), bp->site (the
 * name for the log; a syscall event's metadata) and bp->addr: the function
 * whose BTF types the arguments (__bpf_trace_NAME), or the tracepoint
 * itself when there is none (then no typed arguments). With `args`, the
 * spec of its arguments (its __bpf_trace_NAME's parameters but the first,
 * __data). At `break` and at `enable` (its module may have been reloaded).
 */
static int mdb_tp_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	struct mdb_tp_match m = { .system = bp->cmd.loc.module, .name = bp->cmd.loc.sym };
	struct mdb_tp *t = mdb_bp_priv(bp);
	struct mdb_site *site = &bp->site;
	struct syscall_metadata *meta;
	char tmpl[KSYM_NAME_LEN + 16];
	int ret;

	snprintf(site->name, sizeof(site->name), "%s:%s", m.system, m.name);
	ret = mdb_tp_find(&m, err, errlen);
	if (ret)
		return ret;
	memset(t, 0, sizeof(*t));
	t->mod = m.mod;
	site->sys = NULL;
	site->sys_exit = false;
	if (m.call->flags & TRACE_EVENT_FL_TRACEPOINT) {
		t->tp = m.call->tp;
		t->probe = mdb_tp_probe;
		bp->addr = mdb_tp_btf_func(m.call, m.mod, tmpl);
		if (!bp->addr)
			bp->addr = (unsigned long)t->tp;
	} else if (!mdb_is_syscall_event(m.call)) {
		scnprintf(err, errlen, "%s:%s is not a tracepoint's event (a dynamic or special event)",
			  m.system, m.name);
		return -EINVAL;
	} else {
		meta = m.call->data;	/* vmlinux data: stays */
		if (!mdb_tp_sys_enter || !mdb_tp_sys_exit || meta->syscall_nr < 0) {
			scnprintf(err, errlen, "%s:%s: this kernel has no raw_syscalls tracepoints to carry it",
				  m.system, m.name);
			return -ENOENT;
		}
		site->sys = meta;
		t->sys_nr = meta->syscall_nr;
		if (!strncmp(m.name, "sys_exit_", 9)) {
			t->tp = mdb_tp_sys_exit;
			t->probe = mdb_tp_sys_exit_probe;
			site->sys_exit = true;
		} else {
			t->tp = mdb_tp_sys_enter;
			t->probe = mdb_tp_sys_enter_probe;
		}
		bp->addr = (unsigned long)t->tp;
	}
	site->noproto = bp->addr == (unsigned long)t->tp;
	if (!(bp->flags & MDB_F_ARGS))
		return 0;
	if (site->sys || site->noproto) {
		scnprintf(err, errlen, "args: %s:%s has no BTF prototype to name its arguments%s",
			  bp->cmd.loc.module, bp->cmd.loc.sym,
			  site->sys ? " (a syscall event: use lua= with ctx.args)" : "");
		return -ENOENT;
	}
	ret = mdb_args_prepare(bp->addr, &bp->args, err, errlen);
	if (!ret)
		mdb_args_skip_first(&bp->args);
	else if (ret == -ENOENT)	/* 5.10: no FUNC records for static functions */
		scnprintf(err, errlen, "args: %s: this kernel's BTF has no prototype (%ps) to name its arguments; ctx.arg(n) reads them",
			  site->name, (void *)bp->addr);
	return ret;
}

static int mdb_tp_arm(struct mdb_bp *bp, char *err, size_t errlen)
{
	struct mdb_tp *t = mdb_bp_priv(bp);
	int ret = tracepoint_probe_register(t->tp, t->probe, bp);

	if (ret)
		scnprintf(err, errlen, "tracepoint_probe_register(%s:%s) failed (%d)",
			  bp->cmd.loc.module, bp->cmd.loc.sym, ret);
	return ret;
}

static void mdb_tp_disarm(struct mdb_bp *bp)
{
	struct mdb_tp *t = mdb_bp_priv(bp);

	tracepoint_probe_unregister(t->tp, t->probe, bp);
	/* a probe may still run on another CPU: wait for it to leave */
	tracepoint_synchronize_unregister();
}

static const char *mdb_tp_via(const struct mdb_bp *bp)
{
	return "tp";
}

static const char *mdb_tp_no_step(const struct mdb_bp *bp)
{
	return MDB_STEP_NEEDS_HW;
}

static bool mdb_tp_in_module(const struct mdb_bp *bp, const struct module *mod)
{
	return ((const struct mdb_tp *)mdb_bp_priv(bp))->mod == mod;
}

/* ---- modules coming and going ------------------------------------------- */

static void (*mdb_tp_going)(struct module *mod);

/*
 * A module with tracepoints goes: probes on them must go first (the kernel
 * checks that none is left once its notifiers ran), before the module
 * notifier's turn: the engine's "gone" for them now. The kernel holds
 * tracepoint_module_list_mutex here.
 */
static int mdb_tp_module_notify(struct notifier_block *nb, unsigned long val, void *data)
{
	struct tp_module *tpm = data;

	if (val == MODULE_STATE_GOING)
		mdb_tp_going(tpm->mod);
	return NOTIFY_OK;
}

static struct notifier_block mdb_tp_nb = {
	.notifier_call = mdb_tp_module_notify,
};

static int mdb_tp_init(void (*going)(struct module *mod))
{
	mdb_tp_going = going;
	return register_tracepoint_module_notifier(&mdb_tp_nb);
}

static void mdb_tp_exit(void)
{
	unregister_tracepoint_module_notifier(&mdb_tp_nb);
}

const struct mdb_kind mdb_kind_tp = {
	.name = "tp",
	.priv_size = sizeof(struct mdb_tp),
	.match = mdb_tp_match,
	.prepare = mdb_tp_prepare,
	.arm = mdb_tp_arm,
	.disarm = mdb_tp_disarm,
	.via = mdb_tp_via,
	.no_step = mdb_tp_no_step,
	.in_module = mdb_tp_in_module,
	.init = mdb_tp_init,
	.exit = mdb_tp_exit,
};
