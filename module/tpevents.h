/* SPDX-License-Identifier: GPL-2.0 */
/* tpevents.c: the kernel's trace events (process context). */
#ifndef _MDB_TPEVENTS_H
#define _MDB_TPEVENTS_H

struct trace_event_call;
struct tracepoint;
struct module;

struct mdb_tp_match {
	const char *system, *name;
	struct trace_event_call *call;	/* found */
	struct module *mod;		/* its module, NULL: vmlinux */
};

/* raw_syscalls' tracepoints, which carry syscalls:sys_{enter,exit}_X */
extern struct tracepoint *mdb_tp_sys_enter, *mdb_tp_sys_exit;

int mdb_tp_find(struct mdb_tp_match *m, char *err, size_t errlen);
const char *mdb_event_name(struct trace_event_call *call);
bool mdb_is_syscall_event(struct trace_event_call *call);
unsigned long mdb_tp_btf_func(struct trace_event_call *call, struct module *mod, char *tmpl);

#endif /* _MDB_TPEVENTS_H */
