/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Breakpoints and watchpoints: the object every layer shares, and the
 * interfaces of the layers, top down (docs/design.md, "Layers"):
 *   commands   control.c, view.c, script.c, debugfs.c, mdbfs.c
 *   engine     bp.c: the table and the life cycle
 *   kinds      kind_*.c behind struct mdb_kind (kind.h)
 *   hit path   hit.c (hit.h)
 *   a hit does agg.c, script_hit.c, log.c, step.c, trace.c
 *   services   defer.c, lasterr.c, tpevents.c, safety.c, ksyms.c, btf*,
 *              zydis/, lua-bindings/
 * A file calls only files of its layer's own kind or below.
 */
#ifndef _MDB_BP_H
#define _MDB_BP_H

#include <linux/atomic.h>
#include <linux/ptrace.h>
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
#define MDB_F_TP	BIT(8)	/* a tracepoint's probe (kind_tp.c) */
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

struct syscall_metadata;

/*
 * What a hit of a breakpoint looks like to the layers above the kinds (the
 * log, scripts, trace events): filled in by its kind's prepare, in process
 * context while the breakpoint is not armed. The layers above read this,
 * never a kind's own state.
 */
struct mdb_site {
	u8 ret_fmt, ret_size;		/* ret: enum mdb_ret_fmt and size, for the log */
	bool noproto;			/* tp: no BTF prototype names its arguments */
	bool sys_exit;			/* tp of syscalls:sys_exit_X */
	unsigned int len;		/* watch: bytes watched */
	const struct syscall_metadata *sys;	/* tp of a syscall event: its arguments */
	char name[MDB_MOD_MAX + MDB_SYM_MAX + 2];	/* tp: "SUBSYSTEM:NAME" for the log */
};

/* A breakpoint's counts, per CPU (written by the hit path of that CPU). */
struct mdb_bp_pcpu {
	u64 hits;			/* passed the filters (no limit=) */
	u64 filtered;			/* stopped by a filter */
};

struct mdb_kind;

/* bp->no_step of every kind that is not a debug-register trap */
#define MDB_STEP_NEEDS_HW "stepping needs a hardware execution breakpoint"

/**
 * struct mdb_bp - one breakpoint or watchpoint: what every kind has
 *
 * The first group is read by the hit path (NMI context, any CPU, no
 * locks): it is written only while the bp is not installed, or with
 * WRITE_ONCE for @live. Everything else belongs to process context under
 * mdb_lock. How it is installed is its kind's (kind.h): @kind, and the
 * kind's own state in @priv.
 */
struct mdb_bp {
	/* hit path, read-mostly */
	int live;			/* hits count while 1 (READ_ONCE) */
	u32 flags;			/* MDB_F_* */
	unsigned int id;
	unsigned long addr;
	pid_t pid;			/* tgid filter, 0 = any */
	int cpu;			/* -1 = any */
	char comm[TASK_COMM_LEN];	/* "" = any */
	u32 limit;			/* 0 = none */
	u32 step;			/* 0, 1..MDB_STEP_MAX, MDB_STEP_BRANCH */
	bool count_only;		/* mdb_hit_count_only(): set by the engine at arm */
	struct mdb_args_spec args;	/* with MDB_F_ARGS */
	struct mdb_site site;		/* what a hit looks like (the kind's prepare) */
	const char *no_step;		/* why a hit cannot single-step (the kind's), or NULL */

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
	const struct mdb_kind *kind;	/* the kind that armed it last (kind.h) */
	char why[64];			/* why disabled/gone, for the table */

	/* the kind's own state (kind.h: mdb_bp_priv()), sized by the largest kind */
	unsigned long priv[] __aligned(sizeof(u64));
};

/* hit.c: the hit path's counters (process context) */
void mdb_hit_counters(u64 *hits, u64 *missed, u64 *filtered);
void mdb_hit_reset(void);

/* agg.c: by= and hist= */
int mdb_aggr_alloc(struct mdb_bp *bp);
void mdb_aggr_free(struct mdb_bp *bp);
void mdb_aggr_hit(struct mdb_bp *bp, const struct pt_regs *regs, const struct mdb_exit *ex);
#define MDB_AGGR_SCRATCH (32 * 1024)
void mdb_aggr_show_one(struct seq_file *m, struct mdb_bp *bp, char *text, void *scratch);

/* tpevents.c: the kernel's trace events (process context but the args) */
int mdb_tpevents_init(void);
int mdb_sys_arg(const struct mdb_site *site, const char *name, size_t len,
		bool *ptr_char);					/* any, NMI */
void mdb_sys_argnames(const struct mdb_site *site, char *buf, size_t len);	/* any, NMI */
extern const struct file_operations mdb_tracepoints_fops;

/* trace.c: the mdb:* trace events (any context, NMI) */
void mdb_trace_hit(const struct mdb_bp *bp, unsigned long ip, unsigned long addr);
void mdb_trace_step(unsigned int id, unsigned long ip, const u8 *insn, int len);
void mdb_trace_print(unsigned int id, const char *msg, size_t len);
bool mdb_trace_print_enabled(void);

/* bp.c, the engine: process context under mdb_lock unless said otherwise */
int mdb_bp_init(void);
void mdb_bp_exit(void);
int mdb_bp_break(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_delete(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_enable(const struct mdb_cmd *cmd, char *err, size_t errlen);
int mdb_bp_disable(const struct mdb_cmd *cmd, char *err, size_t errlen);
void mdb_bp_reset(void);
int mdb_bp_show(struct seq_file *m);				/* takes mdb_lock */
int mdb_aggr_show(struct seq_file *m);				/* takes mdb_lock */

/* defer.c: the hit path's requests, done in process context (any context, NMI) */
enum { MDB_DIS_LIMIT = 1, MDB_DIS_ERRORS, MDB_DIS_SCRIPT };
void mdb_defer_disable(struct mdb_bp *bp, int why);
void mdb_defer_kick(void);
void mdb_defer_init(void (*fn)(void));				/* process */
void mdb_defer_exit(void);					/* process */

/* lasterr.c: the last error and the command counts, for status (process) */
void mdb_lasterr_set(const char *line, size_t n, const char *fmt, ...) __printf(3, 4);
void mdb_lasterr_note(const char *msg);				/* takes mdb_lock */
char *mdb_lasterr_buf(size_t *len);				/* mdb_lock */
void mdb_lasterr_ok(void);					/* mdb_lock */
void mdb_lasterr_failed(void);					/* mdb_lock */
void mdb_lasterr_reset(void);					/* mdb_lock */
void mdb_lasterr_show(struct seq_file *m);			/* mdb_lock */

/* script_hit.c: the script at a hit, and what it sees (NMI but said otherwise) */
#define MDB_SCRIPT_NONE 0	/* = MDB_LUA_NONE/FALSE/TRUE, checked in script_hit.c */
#define MDB_SCRIPT_FALSE 1
#define MDB_SCRIPT_TRUE 2
bool mdb_script_loaded(void);					/* any */
int mdb_script_hit(struct mdb_bp *bp, const char *fn, u64 *hint,
		   struct pt_regs *regs, unsigned long ip,
		   const struct mdb_exit *ex);	/* NMI: MDB_LUA_* or -errno */
/* mdb.watch() requests a script made at a hit, for the engine to arm */
struct mdb_watch_req {
	atomic_t state;		/* 0 free, 1 being filled, 2 ready */
	unsigned long addr;
	unsigned int len;
	bool rw;
	char fn[MDB_FN_MAX + 1];
};
bool mdb_script_watch_take(struct mdb_watch_req *req);		/* process */
void mdb_script_gc(void);					/* process, takes mdb_lock */

/* script.c: the script file, load, call (process context) */
int mdb_script_init(void);
void mdb_script_exit(void);
int mdb_script_call(const char *fn, char *err, size_t errlen);	/* mdb_lock */
int mdb_script_load_file(const char *path, char *err, size_t errlen); /* mdb_lock */
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
