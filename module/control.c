// SPDX-License-Identifier: GPL-2.0
/*
 * The control language: a write to /sys/kernel/debug/mdb/control is split
 * into lines, each line parsed by parse.c (pure C, unit-tested on the host)
 * and run by the handler of its command, in order. The first bad line
 * fails the write with its errno; nothing of that line is applied, lines
 * before it stay applied. The full message, with the line and a caret
 * under the bad token, is kept for `status`.
 *
 * Process context only; everything here runs under mdb_lock.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include "mdb.h"
#include "bp.h"
#include "kind.h"
#include "parse.h"

DEFINE_MUTEX(mdb_lock);

struct mdb_cmd_desc {
	enum mdb_op op;
	const char *usage;
	const char *help;
	int (*run)(const struct mdb_cmd *cmd, char *err, size_t errlen);
};

/* Back to the state after load: no breakpoints, counters and log empty. */
static int mdb_cmd_reset(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	mdb_bp_reset();
	mdb_hit_reset();
	mdb_step_reset();
	mdb_log_reset();
	mdb_lasterr_reset();
	return 0;
}

/* call FN: run a function of the loaded script, here in process context. */
static int mdb_cmd_call(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_script_call(cmd->lua, err, errlen);
}

/* load PATH: compile a Lua file now; an error fails this write. */
static int mdb_cmd_load(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_script_load_file(cmd->path, err, errlen);
}

/* The command table: `control` prints its help from here. */
static const struct mdb_cmd_desc mdb_cmds[] = {
	{ MDB_OP_BREAK, "break|b|bp LOC [hw|sw|ft] [pid=N] [comm=S] [cpu=N] [limit=N] [count] [regs] [bt] [step=N|branch [over]] [if=FN] [lua=FN] [unsafe] [args] [ret [maxactive=N]] [trace] [by=comm|pid|tid|cpu] [hist=retval|elapsed|argN]",
	  "execution breakpoint (ft at a function's entry, else hw while a debug register is free, else sw); ret: at the function's return; LOC tp:SUBSYSTEM:NAME: a tracepoint", mdb_bp_break },
	{ MDB_OP_WATCH, "watch|wp LOC [len=1|2|4|8] [w|rw] [pid=N] [comm=S] [cpu=N] [limit=N] [count] [regs] [bt] [if=FN] [lua=FN] [unsafe] [trace] [by=comm|pid|tid|cpu]",
	  "data watchpoint (hardware; w = writes, rw = reads and writes)", mdb_bp_break },
	{ MDB_OP_DELETE, "delete|del|bc ID|all", "remove breakpoints", mdb_bp_delete },
	{ MDB_OP_ENABLE, "enable|be ID|all", "arm breakpoints again", mdb_bp_enable },
	{ MDB_OP_DISABLE, "disable|bd ID|all", "disarm breakpoints, keep them", mdb_bp_disable },
	{ MDB_OP_RESET, "reset", "delete all breakpoints, clear counters, log and last error", mdb_cmd_reset },
	{ MDB_OP_CALL, "call FN", "run the Lua function FN of the loaded script", mdb_cmd_call },
	{ MDB_OP_LOAD, "load PATH", "compile the Lua file PATH (absolute) and make it the script; an error fails the write", mdb_cmd_load },
};

static const struct mdb_cmd_desc *mdb_cmd_find(enum mdb_op op)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(mdb_cmds); i++)
		if (mdb_cmds[i].op == op)
			return &mdb_cmds[i];
	return NULL;
}

void mdb_control_help(struct seq_file *m)
{
	int i;

	seq_puts(m, "# mdb commands (write one per line to this file)\n");
	for (i = 0; i < ARRAY_SIZE(mdb_cmds); i++)
		seq_printf(m, "%s\n    %s\n", mdb_cmds[i].usage, mdb_cmds[i].help);
	seq_puts(m, "# LOC: symbol | symbol+0xOFF | module:symbol | 0xADDR | tp:SUBSYSTEM:NAME (break)\n");
	seq_puts(m, "# files: disasm ('LOC [COUNT] [intel]'), mem ('LOC LEN'), breakpoints, log, status, vetoes, tracepoints\n");
}

ssize_t mdb_control_too_long(size_t len)
{
	mutex_lock(&mdb_lock);
	mdb_lasterr_set(NULL, 0, "write of %zu bytes is too large: at most %d bytes per write, whole lines",
		      len, MDB_WRITE_MAX);
	mutex_unlock(&mdb_lock);
	return -E2BIG;
}

/* Parse and run one line; 0 or -errno (message already recorded). */
static int mdb_control_line(const char *line, size_t n)
{
	struct mdb_parse_err perr;
	const struct mdb_cmd_desc *desc;
	struct mdb_cmd cmd;
	char err[256];
	int ret;

	ret = mdb_parse_line(line, n, &cmd, &perr);
	if (ret) {
		size_t len;
		char *buf = mdb_lasterr_buf(&len);

		mdb_parse_explain(buf, len, line, n, &perr);
		mdb_lasterr_failed();
		return ret;
	}
	if (cmd.op == MDB_OP_NONE)
		return 0;

	desc = mdb_cmd_find(cmd.op);
	if (WARN_ON_ONCE(!desc))	/* the parser and this table disagree */
		return -EINVAL;
	err[0] = '\0';
	ret = desc->run(&cmd, err, sizeof(err));
	if (ret) {
		/* a failed allocation leaves err empty: say what it was */
		mdb_lasterr_set(line, n, "%s", err[0] ? err :
			      ret == -ENOMEM ? "out of memory" : "command failed");
		return ret;
	}
	mdb_lasterr_ok();
	return 0;
}

ssize_t mdb_control_write(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	int ret = 0;

	mutex_lock(&mdb_lock);
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		/* the line with its "\n" or "\r\n": the parser strips them */
		size_t n = nl ? nl + 1 - p : end - p;

		ret = mdb_control_line(p, n);
		if (ret)
			break;
		p += n;
	}
	mutex_unlock(&mdb_lock);
	return ret ? ret : len;
}

void mdb_status_show(struct seq_file *m, void (*files)(struct seq_file *m))
{
	u64 hits, missed, filtered, steps, stray, busy;

	mutex_lock(&mdb_lock);
	mdb_hit_counters(&hits, &missed, &filtered);
	mdb_step_counters(&steps, &stray, &busy);
	seq_printf(m, "version: mdb %s\n", MDB_VERSION);
	seq_printf(m, "kernel: %s %s\n", utsname()->release, utsname()->version);
	if (files)
		files(m);
	seq_printf(m, "debug registers: %d of %d held by mdb; free: unknown (the kernel keeps its slot accounting private; arming reports ENOSPC when none is left)\n",
		   mdb_dr_held(), MDB_NR_DEBUG_REGS);
	seq_printf(m, "hits: %llu\n", hits);
	seq_printf(m, "missed: %llu\n", missed);
	seq_printf(m, "filtered: %llu\n", filtered);
	seq_printf(m, "lost: %llu\n", mdb_log_lost());
	seq_printf(m, "steps: %llu\n", steps);
	seq_printf(m, "stray steps: %llu\n", stray);
	seq_printf(m, "steps refused busy: %llu\n", busy);
	mdb_script_status(m);
	mdb_lasterr_show(m);
	mutex_unlock(&mdb_lock);
}
