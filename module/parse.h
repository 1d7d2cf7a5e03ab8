/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - the mdb control language: one line in, one struct mdb_cmd out
 *
 * The parser is pure C shared by the kernel module and the user-space unit
 * tests and fuzzers. The include block below is the only difference between
 * the two builds; parse*.c have no #ifdef. The files are listed at the top
 * of parse.c; parse_int.h is what they share.
 */
#ifndef _MDB_PARSE_H
#define _MDB_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
typedef uint64_t u64;
typedef uint32_t u32;
#define __always_unused	__attribute__((__unused__))
#endif

/*
 * Limits of the language. They are plain decimal (or hex) literals on
 * purpose: the error messages below stringify them, so a message can never
 * disagree with the check.
 */
#define MDB_LINE_MAX	640		/* bytes per line, without "\n" / "\r\n" */
#define MDB_SYM_MAX	127		/* KSYM_NAME_LEN of older kernels, minus NUL */
#define MDB_MOD_MAX	55		/* MODULE_NAME_LEN minus NUL */
#define MDB_COMM_MAX	15		/* TASK_COMM_LEN minus NUL */
#define MDB_PID_MAX	4194304		/* PID_MAX_LIMIT on 64-bit */
#define MDB_CPU_MAX	8191		/* largest CONFIG_NR_CPUS, minus one */
#define MDB_LIMIT_MAX	4294967295	/* u32 hit limit */
#define MDB_OFF_MAX	0xffffffff	/* SYMBOL+OFF */
#define MDB_ID_MAX	65535		/* breakpoint ids are 1..MDB_ID_MAX */
#define MDB_STEP_MAX	1000		/* break step=N: instructions per hit */
#define MDB_FN_MAX	63		/* Lua function names (lua=, if=, call) */
#define MDB_PATH_MAX	255		/* load PATH: an absolute path */
#define MDB_INSNS_MAX	1000		/* disasm: instructions to show */
#define MDB_INSNS_DEFAULT 10		/* disasm: when COUNT is not given */
#define MDB_MEM_MAX	4096		/* mem: bytes to dump */
#define MDB_MAXACTIVE_MAX 4096		/* break ret maxactive=N: return instances */

/* mdb_cmd.step of "step=branch": step until the next taken branch. */
#define MDB_STEP_BRANCH	0xffffffffU

/*
 * Buffer sizes that always hold the whole output of mdb_cmd_format() and
 * mdb_parse_explain() (for a line of at most MDB_LINE_MAX bytes), NUL
 * included. The unit tests check them against the worst cases.
 *
 * Aliases and short offsets grow when printed in canonical form ("b f+1"
 * becomes "break f+0x1"), but even a struct mdb_cmd with every option set
 * to its longest value prints in fewer than MDB_LINE_MAX bytes (about 480
 * today): the canonical text of any command is a valid line, so it can
 * always be written back. MDB_CMD_TEXT_MAX is that line plus its NUL.
 */
#define MDB_CMD_TEXT_MAX	(MDB_LINE_MAX + 1)
#define MDB_EXPLAIN_MAX		1536

#define __MDB_STR(x)	#x
#define MDB_STR(x)	__MDB_STR(x)

/*
 * The one list of parse errors: C(NAME, ERRNO, MESSAGE). It expands into
 * enum mdb_parse_code (MDB_PERR_NAME), the errno table and the message
 * table, so adding an error is one line here.
 */
#define MDB_PARSE_ERRORS							\
	C(OK,		0,		"no error")				\
	C(LINE_TOO_LONG, E2BIG,		"line longer than " MDB_STR(MDB_LINE_MAX) " bytes") \
	C(BAD_CHAR,	EINVAL,		"control character or non-ASCII byte")	\
	C(UNKNOWN_CMD,	EINVAL,		"unknown command")			\
	C(MISSING_LOC,	EINVAL,							\
	  "missing location: SYMBOL[+OFF], MODULE:SYMBOL[+OFF] or 0xADDR")	\
	C(BAD_SYM,	EINVAL,		"invalid character in symbol")		\
	C(SYM_DIGIT,	EINVAL,		"symbol starts with a digit; write addresses as 0x...") \
	C(EMPTY_SYM,	EINVAL,		"missing symbol name")			\
	C(SYM_TOO_LONG,	ENAMETOOLONG,	"symbol longer than " MDB_STR(MDB_SYM_MAX) " characters") \
	C(BAD_MOD,	EINVAL,		"invalid character in module name")	\
	C(EMPTY_MOD,	EINVAL,		"missing module name before ':'")	\
	C(MOD_TOO_LONG,	ENAMETOOLONG,						\
	  "module name longer than " MDB_STR(MDB_MOD_MAX) " characters")	\
	C(BAD_OFF,	EINVAL,		"invalid offset")			\
	C(OFF_RANGE,	ERANGE,		"offset larger than " MDB_STR(MDB_OFF_MAX)) \
	C(BAD_ADDR,	EINVAL,		"invalid address: 0x and 1 to 16 hex digits") \
	C(NONCANONICAL,	EINVAL,		"non-canonical address")		\
	C(USER_ADDR,	EINVAL,		"not a kernel address")			\
	C(UNKNOWN_OPT,	EINVAL,		"unknown option")			\
	C(OPT_NOT_FOR,	EINVAL,		"option not valid for this command")	\
	C(DUP_OPT,	EINVAL,		"option given twice")			\
	C(CONFLICT,	EINVAL,		"conflicts with an earlier option")	\
	C(MISSING_VALUE, EINVAL,	"option needs a value")			\
	C(FLAG_VALUE,	EINVAL,		"option takes no value")		\
	C(BAD_NUM,	EINVAL,		"invalid number")			\
	C(NUM_OVERFLOW,	ERANGE,		"number does not fit in 64 bits")	\
	C(BAD_PID,	ERANGE,		"pid must be 1.." MDB_STR(MDB_PID_MAX))	\
	C(BAD_CPU,	ERANGE,		"cpu must be 0.." MDB_STR(MDB_CPU_MAX))	\
	C(BAD_LIMIT,	ERANGE,		"limit must be 1.." MDB_STR(MDB_LIMIT_MAX)) \
	C(BAD_COMM,	EINVAL,		"comm longer than " MDB_STR(MDB_COMM_MAX) " characters") \
	C(BAD_LEN,	EINVAL,		"length must be 1, 2, 4 or 8")		\
	C(READ_ONLY,	EINVAL,		"x86 cannot trap reads alone; use rw")	\
	C(EXEC_WATCH,	EINVAL,		"use break for execution breakpoints")	\
	C(MISSING_ID,	EINVAL,		"missing breakpoint id or 'all'")	\
	C(BAD_ID,	EINVAL,		"invalid breakpoint id")		\
	C(ID_RANGE,	ERANGE,		"breakpoint id must be 1.." MDB_STR(MDB_ID_MAX)) \
	C(EXTRA_ARG,	EINVAL,		"unexpected argument")			\
	C(BAD_STEP,	ERANGE,							\
	  "step must be 1.." MDB_STR(MDB_STEP_MAX) " or 'branch'")		\
	C(OVER_NEEDS_STEP, EINVAL,	"over needs step=N or step=branch")	\
	C(BAD_FN,	EINVAL,		"not a Lua function name")		\
	C(FN_TOO_LONG,	ENAMETOOLONG,						\
	  "Lua function name longer than " MDB_STR(MDB_FN_MAX) " characters")	\
	C(MISSING_FN,	EINVAL,		"missing Lua function name")		\
	C(MISSING_LEN,	EINVAL,		"missing length")			\
	C(BAD_INSNS,	ERANGE,							\
	  "instruction count must be 1.." MDB_STR(MDB_INSNS_MAX))		\
	C(BAD_MEM_LEN,	ERANGE,		"length must be 1.." MDB_STR(MDB_MEM_MAX)) \
	C(MISSING_PATH,	EINVAL,		"missing file path")			\
	C(REL_PATH,	EINVAL,		"path must be absolute (start with /)")	\
	C(PATH_TOO_LONG, ENAMETOOLONG,	"path longer than " MDB_STR(MDB_PATH_MAX) " characters") \
	C(BAD_MAXACTIVE, ERANGE,	"maxactive must be 1.." MDB_STR(MDB_MAXACTIVE_MAX)) \
	C(MAXACTIVE_NEEDS_RET, EINVAL,	"maxactive needs ret")			\
	C(BAD_TP,	EINVAL,		"tracepoints are written tp:SUBSYSTEM:NAME (letters, digits, _)") \
	C(TP_WATCH,	EINVAL,		"a tracepoint is not an address: only break takes tp:...") \
	C(TP_OPT,	EINVAL,							\
	  "not for a tracepoint: it is a call into its probes (no address to trap, no return to wait for, nothing to step)") \
	C(RET_CONFLICT,	EINVAL,							\
	  "ret conflicts with hw and step= (a function's exit is a kretprobe; stepping starts from a debug register)") \
	C(BAD_BY,	EINVAL,		"by= takes comm, pid, tid or cpu")	\
	C(BAD_HIST,	EINVAL,		"hist= takes retval, elapsed or arg1..arg6") \
	C(AGG_CONFLICT,	EINVAL,		"one aggregation per breakpoint: by= or hist=") \
	C(HIST_NEEDS_RET, EINVAL,	"hist=retval and hist=elapsed need ret") \
	C(HIST_ARG_RET,	EINVAL,							\
	  "hist=argN is read at the entry: not with ret (use lua= and ctx.arg at the entry)")

#undef C
#define C(name, err, msg)	MDB_PERR_##name,
/* enum mdb_parse_code: MDB_PERR_<NAME>, what mdb_parse_line() found wrong */
enum mdb_parse_code { MDB_PARSE_ERRORS MDB_PERR_NR };
#undef C

enum mdb_op {
	MDB_OP_NONE,		/* blank line or comment */
	MDB_OP_BREAK,
	MDB_OP_WATCH,
	MDB_OP_DELETE,
	MDB_OP_ENABLE,
	MDB_OP_DISABLE,
	MDB_OP_RESET,
	MDB_OP_CALL,
	MDB_OP_LOAD,
	/* Not control commands: lines written to the disasm and mem files. */
	MDB_OP_DISASM,
	MDB_OP_MEM,
	MDB_OP_NR
};

enum mdb_impl { MDB_IMPL_AUTO, MDB_IMPL_HW, MDB_IMPL_SW, MDB_IMPL_FT };
enum mdb_wmode { MDB_WMODE_W, MDB_WMODE_RW };

/*
 * Options, in the order mdb_cmd_format() prints them. Bit MDB_OPT_BIT(x) of
 * mdb_cmd.opts_seen is set when option x was written. Adding an option is a
 * line here plus a line in the option table of parse_opt.c.
 */
enum mdb_opt_id {
	MDB_OPT_HW,
	MDB_OPT_SW,
	MDB_OPT_LEN,
	MDB_OPT_W,
	MDB_OPT_RW,
	MDB_OPT_PID,
	MDB_OPT_COMM,
	MDB_OPT_CPU,
	MDB_OPT_LIMIT,
	MDB_OPT_COUNT,
	MDB_OPT_REGS,
	MDB_OPT_BT,
	MDB_OPT_STEP,
	MDB_OPT_OVER,
	MDB_OPT_IF,
	MDB_OPT_LUA,
	MDB_OPT_UNSAFE,
	MDB_OPT_ARGS,
	MDB_OPT_FT,
	MDB_OPT_RET,
	MDB_OPT_MAXACTIVE,
	MDB_OPT_TRACE,
	MDB_OPT_BY,
	MDB_OPT_HIST,
	MDB_OPT_NR
};

/* by=: what a breakpoint counts its hits by (0: no by=) */
enum mdb_by { MDB_BY_NONE, MDB_BY_COMM, MDB_BY_PID, MDB_BY_TID, MDB_BY_CPU };
/* hist=: what a breakpoint makes a log2 histogram of (0: no hist=) */
enum mdb_hist { MDB_HIST_NONE, MDB_HIST_RETVAL, MDB_HIST_ELAPSED, MDB_HIST_ARG1,
		MDB_HIST_ARG6 = MDB_HIST_ARG1 + 5 };

#define MDB_OPT_BIT(id)	(1U << (id))

/**
 * struct mdb_loc - where a breakpoint or watchpoint goes
 * @module: module name, "" for vmlinux or when @addr is used
 * @sym:    symbol name; "" means @addr is used instead
 * @off:    byte offset added to @sym (at most MDB_OFF_MAX)
 * @addr:   absolute kernel address, used when @sym is ""
 * @tp:     a tracepoint, tp:SUBSYSTEM:NAME: @module is the subsystem,
 *          @sym the name
 */
struct mdb_loc {
	bool tp;
	char module[MDB_MOD_MAX + 1];
	char sym[MDB_SYM_MAX + 1];
	u64 off;
	u64 addr;
};

/**
 * struct mdb_cmd - one parsed control line
 * @op:        the command; MDB_OP_NONE for blank and comment lines
 * @loc:       break/watch: the location
 * @impl:      break: hw, sw, ft or let mdb choose
 * @pid:       only trigger for this tgid/pid; 0 = any
 * @cpu:       only trigger on this cpu; -1 = any (the kernel checks it is online)
 * @comm:      only trigger for tasks with this comm; "" = any
 * @limit:     disarm after this many hits; 0 = no limit
 * @count:     count hits
 * @regs:      dump registers on a hit
 * @bt:        dump a backtrace on a hit
 * @len:       watch: bytes watched, 0 = the kernel picks, else 1, 2, 4 or 8
 * @wmode:     watch: trap writes, or reads and writes
 * @id:        delete/enable/disable: breakpoint id, 1..MDB_ID_MAX
 * @all:       delete/enable/disable: "all" was given instead of an id
 * @step:      break: after each hit single-step this many instructions
 *             (1..MDB_STEP_MAX), or MDB_STEP_BRANCH: until the next taken
 *             branch; 0 = no stepping
 * @over:      break, with @step: step over calls instead of into them
 * @unsafe:    the user accepts a breakpoint in NMI/MCE paths, which the
 *             kernel may not survive
 * @ret:       break: fire when the function returns (a kretprobe)
 * @maxactive: break ret: return instances (calls in flight); 0 = default
 * @trace:     break/watch: emit the mdb:mdb_hit trace event for each hit
 * @by:        break/watch: count the hits per comm, pid, tid or cpu
 *             (enum mdb_by), shown by the aggr file
 * @hist:      break: a log2 histogram of the return value, the elapsed
 *             time or an argument (enum mdb_hist), shown by the aggr file
 * @ifn:       break/watch: Lua function deciding whether a hit counts
 *             ("" = every hit counts)
 * @lua:       break/watch: Lua function run on each hit ("" = none);
 *             call: the function to run now
 * @insns:     disasm: instructions to show, 1..MDB_INSNS_MAX
 * @intel:     disasm: Intel syntax instead of AT&T
 * @bytes:     mem: bytes to dump, 1..MDB_MEM_MAX
 * @opts_seen: MDB_OPT_BIT()s of the options written; the formatter prints
 *             exactly these, so defaults stay implicit
 *
 * Lua function names are [A-Za-z_][A-Za-z0-9_]*, at most MDB_FN_MAX
 * characters, and not a Lua keyword.
 */
struct mdb_cmd {
	enum mdb_op op;
	struct mdb_loc loc;
	enum mdb_impl impl;
	int pid;
	int cpu;
	char comm[MDB_COMM_MAX + 1];
	u32 limit;
	bool count, regs, bt;
	unsigned int len;
	enum mdb_wmode wmode;
	unsigned int id;
	bool all;
	u32 step;
	bool over, unsafe, args, ret, trace;
	u32 maxactive;
	u32 by, hist;
	char ifn[MDB_FN_MAX + 1];
	char lua[MDB_FN_MAX + 1];
	u32 insns;
	bool intel;
	u32 bytes;
	char path[MDB_PATH_MAX + 1];	/* load */
	u32 opts_seen;
};

/**
 * struct mdb_parse_err - why and where a line was rejected
 * @code: enum mdb_parse_code, MDB_PERR_OK on success
 * @err:  negative errno matching @code (0 on success)
 * @pos:  byte offset in the line of the offending text
 * @len:  its length in bytes; 0 means "something is missing at @pos"
 */
struct mdb_parse_err {
	int code;
	int err;
	unsigned int pos, len;
};

int mdb_parse_line(const char *line, size_t n, struct mdb_cmd *cmd,
		   struct mdb_parse_err *e);
/* Parse what was written to the disasm or mem file: "LOC [COUNT] [intel]" / "LOC LEN". */
int mdb_parse_view(enum mdb_op op, const char *line, size_t n,
		   struct mdb_cmd *cmd, struct mdb_parse_err *e);
const char *mdb_parse_msg(int code);
const char *mdb_parse_code_name(int code);
int mdb_parse_errno(int code);
const char *mdb_op_name(enum mdb_op op);
int mdb_parse_explain(char *buf, size_t size, const char *line, size_t n,
		      const struct mdb_parse_err *e);
int mdb_cmd_format(char *buf, size_t size, const struct mdb_cmd *cmd);

#endif /* _MDB_PARSE_H */
