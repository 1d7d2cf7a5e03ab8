// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's trace events, as a service: finding an event by its system
 * and name (vmlinux's and loaded modules'), the function whose BTF names
 * a tracepoint's arguments, a syscall event's argument names, and the
 * tracepoints file that lists what `break tp:` can attach to.
 *
 * Process context (the event list is walked under event_mutex), but the
 * syscall argument lookups, which scripts use at a hit (any context, NMI).
 */
#include <linux/kernel.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/trace_events.h>
#include <linux/tracepoint.h>
#include <trace/syscall.h>
#include "mdb.h"
#include "bp.h"
#include "btfidx.h"
#include "tpevents.h"

/*
 * The kernel's list of trace events (kernel/trace/trace_events.c's
 * ftrace_events, under event_mutex: events of vmlinux, of modules as they
 * load, dynamic ones), found once through kallsyms. vmlinux's
 * _ftrace_events section is init data, freed after boot: the list is the
 * one place that has them all.
 */
static struct list_head *mdb_ftrace_events;
static struct mutex *mdb_event_mutex;
struct tracepoint *mdb_tp_sys_enter, *mdb_tp_sys_exit;

const char *mdb_event_name(struct trace_event_call *call)
{
	return (call->flags & TRACE_EVENT_FL_TRACEPOINT) ? call->tp->name : call->name;
}

bool mdb_is_syscall_event(struct trace_event_call *call)
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
unsigned long mdb_tp_btf_func(struct trace_event_call *call, struct module *mod, char *tmpl)
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

/**
 * mdb_tp_find - the trace event SYSTEM:NAME
 * @m: ->system and ->name given; ->call and ->mod (NULL: vmlinux) found
 *
 * Context: process (takes event_mutex). Return: 0, -ENOENT with @err.
 */
int mdb_tp_find(struct mdb_tp_match *m, char *err, size_t errlen)
{
	if (!mdb_ftrace_events) {
		scnprintf(err, errlen, "this kernel's trace events were not found (ftrace_events, event_mutex)");
		return -ENOENT;
	}
	m->call = NULL;
	mdb_tp_each(mdb_tp_match_one, m);
	if (!m->call) {
		scnprintf(err, errlen, "no tracepoint %s:%s (the tracepoints file lists them)",
			  m->system, m->name);
		return -ENOENT;
	}
	return 0;
}

/* ---- syscall events: arguments by name (hit path) ------------------------- */

/*
 * ctx.args.NAME of syscalls:sys_enter_X: the index of NAME among the
 * syscall's arguments (sys_exit_X: "ret" only), -1 if none; @ptr_char
 * says whether its type is a char pointer (a user string).
 */
int mdb_sys_arg(const struct mdb_site *site, const char *name, size_t len, bool *ptr_char)
{
	const struct syscall_metadata *meta = site->sys;
	int i;

	*ptr_char = false;
	if (site->sys_exit)
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
void mdb_sys_argnames(const struct mdb_site *site, char *buf, size_t len)
{
	const struct syscall_metadata *meta = site->sys;
	size_t n = 0;
	int i;

	buf[0] = '\0';
	if (site->sys_exit) {
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

/* ---- init ---------------------------------------------------------------- */

int mdb_tpevents_init(void)
{
	mdb_ftrace_events = (void *)mdb_lookup_name("ftrace_events");
	mdb_event_mutex = (void *)mdb_lookup_name("event_mutex");
	if (!mdb_ftrace_events || !mdb_event_mutex) {
		pr_info("the kernel's trace event list was not found: break tp: is off\n");
		mdb_ftrace_events = NULL;
	}
	mdb_tp_sys_enter = (void *)mdb_lookup_name("__tracepoint_sys_enter");
	mdb_tp_sys_exit = (void *)mdb_lookup_name("__tracepoint_sys_exit");
	return 0;
}
