/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Probe kinds: how a breakpoint is installed, one file each behind one
 * operations table, the way kernel/trace/ has trace_kprobe.c,
 * trace_fprobe.c and trace_eprobe.c over trace_probe.c.
 *
 *   kind_ftrace.c  break at a function's entry, on its ftrace call  (via ft)
 *   kind_hw.c      break on a debug register (perf hw_breakpoint)   (via hw)
 *   kind_kprobe.c  break on an int3 kprobe, anywhere in text        (via sw)
 *   kind_ret.c     break FN ret: a kretprobe                       (via ft/sw)
 *   kind_tp.c      break tp:SUBSYSTEM:NAME: a tracepoint's probe    (via tp)
 *   kind_watch.c   watch: a data watchpoint on a debug register     (via hw)
 *
 * The engine (bp.c) holds the table (mdb_kinds[]) and the life cycle and
 * knows no kind: for a command it tries, in table order, each kind whose
 * match() accepts the command; prepare() runs once per distinct prepare
 * function (kinds that serve the same commands share it), arm() installs
 * or answers MDB_KIND_NEXT ("not here, try the next kind": ft on a
 * notrace function, hw with no free debug register when `break` chose
 * neither). A kind's handlers call the hit path (hit.h) and nothing above.
 *
 * Everything here but the handlers: process context, under mdb_lock, with
 * the breakpoint not armed for prepare() and arm().
 */
#ifndef _MDB_KIND_H
#define _MDB_KIND_H

#include <linux/kprobes.h>
#include <linux/perf_event.h>
#include "bp.h"

/* arm(): not here, try the next kind (positive: never an errno) */
#define MDB_KIND_NEXT 1

/**
 * struct mdb_kind - one probe kind
 * @name:      the kind column of `breakpoints`: what fires (break, ret, tp, watch)
 * @priv_size: bytes of its own state in bp->priv
 * @match:     may this kind serve @cmd? From the command alone
 * @prepare:   where, and may mdb go there: resolve the location, the safety
 *             checks, the site (bp->addr, bp->site, bp->args); at `break`
 *             and at every `enable` (a module may have come back)
 * @arm:       install; 0, -errno with @err, or MDB_KIND_NEXT. Hits may come
 *             before it returns
 * @disarm:    remove; when it returns, no handler runs on @bp
 * @via:       how it is installed, the via column (hw, sw, ft, tp)
 * @no_step:   why a hit cannot single-step from here, or NULL (read by
 *             step.c through bp->no_step, set at arm)
 * @nmissed:   hits the kernel's layer could not hand to mdb (armed), or NULL
 * @in_module: does @bp live in @mod, which is going away?
 * @init:      at load, optional: @going is the engine's "@mod goes away",
 *             for a kind that learns of it its own way (kind_tp.c)
 * @exit:      at unload, with nothing armed
 */
struct mdb_kind {
	const char *name;
	size_t priv_size;
	bool (*match)(const struct mdb_cmd *cmd);
	int (*prepare)(struct mdb_bp *bp, char *err, size_t errlen);
	int (*arm)(struct mdb_bp *bp, char *err, size_t errlen);
	void (*disarm)(struct mdb_bp *bp);
	const char *(*via)(const struct mdb_bp *bp);
	const char *(*no_step)(const struct mdb_bp *bp);
	u64 (*nmissed)(const struct mdb_bp *bp);
	bool (*in_module)(const struct mdb_bp *bp, const struct module *mod);
	int (*init)(void (*going)(struct module *mod));
	void (*exit)(void);
};

/* A kind's own state, in the breakpoint (a constant offset from it). */
#define mdb_bp_priv(bp)		((void *)(bp)->priv)
#define mdb_bp_of_priv(p)	container_of((void *)(p), struct mdb_bp, priv)

extern const struct mdb_kind mdb_kind_ftrace, mdb_kind_hw, mdb_kind_kprobe,
	mdb_kind_ret, mdb_kind_tp, mdb_kind_watch;

/* kind_hw.c: debug registers (shared with kind_watch.c) */
struct mdb_dr {				/* the state of both kinds */
	struct perf_event * __percpu *events;	/* the event on each CPU */
};
int mdb_dr_register(struct mdb_bp *bp, struct perf_event_attr *attr,
		    perf_overflow_handler_t handler, char *err, size_t errlen);
void mdb_dr_unregister(struct mdb_bp *bp);
int mdb_dr_held(void);		/* breakpoints mdb has on debug registers */

/* kind.c: what the kinds share */
int mdb_exec_prepare(struct mdb_bp *bp, char *err, size_t errlen);
bool mdb_kind_in_module(const struct mdb_bp *bp, const struct module *mod);

/* kind_kprobe.c: kprobes, for kind_ftrace.c and kind_ret.c too */
int mdb_kprobe_register(struct mdb_bp *bp, struct kprobe *kp, char *err, size_t errlen);
void mdb_kprobe_unregister(struct mdb_bp *bp, struct kprobe *kp,
			   struct kretprobe *rp);
const char *mdb_kprobe_via_of(struct kprobe *kp);
const char *mdb_kprobe_no_step_of(struct kprobe *kp);
/* the ops of a kind whose state is a struct kprobe */
const char *mdb_kprobe_via(const struct mdb_bp *bp);
const char *mdb_kprobe_no_step(const struct mdb_bp *bp);
u64 mdb_kprobe_nmissed(const struct mdb_bp *bp);

#endif /* _MDB_KIND_H */
