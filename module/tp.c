// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints as a probe source: break tp:SUBSYSTEM:NAME.
 *
 * A tracepoint is found by its trace event (SUBSYSTEM is the event's
 * system, NAME its name), in the kernel's list of events (vmlinux's and
 * loaded modules'). A syscalls:sys_enter_X / sys_exit_X event is no tracepoint
 * of its own: mdb hooks raw_syscalls' sys_enter / sys_exit and keeps the
 * calls of syscall X.
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
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <trace/syscall.h>
#include <asm/syscall.h>
#include "mdb.h"
#include "bp.h"
#include "btfidx.h"
#include "btfargs.h"

/*
 * The kernel's list of trace events (kernel/trace/trace_events.c's
 * ftrace_events, under event_mutex: events of vmlinux, of modules as they
 * load, dynamic ones), found once through kallsyms. vmlinux's
 * _ftrace_events section is init data, freed after boot: the list is the
 * one place that has them all.
 */
static struct list_head *mdb_ftrace_events;
static struct mutex *mdb_event_mutex;
static struct tracepoint *mdb_tp_sys_enter, *mdb_tp_sys_exit;

static const char *mdb_event_name(struct trace_event_call *call)
{
	return (call->flags & TRACE_EVENT_FL_TRACEPOINT) ? call->tp->name : call->name;
}

static bool mdb_is_syscall_event(struct trace_event_call *call)
{
	return !(call->flags & TRACE_EVENT_FL_TRACEPOINT) && call->class &&
	       call->class->system && !strcmp(call->class->system, "syscalls") &&
	       call->data;
}

/*
 * Apply @fn to every static trace event (@mod: its module, NULL for
 * vmlinux) until it returns non-zero. Context: process; takes event_mutex.
 */
static int mdb_tp_each(int (*fn)(struct trace_event_call *call, struct module *mod, void *priv),
		       void *priv)
{
	struct trace_event_call *call;
	int ret = 0;

	if (!mdb_ftrace_events)
		return 0;
	mutex_lock(mdb_event_mutex);
	list_for_each_entry(call, mdb_ftrace_events, list) {
		if (mdb_event_is_dynamic(call))
			continue;	/* kprobe events and the like: not tracepoints */
		ret = fn(call, mdb_event_module(call), priv);
		if (ret)
			break;
	}
	mutex_unlock(mdb_event_mutex);
	return ret;
}

struct mdb_tp_match {
	const char *system, *name;
	struct trace_event_call *call;
	struct module *mod;
};

static int mdb_tp_match_one(struct trace_event_call *call, struct module *mod, void *priv)
{
	struct mdb_tp_match *m = priv;

	if (!call->class || !call->class->system || strcmp(call->class->system, m->system) ||
	    strcmp(mdb_event_name(call), m->name))
		return 0;
	m->call = call;
	m->mod = mod;
	return 1;
}

/*
 * The function whose BTF names and types the arguments of @call's
 * tracepoint: __bpf_trace_TEMPLATE(void *__data, ARGS) (CONFIG_BPF_EVENTS),
 * one per event class; the class's probe, trace_event_raw_event_TEMPLATE,
 * names the template. 0 when there is none. @tmpl gets "__bpf_trace_..."
 * (at least KSYM_NAME_LEN + 16 bytes).
 */
static unsigned long mdb_tp_btf_func(struct trace_event_call *call, struct module *mod,
				     char *tmpl)
{
	static const char raw[] = "trace_event_raw_event_";
	char sym[KSYM_SYMBOL_LEN];	/* the class's probe, then the name to look up */
	const char *t = mdb_event_name(call);
	char *sp;

	if (call->class->probe) {
		sprint_symbol_no_offset(sym, (unsigned long)call->class->probe);
		sp = strchr(sym, ' ');
		if (sp)
			*sp = '\0';
		if (!strncmp(sym, raw, sizeof(raw) - 1))
			t = sym + sizeof(raw) - 1;
	}
	snprintf(tmpl, KSYM_NAME_LEN + 16, "__bpf_trace_%s", t);
	if (mod)
		snprintf(sym, sizeof(sym), "%s:%s", mod->name, tmpl);
	else
		strscpy(sym, tmpl, sizeof(sym));
	return mdb_lookup_name(sym);
}

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

	mdb_tp_hit(bp, &regs);
}

/* raw_syscalls:sys_enter for syscalls:sys_enter_X: keeps syscall X only. */
static __mdb_hot void mdb_tp_sys_enter_probe(void *data, struct pt_regs *uregs, long id)
{
	struct mdb_bp *bp = data;
	unsigned long args[6];
	struct pt_regs regs = {};

	if (id != bp->sys_nr)
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
	mdb_tp_hit(bp, &regs);
}

/* raw_syscalls:sys_exit for syscalls:sys_exit_X: ctx.args.ret */
static __mdb_hot void mdb_tp_sys_exit_probe(void *data, struct pt_regs *uregs, long ret)
{
	struct mdb_bp *bp = data;
	struct pt_regs regs = {};

	if (syscall_get_nr(current, uregs) != bp->sys_nr)
		return;
	regs.di = ret;
	regs.ip = bp->addr;
	regs.orig_ax = bp->sys_nr;
	mdb_tp_hit(bp, &regs);
}

/* ---- break tp:SUBSYSTEM:NAME (process context, mdb_lock) ---------------- */

/**
 * mdb_tp_resolve - find the tracepoint of @bp->cmd.loc and fill @bp
 *
 * Sets bp->tp (the tracepoint to hook), bp->tp_probe, bp->tp_mod, and for
 * a syscall event bp->sys (its metadata) and bp->sys_nr; bp->addr is the
 * function whose BTF types the arguments (__bpf_trace_NAME), or the
 * tracepoint itself when there is none (then no typed arguments).
 */
int mdb_tp_resolve(struct mdb_bp *bp, char *err, size_t errlen)
{
	struct mdb_tp_match m = { .system = bp->cmd.loc.module, .name = bp->cmd.loc.sym };
	struct syscall_metadata *meta;
	char tmpl[KSYM_NAME_LEN + 16];

	snprintf(bp->tp_name, sizeof(bp->tp_name), "%s:%s", m.system, m.name);
	if (!mdb_ftrace_events) {
		scnprintf(err, errlen, "this kernel's trace events were not found (ftrace_events, event_mutex)");
		return -ENOENT;
	}
	mdb_tp_each(mdb_tp_match_one, &m);
	if (!m.call) {
		scnprintf(err, errlen, "no tracepoint %s:%s (the tracepoints file lists them)",
			  m.system, m.name);
		return -ENOENT;
	}
	bp->tp_mod = m.mod;
	bp->sys = NULL;
	if (m.call->flags & TRACE_EVENT_FL_TRACEPOINT) {
		bp->tp = m.call->tp;
		bp->tp_probe = mdb_tp_probe;
		bp->addr = mdb_tp_btf_func(m.call, m.mod, tmpl);
		if (!bp->addr)
			bp->addr = (unsigned long)bp->tp;
		return 0;
	}
	if (!mdb_is_syscall_event(m.call)) {
		scnprintf(err, errlen, "%s:%s is not a tracepoint's event (a dynamic or special event)",
			  m.system, m.name);
		return -EINVAL;
	}
	meta = m.call->data;	/* vmlinux data: stays */
	if (!mdb_tp_sys_enter || !mdb_tp_sys_exit || meta->syscall_nr < 0) {
		scnprintf(err, errlen, "%s:%s: this kernel has no raw_syscalls tracepoints to carry it",
			  m.system, m.name);
		return -ENOENT;
	}
	bp->sys = meta;
	bp->sys_nr = meta->syscall_nr;
	if (!strncmp(m.name, "sys_exit_", 9)) {
		bp->tp = mdb_tp_sys_exit;
		bp->tp_probe = mdb_tp_sys_exit_probe;
		bp->sys_exit = true;
	} else {
		bp->tp = mdb_tp_sys_enter;
		bp->tp_probe = mdb_tp_sys_enter_probe;
		bp->sys_exit = false;
	}
	bp->addr = (unsigned long)bp->tp;
	return 0;
}

int mdb_tp_arm(struct mdb_bp *bp, char *err, size_t errlen)
{
	int ret = tracepoint_probe_register(bp->tp, bp->tp_probe, bp);

	if (ret)
		scnprintf(err, errlen, "tracepoint_probe_register(%s:%s) failed (%d)",
			  bp->cmd.loc.module, bp->cmd.loc.sym, ret);
	return ret;
}

void mdb_tp_disarm(struct mdb_bp *bp)
{
	tracepoint_probe_unregister(bp->tp, bp->tp_probe, bp);
	/* a probe may still run on another CPU: wait for it to leave */
	tracepoint_synchronize_unregister();
}

/* ---- syscall events: arguments by name (hit path) ------------------------- */

/*
 * ctx.args.NAME of syscalls:sys_enter_X: the index of NAME among the
 * syscall's arguments (sys_exit_X: "ret" only), -1 if none; @ptr_char
 * says whether its type is a char pointer (a user string).
 */
int mdb_tp_sys_arg(const struct mdb_bp *bp, const char *name, size_t len, bool *ptr_char)
{
	const struct syscall_metadata *meta = bp->sys;
	int i;

	*ptr_char = false;
	if (bp->sys_exit)
		return len == 3 && !memcmp(name, "ret", 3) ? 0 : -1;
	for (i = 0; i < meta->nb_args && i < 6; i++) {
		if (strlen(meta->args[i]) == len && !memcmp(meta->args[i], name, len)) {
			*ptr_char = strchr(meta->types[i], '*') && strstr(meta->types[i], "char");
			return i;
		}
	}
	return -1;
}

/* "dfd, filename, flags, mode" of a syscall event, for error messages. */
void mdb_tp_sys_argnames(const struct mdb_bp *bp, char *buf, size_t len)
{
	const struct syscall_metadata *meta = bp->sys;
	size_t n = 0;
	int i;

	buf[0] = '\0';
	if (bp->sys_exit) {
		strscpy(buf, "ret", len);
		return;
	}
	for (i = 0; i < meta->nb_args && i < 6; i++)
		n += scnprintf(buf + n, len - n, "%s%s", i ? ", " : "", meta->args[i]);
}

/* ---- the tracepoints file ------------------------------------------------ */

/* " prev,next" from the BTF of __bpf_trace_TEMPLATE, or "" without it. */
static void mdb_tp_show_args(struct seq_file *m, struct trace_event_call *call,
			     struct module *mod)
{
	char tmpl[KSYM_NAME_LEN + 16], err[8];
	unsigned int nr = MDB_BTF_VMLINUX;
	const struct mdb_btf *b;
	struct mdb_btf_func f;
	const char *pname;
	u32 type;
	int id, i;

	if (!mdb_tp_btf_func(call, mod, tmpl))
		return;
	if (mod) {
		nr = mdb_btf_module_nr(mod->name, strlen(mod->name));
		if (!nr)
			return;		/* a module without BTF mdb can read */
	}
	b = mdb_btf_handle(nr);
	if (!b)
		return;
	id = mdb_btf_find_func(b, tmpl, strlen(tmpl), err, sizeof(err));
	if (id < 0 || mdb_btf_func(b, id, &f))
		return;
	seq_putc(m, ' ');
	for (i = 1; i < f.nr_params; i++) {	/* after __data */
		mdb_btf_param(b, f.proto, i, &pname, &type);
		seq_printf(m, "%s%s", i > 1 ? "," : "", pname);
	}
}

struct mdb_tp_show {
	struct seq_file *m;
	unsigned int n;
};

static int mdb_tp_show_one(struct trace_event_call *call, struct module *mod, void *priv)
{
	struct mdb_tp_show *s = priv;
	struct seq_file *m = s->m;
	const struct syscall_metadata *meta;
	int i;

	if (!call->class || !call->class->system)
		return 0;
	if (call->flags & TRACE_EVENT_FL_TRACEPOINT) {
		seq_printf(m, "tp:%s:%s", call->class->system, mdb_event_name(call));
		mdb_tp_show_args(m, call, mod);
	} else if (mdb_is_syscall_event(call) && mdb_tp_sys_enter) {
		meta = call->data;
		if (meta->syscall_nr < 0)
			return 0;
		seq_printf(m, "tp:%s:%s ", call->class->system, mdb_event_name(call));
		if (!strncmp(mdb_event_name(call), "sys_exit_", 9))
			seq_puts(m, "ret");
		for (i = 0; !strncmp(mdb_event_name(call), "sys_enter_", 10) && i < meta->nb_args; i++)
			seq_printf(m, "%s%s", i ? "," : "", meta->args[i]);
	} else {
		return 0;
	}
	if (mod)
		seq_printf(m, " [%s]", mod->name);
	seq_putc(m, '\n');
	s->n++;
	return 0;
}

static int mdb_tracepoints_show(struct seq_file *m, void *v)
{
	struct mdb_tp_show s = { .m = m };

	seq_puts(m, "# tp:SUBSYSTEM:NAME ARGS [MODULE]: what break tp:... attaches to; ARGS are ctx.args names\n");
	mdb_tp_each(mdb_tp_show_one, &s);
	return 0;
}
static int mdb_tracepoints_open(struct inode *inode, struct file *file)
{
	return single_open(file, mdb_tracepoints_show, inode->i_private);
}

const struct file_operations mdb_tracepoints_fops = {
	.owner = THIS_MODULE,
	.open = mdb_tracepoints_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ---- modules coming and going ------------------------------------------- */

/*
 * A module with tracepoints goes: probes on them must go first (the kernel
 * checks that none is left once its notifiers ran); mdb's breakpoints on
 * them go "gone". The kernel holds tracepoint_module_list_mutex here.
 */
static int mdb_tp_module_notify(struct notifier_block *nb, unsigned long val, void *data)
{
	struct tp_module *tpm = data;

	if (val == MODULE_STATE_GOING)
		mdb_bp_module_going(tpm->mod);
	return NOTIFY_OK;
}

static struct notifier_block mdb_tp_nb = {
	.notifier_call = mdb_tp_module_notify,
};

int mdb_tp_init(void)
{
	mdb_ftrace_events = (void *)mdb_lookup_name("ftrace_events");
	mdb_event_mutex = (void *)mdb_lookup_name("event_mutex");
	if (!mdb_ftrace_events || !mdb_event_mutex) {
		pr_info("the kernel's trace event list was not found: break tp: is off\n");
		mdb_ftrace_events = NULL;
	}
	mdb_tp_sys_enter = (void *)mdb_lookup_name("__tracepoint_sys_enter");
	mdb_tp_sys_exit = (void *)mdb_lookup_name("__tracepoint_sys_exit");
	return register_tracepoint_module_notifier(&mdb_tp_nb);
}

void mdb_tp_exit(void)
{
	unregister_tracepoint_module_notifier(&mdb_tp_nb);
}
