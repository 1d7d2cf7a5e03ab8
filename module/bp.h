/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Breakpoints and watchpoints: the objects shared by the engine (bp.c),
 * the hit path (hit.c) and the log (log.c).
 */
#ifndef _MDB_BP_H
#define _MDB_BP_H

#include <linux/atomic.h>
#include <linux/kprobes.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include "parse.h"
#include "btfargs.h"

#define MDB_MAX_BPS 64		/* live breakpoints + watchpoints */
#define MDB_BT_MAX 16		/* backtrace entries in a log record */

enum mdb_bp_state {
	MDB_BP_ARMED,		/* installed, hits count */
	MDB_BP_DISABLED,	/* by the user, or by limit= */
	MDB_BP_GONE,		/* its module was unloaded */
};

/* Filter and output flags the hit path reads. */
#define MDB_F_COUNT	BIT(0)	/* count only, no log record */
#define MDB_F_REGS	BIT(1)
#define MDB_F_BT	BIT(2)
#define MDB_F_WATCH	BIT(3)
#define MDB_F_OVER	BIT(4)	/* step over calls */
#define MDB_F_UNSAFE	BIT(5)	/* NMI/MCE paths allowed */
#define MDB_F_ARGS	BIT(6)	/* log the function's arguments (btfargs.h) */
#define MDB_F_RET	BIT(7)	/* fires at the function's return (kretprobe) */
#define MDB_F_TP	BIT(8)	/* a tracepoint's probe (tp.c) */
#define MDB_F_TRACE	BIT(9)	/* emit the mdb:mdb_hit trace event (mdb_trace.h) */

/*
 * What a return hit knows besides the registers: kept per call in the
 * kretprobe instance at the entry (the entry's argument registers, for
 * ctx.args and `args` at the exit), completed at the exit.
 */
struct mdb_ret_data {
	u64 ts;				/* ktime_get_mono_fast_ns() at the entry */
	unsigned long di, si, dx, cx, r8, r9, sp;
};

struct mdb_exit {
	u64 retval;			/* regs->ax at the return */
	u64 elapsed;			/* ns since the entry of this call */
	const struct mdb_ret_data *entry;
};


/* A breakpoint's counts, per CPU (written by the hit path of that CPU). */
struct mdb_bp_pcpu {
	u64 hits;			/* passed the filters (no limit=) */
	u64 filtered;			/* stopped by a filter */
};

/**
 * struct mdb_bp - one breakpoint or watchpoint
 *
 * The first group is read by the hit path (NMI context, any CPU, no
 * locks): it is written only while the bp is not installed, or with
 * WRITE_ONCE for @live. Everything else belongs to process context under
 * mdb_lock.
 */
struct mdb_bp {
	/* hit path, read-mostly */
	int live;			/* hits count while 1 (READ_ONCE) */
	u32 flags;			/* MDB_F_* */
	unsigned int id;
	unsigned long addr;
	pid_t pid;			/* tgid filter, 0 = any */
	long sys_nr;			/* MDB_F_TP of a syscall event: its number */
	int cpu;			/* -1 = any */
	char comm[TASK_COMM_LEN];	/* "" = any */
	u32 limit;			/* 0 = none */
	u32 step;			/* 0, 1..MDB_STEP_MAX, MDB_STEP_BRANCH */
	bool count_only;		/* mdb_hit_count_only(): set by mdb_arm() */
	struct mdb_args_spec args;	/* with MDB_F_ARGS */

	/* hit path, written */
	atomic64_t hits;		/* with limit=: passed the filters (at most limit) */
	/* per CPU, no line shared by CPUs: hits without limit=, filtered */
	struct mdb_bp_pcpu __percpu *pc;
	struct mdb_aggr __percpu *aggr;	/* by=, hist= (agg.c), or NULL */
	atomic64_t missed;		/* recursion guard, or log full */
	atomic_t disable_req;		/* MDB_DIS_*: the hit path asks for a disarm */
	atomic_t script_errors;		/* lua=/if= calls that failed */
	const char *lua, *ifn;		/* lua=/if= function names, or NULL */
	u64 lua_hint, ifn_hint;		/* mdb_lua_call's name-cache hints */

	/* process context, mdb_lock */
	struct mdb_cmd cmd;		/* as written, printed back */
	enum mdb_bp_state state;
	bool hw;			/* installed as hw_breakpoint (else kprobe) */
	bool ft;			/* the kprobe sits on the ftrace call */
	u8 ret_fmt, ret_size;		/* enum mdb_ret_fmt, for the log */
	unsigned int len;		/* watch: bytes */
	struct perf_event * __percpu *hwbp;
	struct kprobe kp;
	struct kretprobe rp;		/* with MDB_F_RET, instead of kp */
	/* with MDB_F_TP (tp.c) */
	struct tracepoint *tp;		/* hooked */
	void *tp_probe;			/* mdb's probe function on it */
	struct module *tp_mod;		/* the tracepoint's module, NULL: vmlinux */
	const struct syscall_metadata *sys;	/* a syscalls:sys_{enter,exit}_X event */
	bool sys_exit;
	char tp_name[MDB_MOD_MAX + MDB_SYM_MAX + 2];	/* "SUBSYSTEM:NAME" for the log */
	char why[64];			/* why disabled/gone, for the table */
};

/* hit.c: the handlers (NMI context) */
void mdb_hw_handler(struct perf_event *event, struct perf_sample_data *data,
		    struct pt_regs *regs);
int mdb_kp_handler(struct kprobe *kp, struct pt_regs *regs);
int mdb_rp_entry(struct kretprobe_instance *ri, struct pt_regs *regs);
int mdb_rp_handler(struct kretprobe_instance *ri, struct pt_regs *regs);
void mdb_hit_counters(u64 *hits, u64 *missed, u64 *filtered);
void mdb_hit_reset(void);

/* agg.c: by= and hist= */
struct mdb_exit;
int mdb_aggr_alloc(struct mdb_bp *bp);
void mdb_aggr_free(struct mdb_bp *bp);
void mdb_aggr_hit(struct mdb_bp *bp, const struct pt_regs *regs, const struct mdb_exit *ex);
#define MDB_AGGR_SCRATCH (32 * 1024)
void mdb_aggr_show_one(struct seq_file *m, struct mdb_bp *bp, char *text, void *scratch);
int mdb_aggr_show(struct seq_file *m);	/* bp.c */

/* tp.c: tracepoints */
struct syscall_metadata;
int mdb_tp_init(void);
void mdb_tp_exit(void);
int mdb_tp_resolve(struct mdb_bp *bp, char *err, size_t errlen);	/* mdb_lock */
int mdb_tp_arm(struct mdb_bp *bp, char *err, size_t errlen);
void mdb_tp_disarm(struct mdb_bp *bp);
int mdb_tp_sys_arg(const struct mdb_bp *bp, const char *name, size_t len, bool *ptr_char);
void mdb_tp_sys_argnames(const struct mdb_bp *bp, char *buf, size_t len);
extern const struct file_operations mdb_tracepoints_fops;
void mdb_tp_hit(struct mdb_bp *bp, struct pt_regs *regs);	/* hit.c */

/* trace.c: the mdb:* trace events (any context, NMI) */
void mdb_trace_hit(const struct mdb_bp *bp, unsigned long ip, unsigned long addr);
void mdb_trace_step(unsigned int id, unsigned long ip, const u8 *insn, int len);
void mdb_trace_print(unsigned int id, const char *msg, size_t len);
bool mdb_trace_print_enabled(void);

/* bp.c: process context under mdb_lock unless said otherwise */
void mdb_bp_module_going(struct module *mod);			/* takes mdb_lock */
int mdb_resolve(const struct mdb_loc *loc, unsigned long *addr, char *err, size_t len);
int mdb_bp_init(void);
void mdb_bp_exit(void);
int mdb_bp_break(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_delete(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_enable(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_disable(const struct mdb_cmd *cmd, char *err, size_t errlen);
void mdb_bp_reset(void);
int mdb_bp_show(struct seq_file *m);
int mdb_bp_hw_held(void);
enum { MDB_DIS_LIMIT = 1, MDB_DIS_ERRORS, MDB_DIS_SCRIPT };
void mdb_bp_request_disable(struct mdb_bp *bp, int why);	/* any context, NMI */
void mdb_bp_kick_work(void);					/* any context, NMI */
int mdb_bp_add_watch(unsigned long addr, unsigned int len, bool rw,
		     const char *fn, char *err, size_t errlen);	/* process, no lock */

/* script.c: Lua scripts (lua-bindings/) */
#define MDB_SCRIPT_NONE 0	/* = MDB_LUA_NONE/FALSE/TRUE, checked in script.c */
#define MDB_SCRIPT_FALSE 1
#define MDB_SCRIPT_TRUE 2
int mdb_script_init(void);
void mdb_script_exit(void);
bool mdb_script_loaded(void);
int mdb_script_hit(struct mdb_bp *bp, const char *fn, u64 *hint,
		   struct pt_regs *regs, unsigned long ip,
		   const struct mdb_exit *ex);	/* NMI: MDB_LUA_* or -errno */
int mdb_script_call(const char *fn, char *err, size_t errlen);	/* process */
int mdb_script_load_file(const char *path, char *err, size_t errlen); /* process, mdb_lock */
void mdb_script_work(void);			/* process: mdb.watch, GC */
void mdb_script_status(struct seq_file *m);
extern const struct file_operations mdb_script_fops;

/* safety.c: may mdb trap there? */
enum mdb_rule {
	MDB_RULE_NOT_TEXT,
	MDB_RULE_ENTRY,
	MDB_RULE_NOINSTR,
	MDB_RULE_CEA,
	MDB_RULE_KPROBES,
	MDB_RULE_WINDOW,
	MDB_RULE_MDB,
	MDB_RULE_HITPATH,
	MDB_RULE_NMI,
	MDB_RULE_NR
};

struct mdb_veto {
	unsigned long start, end;
	int rule;
	const char *what;
};

int mdb_safety_init(void);		/* process context */
void mdb_safety_exit(void);
int mdb_safety_check_exec(unsigned long addr, bool unsafe, char *why, size_t len);
int mdb_safety_check_watch(unsigned long addr, unsigned int len,
			   char *why, size_t wlen);
void mdb_safety_show(struct seq_file *m);
int mdb_veto_find(unsigned long addr, bool unsafe);	/* any context, NMI */
const char *mdb_rule_reason(int rule);

/* log.c */
struct mdb_rec;
int mdb_log_init(void);
void mdb_log_shutdown(void);	/* wake readers; before debugfs goes */
void mdb_log_exit(void);
void mdb_log_hit(struct mdb_bp *bp, struct pt_regs *regs, unsigned long ip,
		 const struct mdb_exit *ex);
void mdb_log_msg(unsigned int id, const char *fmt, ...) __printf(2, 3);
void mdb_log_reset(void);
const struct pt_regs *mdb_exit_entry_regs(const struct mdb_exit *ex);	/* hit path */
u64 mdb_log_lost(void);
void mdb_log_step(unsigned int id, unsigned long ip, const u8 *bytes, int len,
		  const struct pt_regs *before, const struct pt_regs *after);
void mdb_log_step_msg(unsigned int id, unsigned long at, const char *fmt,
		      const char *arg);
void mdb_log_text(unsigned int id, const char *prefix, const char *msg,
		  size_t len);			/* any context, NMI */
void mdb_log_dump(unsigned int id, unsigned int nr, u32 gen, u32 type, unsigned int depth,
		  const void *data, size_t len);	/* any context, NMI */

/* step.c: single-stepping (NMI context but init/exit) */
int mdb_step_init(void);
void mdb_step_exit(void);
void mdb_step_start(struct mdb_bp *bp, struct pt_regs *regs);
int mdb_step_begin(struct mdb_bp *bp, struct pt_regs *regs, u32 n, bool over,
		   const char **why);
void mdb_step_counters(u64 *steps, u64 *stray, u64 *busy);
void mdb_step_reset(void);
extern const struct file_operations mdb_log_fops;

/* view.c: the disasm and mem files */
extern const struct file_operations mdb_disasm_fops, mdb_mem_fops;

#endif /* _MDB_BP_H */
