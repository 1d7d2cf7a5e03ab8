// SPDX-License-Identifier: GPL-2.0
/*
 * test_parse.c - unit tests of the mdb control-language parser (TAP output)
 *
 * Every line handed to the parser is first copied into a heap buffer of
 * exactly its length, without a NUL, so AddressSanitizer catches any read
 * past the end. Bad inputs are written like the ftrace selftests write
 * them: a '^' in the string marks where the error must point, and is
 * removed before parsing. The lines of the disasm and mem files go through
 * mdb_parse_view(), the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#include "tap.h"

/* A TAP description must stay on one line: escape what is not printable. */
static const char *show(const char *s, size_t n)
{
	static char bufs[4][2048];
	static int which;
	char *b = bufs[which++ & 3];
	size_t i, o = 0;

	for (i = 0; i < n && o < sizeof(bufs[0]) - 5; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			o += sprintf(b + o, "\\n");
		else if (c == '\r')
			o += sprintf(b + o, "\\r");
		else if (c == '\t')
			o += sprintf(b + o, "\\t");
		else if (c < ' ' || c > '~' || c == '\\')
			o += sprintf(b + o, "\\x%02x", c);
		else
			b[o++] = c;
	}
	b[o] = '\0';
	return b;
}

static const char *shows(const char *s)
{
	return show(s, strlen(s));
}

/*
 * Parse from an exact-size copy so ASan sees any over-read: a control line
 * for MDB_OP_NONE, else a line of the view file @op.
 */
static int parse_as(enum mdb_op op, const char *line, size_t n, struct mdb_cmd *cmd,
		    struct mdb_parse_err *e)
{
	char *copy = malloc(n ? n : 1);
	int ret;

	memcpy(copy, line, n);
	if (op == MDB_OP_NONE)
		ret = mdb_parse_line(copy, n, cmd, e);
	else
		ret = mdb_parse_view(op, copy, n, cmd, e);
	free(copy);
	return ret;
}

static int parse(const char *line, size_t n, struct mdb_cmd *cmd,
		 struct mdb_parse_err *e)
{
	return parse_as(MDB_OP_NONE, line, n, cmd, e);
}

static int parses(const char *line, struct mdb_cmd *cmd, struct mdb_parse_err *e)
{
	return parse(line, strlen(line), cmd, e);
}

static int parse_views(enum mdb_op op, const char *line, struct mdb_cmd *cmd,
		       struct mdb_parse_err *e)
{
	return parse_as(op, line, strlen(line), cmd, e);
}

static int explain(char *buf, size_t size, const char *line, size_t n,
		   const struct mdb_parse_err *e)
{
	char *copy = malloc(n ? n : 1);
	int ret;

	memcpy(copy, line, n);
	ret = mdb_parse_explain(buf, size, copy, n, e);
	free(copy);
	return ret;
}

static const char *op_str(enum mdb_op op)
{
	return op == MDB_OP_NONE ? "NONE" : mdb_op_name(op);
}

/* ---- commands and aliases ---- */

static void test_commands(void)
{
	static const struct { const char *line; enum mdb_op op; } t[] = {
		{ "break vfs_read",	MDB_OP_BREAK },
		{ "b vfs_read",		MDB_OP_BREAK },
		{ "bp vfs_read",	MDB_OP_BREAK },
		{ "watch jiffies",	MDB_OP_WATCH },
		{ "wp jiffies",		MDB_OP_WATCH },
		{ "delete 1",		MDB_OP_DELETE },
		{ "del 1",		MDB_OP_DELETE },
		{ "bc 1",		MDB_OP_DELETE },
		{ "enable 1",		MDB_OP_ENABLE },
		{ "be 1",		MDB_OP_ENABLE },
		{ "disable 1",		MDB_OP_DISABLE },
		{ "bd 1",		MDB_OP_DISABLE },
		{ "reset",		MDB_OP_RESET },
		{ "call f",		MDB_OP_CALL },
		{ "load /tmp/f.lua",	MDB_OP_LOAD },
	};
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		int ret = parses(t[i].line, &c, &e);

		ok(ret == 0 && c.op == t[i].op && e.code == MDB_PERR_OK,
		   "command '%s' parses as %s", t[i].line, op_str(t[i].op));
	}
	ok(!strcmp(mdb_op_name(MDB_OP_BREAK), "break") &&
	   !strcmp(mdb_op_name(MDB_OP_WATCH), "watch") &&
	   !strcmp(mdb_op_name(MDB_OP_DELETE), "delete") &&
	   !strcmp(mdb_op_name(MDB_OP_ENABLE), "enable") &&
	   !strcmp(mdb_op_name(MDB_OP_DISABLE), "disable") &&
	   !strcmp(mdb_op_name(MDB_OP_RESET), "reset") &&
	   !strcmp(mdb_op_name(MDB_OP_CALL), "call") &&
	   !strcmp(mdb_op_name(MDB_OP_DISASM), "disasm") &&
	   !strcmp(mdb_op_name(MDB_OP_MEM), "mem") &&
	   !strcmp(mdb_op_name(MDB_OP_NONE), "") &&
	   !strcmp(mdb_op_name(MDB_OP_NR), ""),
	   "mdb_op_name() gives the long names, \"\" for NONE and out of range");
	ok(parses("disasm vfs_read", &c, &e) == -EINVAL && e.code == MDB_PERR_UNKNOWN_CMD &&
	   c.op == MDB_OP_NONE && parses("mem jiffies 8", &c, &e) == -EINVAL &&
	   e.code == MDB_PERR_UNKNOWN_CMD && c.op == MDB_OP_NONE,
	   "disasm and mem are not control commands: UNKNOWN_CMD");
}

/* ---- locations ---- */

static void test_locations(void)
{
	static const struct {
		const char *line, *mod, *sym;
		u64 off, addr;
	} t[] = {
		{ "break vfs_read", "", "vfs_read", 0, 0 },
		{ "break vfs_read+0x10", "", "vfs_read", 0x10, 0 },
		{ "break vfs_read+16", "", "vfs_read", 16, 0 },
		{ "break vfs_read+0X1f", "", "vfs_read", 0x1f, 0 },
		{ "break vfs_read+0", "", "vfs_read", 0, 0 },
		{ "break vfs_read+0xffffffff", "", "vfs_read", 0xffffffff, 0 },
		{ "break vfs_read+4294967295", "", "vfs_read", 0xffffffff, 0 },
		{ "break ext4:ext4_file_open", "ext4", "ext4_file_open", 0, 0 },
		{ "break ext4:ext4_file_open+0x8", "ext4", "ext4_file_open", 8, 0 },
		{ "break nf-conntrack_x:f+1", "nf-conntrack_x", "f", 1, 0 },
		{ "break 9p:v9fs_open", "9p", "v9fs_open", 0, 0 },
		{ "break foo.cold", "", "foo.cold", 0, 0 },
		{ "break foo.isra.0+0x3", "", "foo.isra.0", 3, 0 },
		{ "break _$tmp", "", "_$tmp", 0, 0 },
		{ "break .L1", "", ".L1", 0, 0 },
		{ "break $x", "", "$x", 0, 0 },
		{ "break Z", "", "Z", 0, 0 },
		{ "break 0xffffffff81000000", "", "", 0, 0xffffffff81000000ULL },
		{ "break 0XFFFFFFFF81000000", "", "", 0, 0xffffffff81000000ULL },
		{ "break 0xffff800000000000", "", "", 0, 0xffff800000000000ULL },
		{ "break 0xffffffffffffffff", "", "", 0, 0xffffffffffffffffULL },
		{ "watch jiffies", "", "jiffies", 0, 0 },
		{ "watch kvm:kvm_vcpu_cache+0x40", "kvm", "kvm_vcpu_cache", 0x40, 0 },
		{ "watch 0xffffffff82a0c000", "", "", 0, 0xffffffff82a0c000ULL },
	};
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		int ret = parses(t[i].line, &c, &e);
		bool pass = ret == 0 && !strcmp(c.loc.module, t[i].mod) &&
			    !strcmp(c.loc.sym, t[i].sym) && c.loc.off == t[i].off &&
			    c.loc.addr == t[i].addr;

		ok(pass, "location '%s' -> module '%s' sym '%s' off %#llx addr %#llx",
		   t[i].line, t[i].mod, t[i].sym, (unsigned long long)t[i].off,
		   (unsigned long long)t[i].addr);
		if (!pass)
			diag("got ret %d %s '%s' '%s' %#llx %#llx", ret,
			     mdb_parse_code_name(e.code), c.loc.module, c.loc.sym,
			     (unsigned long long)c.loc.off,
			     (unsigned long long)c.loc.addr);
	}
}

/* Symbols and modules at and just past their length limits. */
static void test_name_limits(void)
{
	char line[512], sym[MDB_SYM_MAX + 2], mod[MDB_MOD_MAX + 2];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret;

	memset(sym, 'a', sizeof(sym));
	memset(mod, 'm', sizeof(mod));

	snprintf(line, sizeof(line), "break %.*s", MDB_SYM_MAX, sym);
	ret = parses(line, &c, &e);
	ok(ret == 0 && strlen(c.loc.sym) == MDB_SYM_MAX,
	   "symbol of %d characters is accepted", MDB_SYM_MAX);

	snprintf(line, sizeof(line), "break %.*s+0x4", MDB_SYM_MAX + 1, sym);
	ret = parses(line, &c, &e);
	ok(ret == -ENAMETOOLONG && e.code == MDB_PERR_SYM_TOO_LONG &&
	   e.pos == 6 && e.len == MDB_SYM_MAX + 1,
	   "symbol of %d characters: SYM_TOO_LONG, -ENAMETOOLONG, spans the symbol",
	   MDB_SYM_MAX + 1);

	snprintf(line, sizeof(line), "break %.*s:f", MDB_MOD_MAX, mod);
	ret = parses(line, &c, &e);
	ok(ret == 0 && strlen(c.loc.module) == MDB_MOD_MAX && !strcmp(c.loc.sym, "f"),
	   "module name of %d characters is accepted", MDB_MOD_MAX);

	snprintf(line, sizeof(line), "break %.*s:f", MDB_MOD_MAX + 1, mod);
	ret = parses(line, &c, &e);
	ok(ret == -ENAMETOOLONG && e.code == MDB_PERR_MOD_TOO_LONG &&
	   e.pos == 6 && e.len == MDB_MOD_MAX + 1,
	   "module name of %d characters: MOD_TOO_LONG, -ENAMETOOLONG, spans the module",
	   MDB_MOD_MAX + 1);

	snprintf(line, sizeof(line), "break %.*s:%.*s+0xffffffff", MDB_MOD_MAX, mod,
		 MDB_SYM_MAX, sym);
	ret = parses(line, &c, &e);
	ok(ret == 0 && strlen(c.loc.module) == MDB_MOD_MAX &&
	   strlen(c.loc.sym) == MDB_SYM_MAX && c.loc.off == 0xffffffff,
	   "longest MODULE:SYMBOL+OFF is accepted");
}

/* Lua function names: length limit, keywords, the three places they go. */
static void test_fn_names(void)
{
	static const char * const keywords[] = {
		"and", "break", "do", "else", "elseif", "end", "false", "for",
		"function", "goto", "if", "in", "local", "nil", "not", "or",
		"repeat", "return", "then", "true", "until", "while",
	};
	static const char * const fmt[] = { "break f lua=%.*s", "watch x if=%.*s", "call %.*s" };
	static const size_t at[] = { 12, 11, 5 };
	char line[512], fn[MDB_FN_MAX + 2];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	unsigned int bad = 0;
	size_t i, k;
	int ret;

	memset(fn, 'f', sizeof(fn));
	for (k = 0; k < NELEM(fmt); k++) {
		const char *got = k == 1 ? c.ifn : c.lua;

		snprintf(line, sizeof(line), fmt[k], MDB_FN_MAX, fn);
		ret = parses(line, &c, &e);
		ok(ret == 0 && strlen(got) == MDB_FN_MAX,
		   "'%.*s': function name of %d characters is accepted", (int)at[k], line,
		   MDB_FN_MAX);

		snprintf(line, sizeof(line), fmt[k], MDB_FN_MAX + 1, fn);
		ret = parses(line, &c, &e);
		ok(ret == -ENAMETOOLONG && e.code == MDB_PERR_FN_TOO_LONG && e.pos == at[k] &&
		   e.len == MDB_FN_MAX + 1 && c.op == MDB_OP_NONE,
		   "'%.*s': %d characters: FN_TOO_LONG, -ENAMETOOLONG, spans the name",
		   (int)at[k], line, MDB_FN_MAX + 1);

		/* A bad character wins over the length, as for symbols. */
		snprintf(line, sizeof(line), fmt[k], MDB_FN_MAX + 1, fn);
		line[strlen(line) - 1] = '-';
		ret = parses(line, &c, &e);
		ok(ret == -EINVAL && e.code == MDB_PERR_BAD_FN && e.pos == at[k] &&
		   e.len == MDB_FN_MAX + 1,
		   "'%.*s': %d characters ending in '-': BAD_FN", (int)at[k], line,
		   MDB_FN_MAX + 1);

		for (i = 0; i < NELEM(keywords); i++) {
			snprintf(line, sizeof(line), fmt[k], (int)strlen(keywords[i]),
				 keywords[i]);
			ret = parses(line, &c, &e);
			if (ret != -EINVAL || e.code != MDB_PERR_BAD_FN || e.pos != at[k] ||
			    e.len != strlen(keywords[i])) {
				if (!bad++)
					diag("'%s' gave %s", line, mdb_parse_code_name(e.code));
			}
			/* One character more or less is a name again. */
			snprintf(line, sizeof(line), fmt[k], (int)strlen(keywords[i]) - 1,
				 keywords[i]);
			if (parses(line, &c, &e)) {
				if (!bad++)
					diag("'%s' refused", line);
			}
			snprintf(line, sizeof(line), fmt[k], (int)strlen(keywords[i]),
				 keywords[i]);
			strcat(line, "_");
			if (parses(line, &c, &e)) {
				if (!bad++)
					diag("'%s' refused", line);
			}
		}
	}
	ok(bad == 0, "the %zu Lua keywords are BAD_FN for lua=, if= and call; "
	   "with a trailing '_' or without their last letter they are names", NELEM(keywords));
}

/* ---- options ---- */

static void test_options(void)
{
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret;

	ret = parses("break f", &c, &e);
	ok(ret == 0 && c.impl == MDB_IMPL_AUTO && c.pid == 0 && c.cpu == -1 &&
	   c.comm[0] == '\0' && c.limit == 0 && !c.count && !c.regs && !c.bt &&
	   c.opts_seen == 0,
	   "break without options: impl auto, pid 0, cpu -1, comm \"\", no limit, no flags");
	ok(ret == 0 && c.step == 0 && !c.over && !c.unsafe && c.ifn[0] == '\0' &&
	   c.lua[0] == '\0' && c.insns == 0 && !c.intel && c.bytes == 0,
	   "break without options: no step, no over, not unsafe, no if= or lua=");

	ret = parses("watch x", &c, &e);
	ok(ret == 0 && c.len == 0 && c.wmode == MDB_WMODE_W && c.opts_seen == 0,
	   "watch without options: len 0 (kernel picks), mode w");

	ret = parses("break f hw", &c, &e);
	ok(ret == 0 && c.impl == MDB_IMPL_HW && c.opts_seen == MDB_OPT_BIT(MDB_OPT_HW),
	   "hw sets impl HW and only the hw bit");
	ret = parses("break f sw", &c, &e);
	ok(ret == 0 && c.impl == MDB_IMPL_SW && c.opts_seen == MDB_OPT_BIT(MDB_OPT_SW),
	   "sw sets impl SW and only the sw bit");
	ret = parses("break f pid=42", &c, &e);
	ok(ret == 0 && c.pid == 42 && c.opts_seen == MDB_OPT_BIT(MDB_OPT_PID),
	   "pid=42 sets pid");
	ret = parses("break f comm=bash", &c, &e);
	ok(ret == 0 && !strcmp(c.comm, "bash") && c.opts_seen == MDB_OPT_BIT(MDB_OPT_COMM),
	   "comm=bash sets comm");
	ret = parses("break f comm=a=b#c:[1]", &c, &e);
	ok(ret == 0 && !strcmp(c.comm, "a=b#c:[1]"),
	   "comm value may hold '=', '#' and punctuation");
	ret = parses("break f comm=x", &c, &e);
	ok(ret == 0 && !strcmp(c.comm, "x"), "comm of 1 character is accepted");
	ret = parses("break f comm=abcdefghijklmno", &c, &e);
	ok(ret == 0 && !strcmp(c.comm, "abcdefghijklmno"),
	   "comm of 15 characters is accepted");
	ret = parses("break f cpu=3", &c, &e);
	ok(ret == 0 && c.cpu == 3 && c.opts_seen == MDB_OPT_BIT(MDB_OPT_CPU),
	   "cpu=3 sets cpu");
	ret = parses("break f limit=10", &c, &e);
	ok(ret == 0 && c.limit == 10 && c.opts_seen == MDB_OPT_BIT(MDB_OPT_LIMIT),
	   "limit=10 sets limit");
	ret = parses("break f count", &c, &e);
	ok(ret == 0 && c.count && !c.regs && !c.bt &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_COUNT), "count sets only count");
	ret = parses("break f regs", &c, &e);
	ok(ret == 0 && c.regs && !c.count && !c.bt &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_REGS), "regs sets only regs");
	ret = parses("break f bt", &c, &e);
	ok(ret == 0 && c.bt && !c.count && !c.regs &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_BT), "bt sets only bt");
	ret = parses("watch x w", &c, &e);
	ok(ret == 0 && c.wmode == MDB_WMODE_W && c.opts_seen == MDB_OPT_BIT(MDB_OPT_W),
	   "watch w sets mode w and the w bit");
	ret = parses("watch x rw", &c, &e);
	ok(ret == 0 && c.wmode == MDB_WMODE_RW && c.opts_seen == MDB_OPT_BIT(MDB_OPT_RW),
	   "watch rw sets mode rw");
	ret = parses("watch x pid=7 comm=sshd cpu=1 limit=3 count regs bt", &c, &e);
	ok(ret == 0 && c.pid == 7 && !strcmp(c.comm, "sshd") && c.cpu == 1 &&
	   c.limit == 3 && c.count && c.regs && c.bt,
	   "watch takes pid, comm, cpu, limit, count, regs and bt");

	ret = parses("break f step=5", &c, &e);
	ok(ret == 0 && c.step == 5 && !c.over && c.opts_seen == MDB_OPT_BIT(MDB_OPT_STEP),
	   "step=5 sets step 5 and only the step bit");
	ret = parses("break f step=0x10", &c, &e);
	ok(ret == 0 && c.step == 16, "step=0x10 is hex, like every number");
	ret = parses("break f step=branch", &c, &e);
	ok(ret == 0 && c.step == MDB_STEP_BRANCH && c.step == 0xffffffff &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_STEP),
	   "step=branch sets step MDB_STEP_BRANCH (0xffffffff)");
	ret = parses("break f step=1 over", &c, &e);
	ok(ret == 0 && c.step == 1 && c.over &&
	   c.opts_seen == (MDB_OPT_BIT(MDB_OPT_STEP) | MDB_OPT_BIT(MDB_OPT_OVER)),
	   "step=1 over sets step and over");
	ret = parses("break f over step=branch", &c, &e);
	ok(ret == 0 && c.step == MDB_STEP_BRANCH && c.over,
	   "over may come before the step= it needs");
	ret = parses("break f over regs bt count step=7", &c, &e);
	ok(ret == 0 && c.step == 7 && c.over && c.regs && c.bt && c.count,
	   "over, other options, then step=: accepted");
	ret = parses("break f unsafe", &c, &e);
	ok(ret == 0 && c.unsafe && c.opts_seen == MDB_OPT_BIT(MDB_OPT_UNSAFE),
	   "unsafe sets only unsafe on break");
	ret = parses("watch x unsafe", &c, &e);
	ok(ret == 0 && c.unsafe && c.opts_seen == MDB_OPT_BIT(MDB_OPT_UNSAFE),
	   "unsafe sets only unsafe on watch");
	ret = parses("break f lua=on_hit", &c, &e);
	ok(ret == 0 && !strcmp(c.lua, "on_hit") && c.ifn[0] == '\0' &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_LUA), "lua=on_hit sets lua");
	ret = parses("break f if=wanted", &c, &e);
	ok(ret == 0 && !strcmp(c.ifn, "wanted") && c.lua[0] == '\0' &&
	   c.opts_seen == MDB_OPT_BIT(MDB_OPT_IF), "if=wanted sets ifn");
	ret = parses("watch x if=_F9 lua=Show_2", &c, &e);
	ok(ret == 0 && !strcmp(c.ifn, "_F9") && !strcmp(c.lua, "Show_2"),
	   "watch takes if= and lua=; digits, capitals and '_' in names");
	ret = parses("break f lua=_ if=x", &c, &e);
	ok(ret == 0 && !strcmp(c.lua, "_") && !strcmp(c.ifn, "x"),
	   "Lua names of one character");
	ret = parses("break f lua=End if=_end", &c, &e);
	ok(ret == 0 && !strcmp(c.lua, "End") && !strcmp(c.ifn, "_end"),
	   "names that only resemble Lua keywords are accepted (End, _end)");
	ret = parses("break f lua=f if=f", &c, &e);
	ok(ret == 0 && !strcmp(c.lua, "f") && !strcmp(c.ifn, "f"),
	   "if= and lua= may name the same function");
	ret = parses("call on_demand", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_CALL && !strcmp(c.lua, "on_demand") &&
	   c.opts_seen == 0 && c.loc.sym[0] == '\0',
	   "call FN stores FN in lua");
	ret = parses("load /root/probe.lua", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_LOAD && !strcmp(c.path, "/root/probe.lua") &&
	   c.opts_seen == 0, "load PATH stores PATH");
	{
		char line[300] = "load /";

		memset(line + 6, 'a', MDB_PATH_MAX);
		line[5 + MDB_PATH_MAX] = '\0';
		ok(parses(line, &c, &e) == 0 && strlen(c.path) == MDB_PATH_MAX,
		   "load: a path of %d characters", MDB_PATH_MAX);
		line[5 + MDB_PATH_MAX] = 'a';
		line[6 + MDB_PATH_MAX] = '\0';
		ok(parses(line, &c, &e) == -ENAMETOOLONG && e.code == MDB_PERR_PATH_TOO_LONG &&
		   e.pos == 5 && e.len == MDB_PATH_MAX + 1,
		   "load: a path of %d characters is PATH_TOO_LONG", MDB_PATH_MAX + 1);
	}
	ret = parses("break vfs_read args comm=dd", &c, &e);
	ok(ret == 0 && c.args && !strcmp(c.comm, "dd"), "break takes args");
	ret = parses("  call\tf  \r\n", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_CALL && !strcmp(c.lua, "f"),
	   "call with blanks and \\r\\n around");
	ret = parses("break m:f+0x10 unsafe lua=l if=i over step=branch bt regs count "
		     "limit=1 cpu=0 comm=x pid=1 sw", &c, &e);
	ok(ret == 0 && c.impl == MDB_IMPL_SW && c.step == MDB_STEP_BRANCH && c.over &&
	   c.unsafe && !strcmp(c.lua, "l") && !strcmp(c.ifn, "i") &&
	   c.opts_seen == (MDB_OPT_BIT(MDB_OPT_SW) | MDB_OPT_BIT(MDB_OPT_PID) |
			   MDB_OPT_BIT(MDB_OPT_COMM) | MDB_OPT_BIT(MDB_OPT_CPU) |
			   MDB_OPT_BIT(MDB_OPT_LIMIT) | MDB_OPT_BIT(MDB_OPT_COUNT) |
			   MDB_OPT_BIT(MDB_OPT_REGS) | MDB_OPT_BIT(MDB_OPT_BT) |
			   MDB_OPT_BIT(MDB_OPT_STEP) | MDB_OPT_BIT(MDB_OPT_OVER) |
			   MDB_OPT_BIT(MDB_OPT_IF) | MDB_OPT_BIT(MDB_OPT_LUA) |
			   MDB_OPT_BIT(MDB_OPT_UNSAFE)),
	   "every break option, new ones included, in reverse order, all recorded");

	ret = parses("bt_x:f+0x10 sw", &c, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_UNKNOWN_CMD,
	   "a line starting with a location is an unknown command");

	ret = parses("break m:f+0x10 bt regs count limit=1 cpu=0 comm=x pid=1 sw", &c, &e);
	ok(ret == 0 && c.impl == MDB_IMPL_SW && c.pid == 1 && !strcmp(c.comm, "x") &&
	   c.cpu == 0 && c.limit == 1 && c.count && c.regs && c.bt &&
	   c.opts_seen == (MDB_OPT_BIT(MDB_OPT_SW) | MDB_OPT_BIT(MDB_OPT_PID) |
			   MDB_OPT_BIT(MDB_OPT_COMM) | MDB_OPT_BIT(MDB_OPT_CPU) |
			   MDB_OPT_BIT(MDB_OPT_LIMIT) | MDB_OPT_BIT(MDB_OPT_COUNT) |
			   MDB_OPT_BIT(MDB_OPT_REGS) | MDB_OPT_BIT(MDB_OPT_BT)),
	   "all break options together, in reverse order, all recorded");

	ret = parses("  \tbreak \t f\t\tpid=1   hw \t", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_BREAK && !strcmp(c.loc.sym, "f") && c.pid == 1 &&
	   c.impl == MDB_IMPL_HW,
	   "tokens separated by any mix of spaces and tabs, leading and trailing blanks");

	ret = parses("delete all", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_DELETE && c.all && c.id == 0, "delete all sets all");
	ret = parses("enable all", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_ENABLE && c.all, "enable all sets all");
	ret = parses("disable all", &c, &e);
	ok(ret == 0 && c.op == MDB_OP_DISABLE && c.all, "disable all sets all");
	ret = parses("delete 42", &c, &e);
	ok(ret == 0 && c.id == 42 && !c.all, "delete 42 sets id 42");
	ret = parses("bd 0042", &c, &e);
	ok(ret == 0 && c.id == 42, "leading zeros in an id are decimal, not octal");
	ret = parses("break f pid=010", &c, &e);
	ok(ret == 0 && c.pid == 10, "leading zeros in a number are decimal, not octal");
}

/* ---- numeric boundaries ---- */

enum field { F_PID, F_CPU, F_LIMIT, F_LEN, F_ID, F_OFF, F_STEP };

static u64 get_field(const struct mdb_cmd *c, enum field f)
{
	switch (f) {
	case F_PID:	return c->pid;
	case F_CPU:	return c->cpu;
	case F_LIMIT:	return c->limit;
	case F_LEN:	return c->len;
	case F_ID:	return c->id;
	case F_OFF:	return c->loc.off;
	case F_STEP:	return c->step;
	}
	return ~0ULL;
}

static void test_boundaries(void)
{
	static const struct {
		const char *line;
		int code;
		enum field f;
		u64 val;
	} t[] = {
		{ "break f pid=1",			MDB_PERR_OK,		F_PID, 1 },
		{ "break f pid=4194304",		MDB_PERR_OK,		F_PID, 4194304 },
		{ "break f pid=0x400000",		MDB_PERR_OK,		F_PID, 4194304 },
		{ "break f pid=0",			MDB_PERR_BAD_PID,	F_PID, 0 },
		{ "break f pid=4194305",		MDB_PERR_BAD_PID,	F_PID, 0 },
		{ "break f pid=18446744073709551615",	MDB_PERR_BAD_PID,	F_PID, 0 },
		{ "break f pid=18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_PID, 0 },
		{ "break f pid=0xffffffffffffffff",	MDB_PERR_BAD_PID,	F_PID, 0 },
		{ "break f pid=0x10000000000000000",	MDB_PERR_NUM_OVERFLOW,	F_PID, 0 },
		{ "break f pid=99999999999999999999",	MDB_PERR_NUM_OVERFLOW,	F_PID, 0 },
		{ "break f cpu=0",			MDB_PERR_OK,		F_CPU, 0 },
		{ "break f cpu=8191",			MDB_PERR_OK,		F_CPU, 8191 },
		{ "break f cpu=0x1fff",			MDB_PERR_OK,		F_CPU, 8191 },
		{ "break f cpu=8192",			MDB_PERR_BAD_CPU,	F_CPU, 0 },
		{ "break f cpu=18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_CPU, 0 },
		{ "break f limit=1",			MDB_PERR_OK,		F_LIMIT, 1 },
		{ "break f limit=4294967295",		MDB_PERR_OK,	F_LIMIT, 0xffffffff },
		{ "break f limit=0xffffffff",		MDB_PERR_OK,	F_LIMIT, 0xffffffff },
		{ "break f limit=0",			MDB_PERR_BAD_LIMIT,	F_LIMIT, 0 },
		{ "break f limit=4294967296",		MDB_PERR_BAD_LIMIT,	F_LIMIT, 0 },
		{ "break f limit=18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_LIMIT, 0 },
		{ "watch x len=1",			MDB_PERR_OK,		F_LEN, 1 },
		{ "watch x len=2",			MDB_PERR_OK,		F_LEN, 2 },
		{ "watch x len=4",			MDB_PERR_OK,		F_LEN, 4 },
		{ "watch x len=8",			MDB_PERR_OK,		F_LEN, 8 },
		{ "watch x len=0x8",			MDB_PERR_OK,		F_LEN, 8 },
		{ "watch x len=0",			MDB_PERR_BAD_LEN,	F_LEN, 0 },
		{ "watch x len=3",			MDB_PERR_BAD_LEN,	F_LEN, 0 },
		{ "watch x len=6",			MDB_PERR_BAD_LEN,	F_LEN, 0 },
		{ "watch x len=9",			MDB_PERR_BAD_LEN,	F_LEN, 0 },
		{ "watch x len=16",			MDB_PERR_BAD_LEN,	F_LEN, 0 },
		{ "watch x len=18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_LEN, 0 },
		{ "delete 1",				MDB_PERR_OK,		F_ID, 1 },
		{ "delete 65535",			MDB_PERR_OK,		F_ID, 65535 },
		{ "delete 0",				MDB_PERR_ID_RANGE,	F_ID, 0 },
		{ "delete 65536",			MDB_PERR_ID_RANGE,	F_ID, 0 },
		{ "delete 18446744073709551615",	MDB_PERR_ID_RANGE,	F_ID, 0 },
		{ "delete 18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_ID, 0 },
		{ "enable 65535",			MDB_PERR_OK,		F_ID, 65535 },
		{ "disable 65536",			MDB_PERR_ID_RANGE,	F_ID, 0 },
		{ "break f+0",				MDB_PERR_OK,		F_OFF, 0 },
		{ "break f+0xffffffff",			MDB_PERR_OK,		F_OFF, 0xffffffff },
		{ "break f+0x100000000",		MDB_PERR_OFF_RANGE,	F_OFF, 0 },
		{ "break f+4294967296",			MDB_PERR_OFF_RANGE,	F_OFF, 0 },
		{ "break f+0xffffffffffffffff",		MDB_PERR_OFF_RANGE,	F_OFF, 0 },
		{ "break f+0x10000000000000000",	MDB_PERR_NUM_OVERFLOW,	F_OFF, 0 },
		{ "break f+18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_OFF, 0 },
		{ "break f step=1",			MDB_PERR_OK,		F_STEP, 1 },
		{ "break f step=1000",			MDB_PERR_OK,		F_STEP, 1000 },
		{ "break f step=0x3e8",			MDB_PERR_OK,		F_STEP, 1000 },
		{ "break f step=01000",			MDB_PERR_OK,		F_STEP, 1000 },
		{ "break f step=branch",		MDB_PERR_OK,	F_STEP, 0xffffffff },
		{ "break f step=0",			MDB_PERR_BAD_STEP,	F_STEP, 0 },
		{ "break f step=1001",			MDB_PERR_BAD_STEP,	F_STEP, 0 },
		{ "break f step=4294967295",		MDB_PERR_BAD_STEP,	F_STEP, 0 },
		{ "break f step=0xffffffff",		MDB_PERR_BAD_STEP,	F_STEP, 0 },
		{ "break f step=18446744073709551615",	MDB_PERR_BAD_STEP,	F_STEP, 0 },
		{ "break f step=18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	F_STEP, 0 },
	};
	static const char * const fname[] = {
		"pid", "cpu", "limit", "len", "id", "off", "step",
	};
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		int ret = parses(t[i].line, &c, &e);
		bool pass;

		if (t[i].code == MDB_PERR_OK) {
			pass = ret == 0 && get_field(&c, t[i].f) == t[i].val;
			ok(pass, "'%s' accepted, %s = %llu", t[i].line, fname[t[i].f],
			   (unsigned long long)t[i].val);
		} else {
			pass = e.code == t[i].code && ret == mdb_parse_errno(t[i].code) &&
			       c.op == MDB_OP_NONE;
			ok(pass, "'%s' rejected with %s", t[i].line,
			   mdb_parse_code_name(t[i].code));
		}
		if (!pass)
			diag("got ret %d %s field %llu", ret, mdb_parse_code_name(e.code),
			     (unsigned long long)get_field(&c, t[i].f));
	}
}

/* ---- bad inputs: '^' marks where the caret must point ---- */

/*
 * Parse @marked without its '^' (as a control line for MDB_OP_NONE, else
 * as a line of view @op): it must fail with @code and -@err, on @len bytes
 * from the '^', and the caret line of the explanation must be under them.
 */
static void check_bad(enum mdb_op op, const char *marked, int code, int err,
		      unsigned int len)
{
	char line[MDB_LINE_MAX + 8], out[MDB_EXPLAIN_MAX], want[MDB_LINE_MAX + 8];
	const char *mark = strchr(marked, '^');
	size_t pos = mark - marked, n;
	struct mdb_parse_err e;
	struct mdb_cmd c;
	const char *nl;
	int ret;
	bool pass;

	n = snprintf(line, sizeof(line), "%.*s%s", (int)pos, marked, mark + 1);
	ret = parse_as(op, line, n, &c, &e);
	pass = ret == -err && e.err == -err && e.code == code && e.pos == pos &&
	       e.len == len && c.op == MDB_OP_NONE;
	ok(pass, "%s%s'%s' -> %s (-%s) at %zu+%u", op ? mdb_op_name(op) : "",
	   op ? " " : "", show(line, n), mdb_parse_code_name(code),
	   err == EINVAL ? "EINVAL" : err == ERANGE ? "ERANGE" :
	   err == ENAMETOOLONG ? "ENAMETOOLONG" : "?", pos, len);
	if (!pass)
		diag("got ret %d %s err %d at %u+%u op %d", ret,
		     mdb_parse_code_name(e.code), e.err, e.pos, e.len, c.op);

	/* The caret line of the explanation is under the same bytes. */
	explain(out, sizeof(out), line, n, &e);
	nl = strchr(out, '\n');
	nl = nl ? strchr(nl + 1, '\n') : NULL;
	snprintf(want, sizeof(want), "  %*s^%.*s\n", (int)pos, "",
		 len > 1 ? (int)len - 1 : 0,
		 "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
	pass = nl && !strcmp(nl + 1, want);
	ok(pass, "explain '%s': caret at column %zu, %u wide", show(line, n),
	   pos + 2, len ? len : 1);
	if (!pass)
		diag("explain gave '%s'", shows(out));
}

static void test_bad_inputs(void)
{
	static const struct {
		const char *line;
		int code;
		int err;
		unsigned int len;
	} t[] = {
		/* commands */
		{ "^brk vfs_read",			MDB_PERR_UNKNOWN_CMD,	EINVAL, 3 },
		{ "^Break vfs_read",			MDB_PERR_UNKNOWN_CMD,	EINVAL, 5 },
		{ "  ^BREAK f",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 5 },
		{ "^breakpoint f",			MDB_PERR_UNKNOWN_CMD,	EINVAL, 10 },
		{ "^w f",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 1 },
		{ "^break# f",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 6 },
		{ "^resets",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 6 },
		/* locations */
		{ "break^",				MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ "b^",					MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ "watch \t ^",				MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ "break vfs^-read",			MDB_PERR_BAD_SYM,	EINVAL, 1 },
		{ "break f.^-x",			MDB_PERR_BAD_SYM,	EINVAL, 1 },
		{ "break ^1abc",			MDB_PERR_SYM_DIGIT,	EINVAL, 4 },
		{ "break ^12345+4",			MDB_PERR_SYM_DIGIT,	EINVAL, 5 },
		{ "break m:^0x10",			MDB_PERR_SYM_DIGIT,	EINVAL, 4 },
		{ "break ^+0x10",			MDB_PERR_EMPTY_SYM,	EINVAL, 0 },
		{ "break m:^+1",			MDB_PERR_EMPTY_SYM,	EINVAL, 0 },
		{ "break m:^",				MDB_PERR_EMPTY_SYM,	EINVAL, 0 },
		{ "break m:f^:g",			MDB_PERR_BAD_SYM,	EINVAL, 1 },
		{ "break ^:f",				MDB_PERR_EMPTY_MOD,	EINVAL, 1 },
		{ "break ext4^.ko:f",			MDB_PERR_BAD_MOD,	EINVAL, 1 },
		{ "break m^$:f",			MDB_PERR_BAD_MOD,	EINVAL, 1 },
		{ "break f^+",				MDB_PERR_BAD_OFF,	EINVAL, 1 },
		{ "break f^+zz",			MDB_PERR_BAD_OFF,	EINVAL, 3 },
		{ "break f^+0x",			MDB_PERR_BAD_OFF,	EINVAL, 3 },
		{ "break f^+-1",			MDB_PERR_BAD_OFF,	EINVAL, 3 },
		{ "break f^+1+2",			MDB_PERR_BAD_OFF,	EINVAL, 4 },
		{ "break f^+0x100000000",		MDB_PERR_OFF_RANGE,	ERANGE, 12 },
		{ "break f^+4294967296",		MDB_PERR_OFF_RANGE,	ERANGE, 11 },
		{ "break f^+0x10000000000000000",	MDB_PERR_NUM_OVERFLOW,	ERANGE, 20 },
		{ "break ^0x",				MDB_PERR_BAD_ADDR,	EINVAL, 2 },
		{ "break 0xffffffff8100^g000",		MDB_PERR_BAD_ADDR,	EINVAL, 1 },
		{ "break 0xffffffff81000000^+0x10",	MDB_PERR_BAD_ADDR,	EINVAL, 1 },
		{ "break ^0xffffffff810000000",		MDB_PERR_BAD_ADDR,	EINVAL, 19 },
		{ "break ^0x0000ffffffff81000000",	MDB_PERR_BAD_ADDR,	EINVAL, 22 },
		{ "break ^0xffff7fffffffffff",		MDB_PERR_NONCANONICAL,	EINVAL, 18 },
		{ "break ^0x0000800000000000",		MDB_PERR_NONCANONICAL,	EINVAL, 18 },
		{ "break ^0X8000000000000000",		MDB_PERR_NONCANONICAL,	EINVAL, 18 },
		{ "break ^0x1234",			MDB_PERR_USER_ADDR,	EINVAL, 6 },
		{ "break ^0x00007fffffffffff",		MDB_PERR_USER_ADDR,	EINVAL, 18 },
		{ "watch ^0x0",				MDB_PERR_USER_ADDR,	EINVAL, 3 },
		/* options */
		{ "break vfs_read ^foo",		MDB_PERR_UNKNOWN_OPT,	EINVAL, 3 },
		{ "break f ^HW",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 2 },
		{ "break f ^=1",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 2 },
		{ "break f ^# trailing comment",	MDB_PERR_UNKNOWN_OPT,	EINVAL, 1 },
		{ "break f ^len=4",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 5 },
		{ "break f ^rw",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 2 },
		{ "break f ^w",				MDB_PERR_OPT_NOT_FOR,	EINVAL, 1 },
		{ "break f ^r",				MDB_PERR_OPT_NOT_FOR,	EINVAL, 1 },
		{ "watch x ^hw",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 2 },
		{ "watch x ^sw",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 2 },
		{ "break f hw ^hw",			MDB_PERR_DUP_OPT,	EINVAL, 2 },
		{ "break f pid=1 ^pid=2",		MDB_PERR_DUP_OPT,	EINVAL, 5 },
		{ "watch x cpu=1 count ^cpu=1",		MDB_PERR_DUP_OPT,	EINVAL, 5 },
		{ "watch x rw ^rw",			MDB_PERR_DUP_OPT,	EINVAL, 2 },
		{ "break f bt ^bt",			MDB_PERR_DUP_OPT,	EINVAL, 2 },
		{ "break f hw ^sw",			MDB_PERR_CONFLICT,	EINVAL, 2 },
		{ "break f sw count ^hw",		MDB_PERR_CONFLICT,	EINVAL, 2 },
		{ "watch x w ^rw",			MDB_PERR_CONFLICT,	EINVAL, 2 },
		{ "watch x rw ^w",			MDB_PERR_CONFLICT,	EINVAL, 1 },
		{ "break f ^pid=",			MDB_PERR_MISSING_VALUE,	EINVAL, 4 },
		{ "break f ^pid",			MDB_PERR_MISSING_VALUE,	EINVAL, 3 },
		{ "break f ^comm=",			MDB_PERR_MISSING_VALUE,	EINVAL, 5 },
		{ "watch x ^len",			MDB_PERR_MISSING_VALUE,	EINVAL, 3 },
		{ "break f ^limit= count",		MDB_PERR_MISSING_VALUE,	EINVAL, 6 },
		{ "break f count^=3",			MDB_PERR_FLAG_VALUE,	EINVAL, 2 },
		{ "break f bt^=",			MDB_PERR_FLAG_VALUE,	EINVAL, 1 },
		{ "break f hw^=1",			MDB_PERR_FLAG_VALUE,	EINVAL, 2 },
		{ "watch x rw^=yes",			MDB_PERR_FLAG_VALUE,	EINVAL, 4 },
		{ "break f pid=^abc",			MDB_PERR_BAD_NUM,	EINVAL, 3 },
		{ "break f pid=^-1",			MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ "break f pid=^+1",			MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ "break f pid=^0x",			MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ "break f pid=^1.5",			MDB_PERR_BAD_NUM,	EINVAL, 3 },
		{ "break f pid=^99999999999999999999z",	MDB_PERR_BAD_NUM,	EINVAL, 21 },
		{ "break f cpu=^-1",			MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ "break f limit=^1e3",			MDB_PERR_BAD_NUM,	EINVAL, 3 },
		{ "break f pid=^0",			MDB_PERR_BAD_PID,	ERANGE, 1 },
		{ "break f pid=^0x400001",		MDB_PERR_BAD_PID,	ERANGE, 8 },
		{ "break f pid=^18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	ERANGE, 20 },
		{ "break f cpu=^8192",			MDB_PERR_BAD_CPU,	ERANGE, 4 },
		{ "break f limit=^0",			MDB_PERR_BAD_LIMIT,	ERANGE, 1 },
		{ "break f limit=^0x100000000",		MDB_PERR_BAD_LIMIT,	ERANGE, 11 },
		{ "break f comm=^abcdefghijklmnop",	MDB_PERR_BAD_COMM,	EINVAL, 16 },
		{ "watch x len=^3",			MDB_PERR_BAD_LEN,	EINVAL, 1 },
		{ "watch x len=^0",			MDB_PERR_BAD_LEN,	EINVAL, 1 },
		{ "watch x len=^x",			MDB_PERR_BAD_NUM,	EINVAL, 1 },
		{ "watch x ^r",				MDB_PERR_READ_ONLY,	EINVAL, 1 },
		{ "watch x len=4 ^r=1",			MDB_PERR_READ_ONLY,	EINVAL, 3 },
		{ "watch x ^x",				MDB_PERR_EXEC_WATCH,	EINVAL, 1 },
		/* step=, over, unsafe */
		{ "watch x ^step=5",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 6 },
		{ "watch x ^over",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 4 },
		{ "break f step=^0",			MDB_PERR_BAD_STEP,	ERANGE, 1 },
		{ "break f step=^1001",			MDB_PERR_BAD_STEP,	ERANGE, 4 },
		{ "break f step=^0x3e9",		MDB_PERR_BAD_STEP,	ERANGE, 5 },
		{ "break f step=^abc",			MDB_PERR_BAD_STEP,	ERANGE, 3 },
		{ "break f step=^Branch",		MDB_PERR_BAD_STEP,	ERANGE, 6 },
		{ "break f step=^branches",		MDB_PERR_BAD_STEP,	ERANGE, 8 },
		{ "break f step=^-1",			MDB_PERR_BAD_STEP,	ERANGE, 2 },
		{ "break f step=^1.5",			MDB_PERR_BAD_STEP,	ERANGE, 3 },
		{ "break f step=^0x",			MDB_PERR_BAD_STEP,	ERANGE, 2 },
		{ "break f step=^99999999999999999999",	MDB_PERR_NUM_OVERFLOW,	ERANGE, 20 },
		{ "break f ^step=",			MDB_PERR_MISSING_VALUE,	EINVAL, 5 },
		{ "break f ^step",			MDB_PERR_MISSING_VALUE,	EINVAL, 4 },
		{ "break f step=1 ^step=branch",	MDB_PERR_DUP_OPT,	EINVAL, 11 },
		{ "break f ^over",			MDB_PERR_OVER_NEEDS_STEP, EINVAL, 4 },
		{ "break f ^over count",		MDB_PERR_OVER_NEEDS_STEP, EINVAL, 4 },
		{ "break f count\t^over\tregs bt",	MDB_PERR_OVER_NEEDS_STEP, EINVAL, 4 },
		{ "break f over ^foo",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 3 },
		{ "break f over step=^0",		MDB_PERR_BAD_STEP,	ERANGE, 1 },
		{ "break f step=2 over ^over",		MDB_PERR_DUP_OPT,	EINVAL, 4 },
		{ "break f over^=1 step=1",		MDB_PERR_FLAG_VALUE,	EINVAL, 2 },
		{ "break f unsafe^=",			MDB_PERR_FLAG_VALUE,	EINVAL, 1 },
		{ "watch x unsafe ^unsafe",		MDB_PERR_DUP_OPT,	EINVAL, 6 },
		{ "break f ^UNSAFE",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 6 },
		/* lua=, if= */
		{ "break f lua=^1fn",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "break f lua=^my-fn",			MDB_PERR_BAD_FN,	EINVAL, 5 },
		{ "break f lua=^a.b",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "break f lua=^f()",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "break f lua=^$x",			MDB_PERR_BAD_FN,	EINVAL, 2 },
		{ "break f lua=^a=b",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "break f lua=^end",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "watch x if=^nil",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "watch x if=^9",			MDB_PERR_BAD_FN,	EINVAL, 1 },
		{ "break f if=^m:f",			MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "break f ^lua=",			MDB_PERR_MISSING_VALUE,	EINVAL, 4 },
		{ "break f ^if",			MDB_PERR_MISSING_VALUE,	EINVAL, 2 },
		{ "break f lua=a ^lua=b",		MDB_PERR_DUP_OPT,	EINVAL, 5 },
		{ "watch x if=a ^if=a",			MDB_PERR_DUP_OPT,	EINVAL, 4 },
		{ "break f ^LUA=x",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 5 },
		{ "break f ^If=x",			MDB_PERR_UNKNOWN_OPT,	EINVAL, 4 },
		/* call */
		{ "call^",				MDB_PERR_MISSING_FN,	EINVAL, 0 },
		{ "call \t ^",				MDB_PERR_MISSING_FN,	EINVAL, 0 },
		{ "call ^1x",				MDB_PERR_BAD_FN,	EINVAL, 2 },
		{ "call ^f()",				MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "call ^m.f",				MDB_PERR_BAD_FN,	EINVAL, 3 },
		{ "call ^return",			MDB_PERR_BAD_FN,	EINVAL, 6 },
		{ "call f ^g",				MDB_PERR_EXTRA_ARG,	EINVAL, 1 },
		{ "call f ^lua=g",			MDB_PERR_EXTRA_ARG,	EINVAL, 5 },
		{ "call f ^# comment",			MDB_PERR_EXTRA_ARG,	EINVAL, 1 },
		{ "^Call f",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 4 },
		/* load */
		{ "load^",				MDB_PERR_MISSING_PATH,	EINVAL, 0 },
		{ "load ^f.lua",			MDB_PERR_REL_PATH,	EINVAL, 5 },
		{ "load ^./f.lua",			MDB_PERR_REL_PATH,	EINVAL, 7 },
		{ "load /a ^/b",			MDB_PERR_EXTRA_ARG,	EINVAL, 2 },
		/* args */
		{ "watch x ^args",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 4 },
		{ "break f args ^args",			MDB_PERR_DUP_OPT,	EINVAL, 4 },
		{ "break f args^=1",			MDB_PERR_FLAG_VALUE,	EINVAL, 2 },
		/* ft, ret, maxactive=, trace */
		{ "break f ft ^hw",			MDB_PERR_CONFLICT,	EINVAL, 2 },
		{ "watch x ^ft",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 2 },
		{ "break f ret ^hw",			MDB_PERR_RET_CONFLICT,	EINVAL, 2 },
		{ "break f hw ^ret",			MDB_PERR_RET_CONFLICT,	EINVAL, 3 },
		{ "break f step=2 ^ret",		MDB_PERR_RET_CONFLICT,	EINVAL, 3 },
		{ "break f ret ^over",			MDB_PERR_RET_CONFLICT,	EINVAL, 4 },
		{ "break f ^maxactive=3",		MDB_PERR_MAXACTIVE_NEEDS_RET, EINVAL, 11 },
		{ "break f ret maxactive=^0",		MDB_PERR_BAD_MAXACTIVE,	ERANGE, 1 },
		{ "break f ret maxactive=^4097",	MDB_PERR_BAD_MAXACTIVE,	ERANGE, 4 },
		{ "watch x ^ret",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 3 },
		{ "break f trace^=1",			MDB_PERR_FLAG_VALUE,	EINVAL, 2 },
		/* by=, hist= */
		{ "break f by=^name",			MDB_PERR_BAD_BY,	EINVAL, 4 },
		{ "break f ^by",			MDB_PERR_MISSING_VALUE,	EINVAL, 2 },
		{ "break f by=comm ^by=pid",		MDB_PERR_DUP_OPT,	EINVAL, 6 },
		{ "break f hist=^ret",			MDB_PERR_BAD_HIST,	EINVAL, 3 },
		{ "break f hist=^arg7",			MDB_PERR_BAD_HIST,	EINVAL, 4 },
		{ "break f ^hist=retval",		MDB_PERR_HIST_NEEDS_RET, EINVAL, 11 },
		{ "break f ^hist=elapsed count",	MDB_PERR_HIST_NEEDS_RET, EINVAL, 12 },
		{ "break f ret ^hist=arg2",		MDB_PERR_HIST_ARG_RET,	EINVAL, 9 },
		{ "break f by=comm ^hist=arg1",		MDB_PERR_AGG_CONFLICT,	EINVAL, 9 },
		{ "break f hist=arg1 ^by=comm",		MDB_PERR_AGG_CONFLICT,	EINVAL, 7 },
		{ "watch x ^hist=arg1",			MDB_PERR_OPT_NOT_FOR,	EINVAL, 9 },
		{ "break tp:a:b ^hist=arg1",		MDB_PERR_TP_OPT,	EINVAL, 9 },
		/* tracepoints */
		{ "break ^tp:sched:",			MDB_PERR_BAD_TP,	EINVAL, 9 },
		{ "break ^tp::x",			MDB_PERR_BAD_TP,	EINVAL, 5 },
		{ "break tp:sched:a^-b",		MDB_PERR_BAD_TP,	EINVAL, 1 },
		{ "break tp:a:b^:c",			MDB_PERR_BAD_TP,	EINVAL, 1 },
		{ "watch ^tp:sched:sched_switch",	MDB_PERR_TP_WATCH,	EINVAL, 21 },
		{ "break tp:sched:sched_switch ^hw",	MDB_PERR_TP_OPT,	EINVAL, 2 },
		{ "break tp:s:n ^step=1",		MDB_PERR_TP_OPT,	EINVAL, 6 },
		{ "break tp:s:n lua=f ^ret",		MDB_PERR_TP_OPT,	EINVAL, 3 },
		{ "break tp:s:n ^unsafe count",		MDB_PERR_TP_OPT,	EINVAL, 6 },
		/* the views are not control commands */
		{ "^disasm vfs_read",			MDB_PERR_UNKNOWN_CMD,	EINVAL, 6 },
		{ " ^mem jiffies 8",			MDB_PERR_UNKNOWN_CMD,	EINVAL, 3 },
		{ "^disasm",				MDB_PERR_UNKNOWN_CMD,	EINVAL, 6 },
		/* ids */
		{ "delete^",				MDB_PERR_MISSING_ID,	EINVAL, 0 },
		{ "enable  ^",				MDB_PERR_MISSING_ID,	EINVAL, 0 },
		{ "bd^",				MDB_PERR_MISSING_ID,	EINVAL, 0 },
		{ "delete ^abc",			MDB_PERR_BAD_ID,	EINVAL, 3 },
		{ "delete ^0x10",			MDB_PERR_BAD_ID,	EINVAL, 4 },
		{ "delete ^-1",				MDB_PERR_BAD_ID,	EINVAL, 2 },
		{ "delete ^+1",				MDB_PERR_BAD_ID,	EINVAL, 2 },
		{ "disable ^ALL",			MDB_PERR_BAD_ID,	EINVAL, 3 },
		{ "delete ^0",				MDB_PERR_ID_RANGE,	ERANGE, 1 },
		{ "be ^65536",				MDB_PERR_ID_RANGE,	ERANGE, 5 },
		{ "delete ^18446744073709551616",	MDB_PERR_NUM_OVERFLOW,	ERANGE, 20 },
		{ "delete 1 ^2",			MDB_PERR_EXTRA_ARG,	EINVAL, 1 },
		{ "delete all ^1",			MDB_PERR_EXTRA_ARG,	EINVAL, 1 },
		{ "enable 3 ^all",			MDB_PERR_EXTRA_ARG,	EINVAL, 3 },
		{ "reset ^now",				MDB_PERR_EXTRA_ARG,	EINVAL, 3 },
		{ "reset \t ^# no comments after commands", MDB_PERR_EXTRA_ARG, EINVAL, 1 },
		/* characters */
		{ "break^\x01 f",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f^\r",				MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f^\r\r\n",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f^\n\n",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f^\n hw",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break caf^\xc3\xa9",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "# caf^\xc3\xa9 comments are checked too", MDB_PERR_BAD_CHAR, EINVAL, 1 },
		{ "break f^\x7f",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f comm=^\xff",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "break f^\vhw",			MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ "^\x1b[A",				MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		/* the first bad character wins over any later error */
		{ "brk ^\x02",				MDB_PERR_BAD_CHAR,	EINVAL, 1 },
	};
	size_t i;

	for (i = 0; i < NELEM(t); i++)
		check_bad(MDB_OP_NONE, t[i].line, t[i].code, t[i].err, t[i].len);
	diag("%zu bad inputs", NELEM(t));
}

/* ---- the disasm and mem files ---- */

static void test_views(void)
{
	static const struct {
		enum mdb_op op;
		const char *line, *mod, *sym;
		u64 off, addr;
		u32 count;	/* insns or bytes */
		bool intel;
	} t[] = {
		{ MDB_OP_DISASM, "vfs_read", "", "vfs_read", 0, 0, 10, false },
		{ MDB_OP_DISASM, "vfs_read 20", "", "vfs_read", 0, 0, 20, false },
		{ MDB_OP_DISASM, "vfs_read 20 intel", "", "vfs_read", 0, 0, 20, true },
		{ MDB_OP_DISASM, "vfs_read intel 20", "", "vfs_read", 0, 0, 20, true },
		{ MDB_OP_DISASM, "vfs_read intel", "", "vfs_read", 0, 0, 10, true },
		{ MDB_OP_DISASM, "vfs_read att", "", "vfs_read", 0, 0, 10, false },
		{ MDB_OP_DISASM, "vfs_read 5 att", "", "vfs_read", 0, 0, 5, false },
		{ MDB_OP_DISASM, "vfs_read 1", "", "vfs_read", 0, 0, 1, false },
		{ MDB_OP_DISASM, "vfs_read 1000", "", "vfs_read", 0, 0, 1000, false },
		{ MDB_OP_DISASM, "vfs_read 0x3e8", "", "vfs_read", 0, 0, 1000, false },
		{ MDB_OP_DISASM, "vfs_read 010", "", "vfs_read", 0, 0, 10, false },
		{ MDB_OP_DISASM, "ext4:ext4_llseek+0x10 3", "ext4", "ext4_llseek", 0x10, 0, 3, false },
		{ MDB_OP_DISASM, "0xffffffff81000000 2 intel", "", "", 0, 0xffffffff81000000ULL,
		  2, true },
		{ MDB_OP_DISASM, "\t vfs_read \t 7\tintel \r\n", "", "vfs_read", 0, 0, 7, true },
		{ MDB_OP_DISASM, "vfs_read\n", "", "vfs_read", 0, 0, 10, false },
		{ MDB_OP_DISASM, "disasm", "", "disasm", 0, 0, 10, false },
		{ MDB_OP_MEM, "jiffies 64", "", "jiffies", 0, 0, 64, false },
		{ MDB_OP_MEM, "jiffies 1", "", "jiffies", 0, 0, 1, false },
		{ MDB_OP_MEM, "jiffies 4096", "", "jiffies", 0, 0, 4096, false },
		{ MDB_OP_MEM, "jiffies 0x1000", "", "jiffies", 0, 0, 4096, false },
		{ MDB_OP_MEM, "kvm:kvm_vcpu_cache+4 8\n", "kvm", "kvm_vcpu_cache", 4, 0, 8, false },
		{ MDB_OP_MEM, "0xffffffff82a0c000 16\r\n", "", "", 0, 0xffffffff82a0c000ULL,
		  16, false },
		{ MDB_OP_MEM, "  init_task  0x40  ", "", "init_task", 0, 0, 64, false },
	};
	static const struct {
		enum mdb_op op;
		const char *line;
		int code, err;
		unsigned int len;
	} bad[] = {
		/* both */
		{ MDB_OP_DISASM, "^",			MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ MDB_OP_DISASM, " \t ^",		MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ MDB_OP_MEM,	 "^",			MDB_PERR_MISSING_LOC,	EINVAL, 0 },
		{ MDB_OP_DISASM, "^# comment",		MDB_PERR_BAD_SYM,	EINVAL, 1 },
		{ MDB_OP_DISASM, "vfs^-read",		MDB_PERR_BAD_SYM,	EINVAL, 1 },
		{ MDB_OP_DISASM, "^1abc",		MDB_PERR_SYM_DIGIT,	EINVAL, 4 },
		{ MDB_OP_MEM,	 "^20 jiffies",		MDB_PERR_SYM_DIGIT,	EINVAL, 2 },
		{ MDB_OP_DISASM, "^0x1234 10",		MDB_PERR_USER_ADDR,	EINVAL, 6 },
		{ MDB_OP_MEM,	 "^0x0 8",		MDB_PERR_USER_ADDR,	EINVAL, 3 },
		{ MDB_OP_MEM,	 "^0x0000800000000000 8", MDB_PERR_NONCANONICAL, EINVAL, 18 },
		{ MDB_OP_MEM,	 "^:x 8",		MDB_PERR_EMPTY_MOD,	EINVAL, 1 },
		{ MDB_OP_DISASM, "f^+0x100000000",	MDB_PERR_OFF_RANGE,	ERANGE, 12 },
		{ MDB_OP_DISASM, "vfs_read^\x01",	MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		{ MDB_OP_MEM,	 "jiffies 8^\r",		MDB_PERR_BAD_CHAR,	EINVAL, 1 },
		/* disasm */
		{ MDB_OP_DISASM, "disasm ^vfs_read",	MDB_PERR_UNKNOWN_OPT,	EINVAL, 8 },
		{ MDB_OP_DISASM, "vfs_read ^0",		MDB_PERR_BAD_INSNS,	ERANGE, 1 },
		{ MDB_OP_DISASM, "vfs_read ^1001",	MDB_PERR_BAD_INSNS,	ERANGE, 4 },
		{ MDB_OP_DISASM, "vfs_read intel ^0x3e9", MDB_PERR_BAD_INSNS,	ERANGE, 5 },
		{ MDB_OP_DISASM, "vfs_read ^18446744073709551616", MDB_PERR_NUM_OVERFLOW, ERANGE, 20 },
		{ MDB_OP_DISASM, "vfs_read ^20x",	MDB_PERR_BAD_NUM,	EINVAL, 3 },
		{ MDB_OP_DISASM, "vfs_read ^0x",		MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ MDB_OP_DISASM, "vfs_read ^-1",		MDB_PERR_UNKNOWN_OPT,	EINVAL, 2 },
		{ MDB_OP_DISASM, "vfs_read 10 ^20",	MDB_PERR_EXTRA_ARG,	EINVAL, 2 },
		{ MDB_OP_DISASM, "vfs_read 10 intel ^20", MDB_PERR_EXTRA_ARG,	EINVAL, 2 },
		{ MDB_OP_DISASM, "vfs_read intel ^intel", MDB_PERR_DUP_OPT,	EINVAL, 5 },
		{ MDB_OP_DISASM, "vfs_read att 3 ^att",	MDB_PERR_DUP_OPT,	EINVAL, 3 },
		{ MDB_OP_DISASM, "vfs_read att ^intel",	MDB_PERR_CONFLICT,	EINVAL, 5 },
		{ MDB_OP_DISASM, "vfs_read intel ^att",	MDB_PERR_CONFLICT,	EINVAL, 3 },
		{ MDB_OP_DISASM, "vfs_read ^Intel",	MDB_PERR_UNKNOWN_OPT,	EINVAL, 5 },
		{ MDB_OP_DISASM, "vfs_read 10 ^hw",	MDB_PERR_UNKNOWN_OPT,	EINVAL, 2 },
		{ MDB_OP_DISASM, "vfs_read ^count=3",	MDB_PERR_UNKNOWN_OPT,	EINVAL, 7 },
		/* mem */
		{ MDB_OP_MEM,	 "jiffies^",		MDB_PERR_MISSING_LEN,	EINVAL, 0 },
		{ MDB_OP_MEM,	 "jiffies \t^",		MDB_PERR_MISSING_LEN,	EINVAL, 0 },
		{ MDB_OP_MEM,	 "jiffies ^0",		MDB_PERR_BAD_MEM_LEN,	ERANGE, 1 },
		{ MDB_OP_MEM,	 "jiffies ^4097",	MDB_PERR_BAD_MEM_LEN,	ERANGE, 4 },
		{ MDB_OP_MEM,	 "jiffies ^0x1001",	MDB_PERR_BAD_MEM_LEN,	ERANGE, 6 },
		{ MDB_OP_MEM,	 "jiffies ^18446744073709551615", MDB_PERR_BAD_MEM_LEN, ERANGE, 20 },
		{ MDB_OP_MEM,	 "jiffies ^18446744073709551616", MDB_PERR_NUM_OVERFLOW, ERANGE, 20 },
		{ MDB_OP_MEM,	 "jiffies ^abc",		MDB_PERR_BAD_NUM,	EINVAL, 3 },
		{ MDB_OP_MEM,	 "jiffies ^-1",		MDB_PERR_BAD_NUM,	EINVAL, 2 },
		{ MDB_OP_MEM,	 "jiffies ^len=8",	MDB_PERR_BAD_NUM,	EINVAL, 5 },
		{ MDB_OP_MEM,	 "jiffies 8 ^8",		MDB_PERR_EXTRA_ARG,	EINVAL, 1 },
		{ MDB_OP_MEM,	 "jiffies 8 ^intel",	MDB_PERR_EXTRA_ARG,	EINVAL, 5 },
		{ MDB_OP_MEM,	 "mem ^jiffies 8",	MDB_PERR_BAD_NUM,	EINVAL, 7 },
	};
	static const enum mdb_op not_views[] = {
		MDB_OP_NONE, MDB_OP_BREAK, MDB_OP_WATCH, MDB_OP_DELETE, MDB_OP_RESET,
		MDB_OP_CALL, MDB_OP_NR, (enum mdb_op)-1,
	};
	char line[MDB_LINE_MAX + 2];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;
	int ret;

	for (i = 0; i < NELEM(t); i++) {
		bool pass;

		ret = parse_views(t[i].op, t[i].line, &c, &e);
		pass = ret == 0 && e.code == MDB_PERR_OK && c.op == t[i].op &&
		       !strcmp(c.loc.module, t[i].mod) && !strcmp(c.loc.sym, t[i].sym) &&
		       c.loc.off == t[i].off && c.loc.addr == t[i].addr && c.opts_seen == 0 &&
		       (t[i].op == MDB_OP_DISASM ?
			c.insns == t[i].count && c.intel == t[i].intel && c.bytes == 0 :
			c.bytes == t[i].count && c.insns == 0 && !c.intel);
		ok(pass, "%s '%s' -> '%s%s%s' %s %u%s", mdb_op_name(t[i].op), shows(t[i].line),
		   t[i].mod, t[i].mod[0] ? ":" : "", t[i].sym[0] ? t[i].sym : "(addr)",
		   t[i].op == MDB_OP_DISASM ? "insns" : "bytes", t[i].count,
		   t[i].intel ? " intel" : "");
		if (!pass)
			diag("got ret %d %s at %u op %d insns %u bytes %u intel %d", ret,
			     mdb_parse_code_name(e.code), e.pos, c.op, c.insns, c.bytes,
			     c.intel);
	}
	for (i = 0; i < NELEM(bad); i++)
		check_bad(bad[i].op, bad[i].line, bad[i].code, bad[i].err, bad[i].len);
	diag("%zu bad view lines", NELEM(bad));

	for (i = 0; i < NELEM(not_views); i++) {
		ret = mdb_parse_view(not_views[i], "vfs_read 8", 10, &c, &e);
		ok(ret == -EINVAL && e.code == MDB_PERR_UNKNOWN_CMD && e.pos == 0 &&
		   e.len == 0 && c.op == MDB_OP_NONE,
		   "mdb_parse_view() with op %d (not a view): UNKNOWN_CMD at 0+0",
		   (int)not_views[i]);
	}

	memset(line, ' ', sizeof(line));
	memcpy(line, "jiffies 8", 9);
	ret = parse_as(MDB_OP_MEM, line, MDB_LINE_MAX, &c, &e);
	ok(ret == 0 && c.op == MDB_OP_MEM && c.bytes == 8,
	   "mem line of exactly %d bytes is accepted", MDB_LINE_MAX);
	ret = parse_as(MDB_OP_DISASM, line, MDB_LINE_MAX + 1, &c, &e);
	ok(ret == -E2BIG && e.code == MDB_PERR_LINE_TOO_LONG && e.pos == MDB_LINE_MAX &&
	   e.len == 1 && c.op == MDB_OP_NONE,
	   "disasm line of %d bytes: LINE_TOO_LONG", MDB_LINE_MAX + 1);
	ret = mdb_parse_view(MDB_OP_MEM, "x", 1, &c, NULL);
	ok(ret == -EINVAL && c.op == MDB_OP_NONE, "view: error report may be NULL");
	ret = parse_views(MDB_OP_MEM, "x 8 9", &c, &e);
	ok(ret == -EINVAL && c.op == MDB_OP_NONE && c.bytes == 0 && c.loc.sym[0] == '\0',
	   "view: on error the command is reset, not half filled");
	ret = parse_views(MDB_OP_DISASM, "x 30 intel y", &c, &e);
	ok(ret == -EINVAL && c.op == MDB_OP_NONE && c.insns == 0 && !c.intel,
	   "view: on error the disasm count and syntax are reset");
	ret = parse_views(MDB_OP_MEM, "x 8", &c, &e);
	ok(ret == 0 && e.code == MDB_PERR_OK && e.err == 0 && e.pos == 0 && e.len == 0,
	   "view: on success the error report is cleared");
}

/* NUL and over-long lines cannot be written with the '^' marker. */
static void test_bad_lines(void)
{
	char line[MDB_LINE_MAX + 88];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret;

	ret = parse("break\0f", 7, &c, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_BAD_CHAR && e.pos == 5 && e.len == 1,
	   "NUL byte inside the line is BAD_CHAR at its position");
	ret = parse("reset\0", 6, &c, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_BAD_CHAR && e.pos == 5,
	   "trailing NUL counted in n is BAD_CHAR");

	memset(line, ' ', sizeof(line));
	memcpy(line, "break f", 7);
	ret = parse(line, MDB_LINE_MAX, &c, &e);
	ok(ret == 0 && c.op == MDB_OP_BREAK, "line of exactly %d bytes is accepted",
	   MDB_LINE_MAX);
	line[MDB_LINE_MAX] = '\n';
	ret = parse(line, MDB_LINE_MAX + 1, &c, &e);
	ok(ret == 0 && c.op == MDB_OP_BREAK,
	   "line of %d bytes plus \"\\n\" is accepted", MDB_LINE_MAX);
	line[MDB_LINE_MAX] = '\r';
	line[MDB_LINE_MAX + 1] = '\n';
	ret = parse(line, MDB_LINE_MAX + 2, &c, &e);
	ok(ret == 0 && c.op == MDB_OP_BREAK,
	   "line of %d bytes plus \"\\r\\n\" is accepted", MDB_LINE_MAX);
	line[MDB_LINE_MAX] = ' ';
	ret = parse(line, MDB_LINE_MAX + 1, &c, &e);
	ok(ret == -E2BIG && e.code == MDB_PERR_LINE_TOO_LONG && e.pos == MDB_LINE_MAX &&
	   e.len == 1 && c.op == MDB_OP_NONE,
	   "line of %d bytes: LINE_TOO_LONG, -E2BIG, at %d+1", MDB_LINE_MAX + 1,
	   MDB_LINE_MAX);
	ret = parse(line, MDB_LINE_MAX + 88, &c, &e);
	ok(ret == -E2BIG && e.pos == MDB_LINE_MAX && e.len == 88,
	   "line of %d bytes: LINE_TOO_LONG spans the excess", MDB_LINE_MAX + 88);
	line[MDB_LINE_MAX + 1] = '\n';
	ret = parse(line, MDB_LINE_MAX + 2, &c, &e);
	ok(ret == -E2BIG, "line of %d bytes plus \"\\n\" is too long", MDB_LINE_MAX + 1);
	line[0] = '\x01';
	ret = parse(line, MDB_LINE_MAX + 88, &c, &e);
	ok(ret == -E2BIG, "length is checked before characters");

	ret = mdb_parse_line("brk", 3, &c, NULL);
	ok(ret == -EINVAL && c.op == MDB_OP_NONE, "error report may be NULL");

	ret = parses("break f pid=5 comm=x count foo", &c, &e);
	ok(ret == -EINVAL && c.op == MDB_OP_NONE && c.pid == 0 && c.comm[0] == '\0' &&
	   !c.count && c.opts_seen == 0 && c.cpu == -1,
	   "on error the command is reset, not half filled");

	ret = parses("reset", &c, &e);
	ok(ret == 0 && e.code == MDB_PERR_OK && e.err == 0 && e.pos == 0 && e.len == 0,
	   "on success the error report is cleared");
}

/* ---- comments, blank lines, line ends ---- */

static void test_blank_and_eol(void)
{
	static const char * const blank[] = {
		"", " ", "\t", " \t  ", "\n", "\r\n", "  \t \r\n",
		"#", "# break f", "   # comment", "\t#x", "#break\tf\n", "##\r\n",
		"# comm=\x7e any printable text, even \"quotes\" and 'brk'",
	};
	static const struct { const char *line; enum mdb_op op; const char *sym; } eol[] = {
		{ "break f\n",		MDB_OP_BREAK,	"f" },
		{ "break f\r\n",	MDB_OP_BREAK,	"f" },
		{ "break f \r\n",	MDB_OP_BREAK,	"f" },
		{ "reset\n",		MDB_OP_RESET,	"" },
		{ "reset\r\n",		MDB_OP_RESET,	"" },
		{ "watch x+4 rw\r\n",	MDB_OP_WATCH,	"x" },
	};
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;

	for (i = 0; i < NELEM(blank); i++) {
		int ret = parses(blank[i], &c, &e);

		ok(ret == 0 && c.op == MDB_OP_NONE && e.code == MDB_PERR_OK,
		   "'%s' is a no-op", shows(blank[i]));
	}
	for (i = 0; i < NELEM(eol); i++) {
		int ret = parses(eol[i].line, &c, &e);

		ok(ret == 0 && c.op == eol[i].op && !strcmp(c.loc.sym, eol[i].sym),
		   "'%s' parses with the line end stripped", shows(eol[i].line));
	}
	ok(parses("delete 3\r\n", &c, &e) == 0 && c.id == 3,
	   "'delete 3\\r\\n': id 3, the \\r is not part of the number");
	ok(parses("break f comm=x\r\n", &c, &e) == 0 && !strcmp(c.comm, "x"),
	   "'break f comm=x\\r\\n': comm is x, without \\r");
}

/* ---- messages ---- */

static void test_messages(void)
{
	static const struct { int code; const char *msg; int err; } exact[] = {
		{ MDB_PERR_READ_ONLY,	 "x86 cannot trap reads alone; use rw",	EINVAL },
		{ MDB_PERR_EXEC_WATCH,	 "use break for execution breakpoints",	EINVAL },
		{ MDB_PERR_BAD_LEN,	 "length must be 1, 2, 4 or 8",		EINVAL },
		{ MDB_PERR_NONCANONICAL, "non-canonical address",		EINVAL },
		{ MDB_PERR_USER_ADDR,	 "not a kernel address",		EINVAL },
		{ MDB_PERR_UNKNOWN_CMD,	 "unknown command",			EINVAL },
		{ MDB_PERR_UNKNOWN_OPT,	 "unknown option",			EINVAL },
		{ MDB_PERR_LINE_TOO_LONG, "line longer than 640 bytes",		E2BIG },
		{ MDB_PERR_SYM_TOO_LONG, "symbol longer than 127 characters",	ENAMETOOLONG },
		{ MDB_PERR_MOD_TOO_LONG, "module name longer than 55 characters", ENAMETOOLONG },
		{ MDB_PERR_BAD_PID,	 "pid must be 1..4194304",		ERANGE },
		{ MDB_PERR_BAD_CPU,	 "cpu must be 0..8191",			ERANGE },
		{ MDB_PERR_BAD_LIMIT,	 "limit must be 1..4294967295",		ERANGE },
		{ MDB_PERR_ID_RANGE,	 "breakpoint id must be 1..65535",	ERANGE },
		{ MDB_PERR_OFF_RANGE,	 "offset larger than 0xffffffff",	ERANGE },
		{ MDB_PERR_BAD_COMM,	 "comm longer than 15 characters",	EINVAL },
		{ MDB_PERR_BAD_STEP,	 "step must be 1..1000 or 'branch'",	ERANGE },
		{ MDB_PERR_OVER_NEEDS_STEP, "over needs step=N or step=branch",	EINVAL },
		{ MDB_PERR_BAD_FN,	 "not a Lua function name",		EINVAL },
		{ MDB_PERR_FN_TOO_LONG,	 "Lua function name longer than 63 characters",
		  ENAMETOOLONG },
		{ MDB_PERR_MISSING_FN,	 "missing Lua function name",		EINVAL },
		{ MDB_PERR_MISSING_LEN,	 "missing length",			EINVAL },
		{ MDB_PERR_BAD_INSNS,	 "instruction count must be 1..1000",	ERANGE },
		{ MDB_PERR_BAD_MEM_LEN,	 "length must be 1..4096",		ERANGE },
	};
	int code;
	size_t i;

	/* The codes the kernel code already uses keep their values. */
	ok(MDB_PERR_OK == 0 && MDB_PERR_EXTRA_ARG == 35 && MDB_PERR_BAD_STEP == 36 &&
	   MDB_OP_RESET == 6 && MDB_OP_CALL == 7 && MDB_OPT_BT == 11 && MDB_OPT_STEP == 12,
	   "new error codes, ops and options were added after the old ones");
	for (code = 0; code < MDB_PERR_NR; code++) {
		const char *msg = mdb_parse_msg(code), *name = mdb_parse_code_name(code);
		int err = mdb_parse_errno(code);

		ok(msg && *msg && name && *name && (code ? err < 0 : err == 0),
		   "code %d (%s): message \"%s\", errno %d", code, name, msg, err);
	}
	for (i = 0; i < NELEM(exact); i++)
		ok(!strcmp(mdb_parse_msg(exact[i].code), exact[i].msg) &&
		   mdb_parse_errno(exact[i].code) == -exact[i].err,
		   "%s says \"%s\" with errno -%d", mdb_parse_code_name(exact[i].code),
		   exact[i].msg, exact[i].err);
	ok(!strcmp(mdb_parse_msg(-1), "unknown error") &&
	   !strcmp(mdb_parse_msg(MDB_PERR_NR), "unknown error") &&
	   mdb_parse_errno(MDB_PERR_NR) == -EINVAL &&
	   !strcmp(mdb_parse_code_name(MDB_PERR_NR), "?"),
	   "out-of-range codes give \"unknown error\", -EINVAL and \"?\"");
}

/* ---- explain ---- */

static void check_explain_as(enum mdb_op op, const char *line, size_t n,
			     const char *want, const char *what)
{
	char out[MDB_EXPLAIN_MAX];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret;

	parse_as(op, line, n, &c, &e);
	ret = explain(out, sizeof(out), line, n, &e);
	ok(!strcmp(out, want) && ret == (int)strlen(want), "explain %s", what);
	if (strcmp(out, want)) {
		diag("want '%s'", shows(want));
		diag("got  '%s'", shows(out));
	}
}

static void check_explain(const char *line, size_t n, const char *want,
			  const char *what)
{
	check_explain_as(MDB_OP_NONE, line, n, want, what);
}

#define EXPLAIN(line, want, what)	check_explain(line, sizeof(line) - 1, want, what)
#define EXPLAIN_VIEW(op, line, want, what)					\
	check_explain_as(op, line, sizeof(line) - 1, want, what)

/*
 * The longest explanation of any error on any line of MDB_LINE_MAX bytes:
 * every code, at the spans that make the caret line longest, on lines
 * that trigger the hints.
 */
static int explain_worst_case(void)
{
	static char lines[3][MDB_LINE_MAX];
	static const struct { unsigned int pos, len; } spans[] = {
		{ 0, MDB_LINE_MAX }, { MDB_LINE_MAX, 0 }, { MDB_LINE_MAX - 1, 1 },
		{ MDB_LINE_MAX - 6, 6 }, { 8, MDB_LINE_MAX - 8 }, { 0, 0 },
	};
	char out[2 * MDB_EXPLAIN_MAX];
	struct mdb_parse_err e;
	int worst = 0, code, len;
	size_t l, i;

	memset(lines, 'x', sizeof(lines));
	memcpy(lines[1] + MDB_LINE_MAX - 7, " disasm", 7);	/* UNKNOWN_CMD hint */
	memcpy(lines[2], "watch x hw=", 11);			/* OPT_NOT_FOR hint */
	for (code = 1; code < MDB_PERR_NR; code++) {
		for (l = 0; l < NELEM(lines); l++) {
			for (i = 0; i < NELEM(spans); i++) {
				e.code = code;
				e.err = mdb_parse_errno(code);
				e.pos = spans[i].pos;
				e.len = spans[i].len;
				len = explain(out, sizeof(out), lines[l], MDB_LINE_MAX, &e);
				if (len > worst)
					worst = len;
			}
		}
	}
	return worst;
}

static void test_explain(void)
{
	char out[MDB_EXPLAIN_MAX], small[12], line[MDB_LINE_MAX + 1];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret, full;

	EXPLAIN("break vfs_read foo",
		"unknown option 'foo'\n"
		"  break vfs_read foo\n"
		"                 ^~~\n",
		"of an unknown option: message, line, caret under the token");
	EXPLAIN("break\tvfs_read\tfoo\n",
		"unknown option 'foo'\n"
		"  break vfs_read foo\n"
		"                 ^~~\n",
		"shows tabs as spaces so the caret stays aligned; drops the \\n");
	EXPLAIN("brk f",
		"unknown command 'brk'\n"
		"  brk f\n"
		"  ^~~\n",
		"of an unknown command: caret at column 2");
	EXPLAIN("break",
		"missing location: SYMBOL[+OFF], MODULE:SYMBOL[+OFF] or 0xADDR\n"
		"  break\n"
		"       ^\n",
		"of a missing location: no token, caret just past the end");
	EXPLAIN("watch jiffies hw",
		"option not valid for this command 'hw': watchpoints are hardware-only\n"
		"  watch jiffies hw\n"
		"                ^~\n",
		"of hw on watch adds 'watchpoints are hardware-only'");
	EXPLAIN("break f len=4",
		"option not valid for this command 'len=4': only watch takes it\n"
		"  break f len=4\n"
		"          ^~~~~\n",
		"of len= on break says only watch takes it");
	EXPLAIN("watch jiffies r",
		"x86 cannot trap reads alone; use rw 'r'\n"
		"  watch jiffies r\n"
		"                ^\n",
		"of watch mode r");
	EXPLAIN("watch x len=3",
		"length must be 1, 2, 4 or 8 '3'\n"
		"  watch x len=3\n"
		"              ^\n",
		"of len=3 points at the value, not the option");
	EXPLAIN("break f\x01 hw",
		"control character or non-ASCII byte '\\x01'\n"
		"  break f? hw\n"
		"         ^\n",
		"of a control character: escaped in the message, '?' in the line");
	EXPLAIN("break f\\ hw",
		"invalid character in symbol '\\'\n"
		"  break f\\ hw\n"
		"         ^\n",
		"quotes a backslash as it is");
	EXPLAIN("break f abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
		"unknown option 'abcdefghijklmnopqrstuvwxyz0123456789ABCD...'\n"
		"  break f abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\n"
		"          ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n",
		"cuts a quoted token after 40 bytes, the caret spans all of it");
	EXPLAIN("reset now\r\n",
		"unexpected argument 'now'\n"
		"  reset now\n"
		"        ^~~\n",
		"drops \\r\\n from the echoed line");
	EXPLAIN("break 0x1234 hw",
		"not a kernel address '0x1234'\n"
		"  break 0x1234 hw\n"
		"        ^~~~~~\n",
		"of a user address underlines the address");

	EXPLAIN("disasm vfs_read 20",
		"unknown command 'disasm': write 'LOC [COUNT] [att|intel]' to the disasm file\n"
		"  disasm vfs_read 20\n"
		"  ^~~~~~\n",
		"of disasm written to control says which file takes it");
	EXPLAIN("  mem jiffies 8\n",
		"unknown command 'mem': write 'LOC LEN' to the mem file\n"
		"    mem jiffies 8\n"
		"    ^~~\n",
		"of mem written to control says which file takes it");
	EXPLAIN("break f over count",
		"over needs step=N or step=branch 'over'\n"
		"  break f over count\n"
		"          ^~~~\n",
		"of over without step=: points at over");
	EXPLAIN("watch x step=1",
		"option not valid for this command 'step=1': only break takes it\n"
		"  watch x step=1\n"
		"          ^~~~~~\n",
		"of step= on watch says only break takes it");
	EXPLAIN("watch x over",
		"option not valid for this command 'over': only break takes it\n"
		"  watch x over\n"
		"          ^~~~\n",
		"of over on watch says only break takes it");
	EXPLAIN("b f step=10000",
		"step must be 1..1000 or 'branch' '10000'\n"
		"  b f step=10000\n"
		"           ^~~~~\n",
		"of step=10000 points at the value");
	EXPLAIN("break f lua=on-hit",
		"not a Lua function name 'on-hit'\n"
		"  break f lua=on-hit\n"
		"              ^~~~~~\n",
		"of a bad lua= name points at the value");
	EXPLAIN("call",
		"missing Lua function name\n"
		"  call\n"
		"      ^\n",
		"of call without a name");
	EXPLAIN_VIEW(MDB_OP_MEM, "jiffies\n",
		"missing length\n"
		"  jiffies\n"
		"         ^\n",
		"of a mem line without LEN");
	EXPLAIN_VIEW(MDB_OP_DISASM, "vfs_read 5000 intel",
		"instruction count must be 1..1000 '5000'\n"
		"  vfs_read 5000 intel\n"
		"           ^~~~\n",
		"of a disasm count out of range");
	EXPLAIN_VIEW(MDB_OP_MEM, "0x1000 8",
		"not a kernel address '0x1000'\n"
		"  0x1000 8\n"
		"  ^~~~~~\n",
		"of a user address in a mem line");

	memset(line, 'x', sizeof(line));
	memcpy(line, "break ", 6);
	check_explain(line, sizeof(line), "line longer than " MDB_STR(MDB_LINE_MAX) " bytes\n",
		      "of a line too long is the message alone, no echo");

	/* No error: empty output. */
	parses("reset", &c, &e);
	out[0] = 'x';
	ret = mdb_parse_explain(out, sizeof(out), "reset", 5, &e);
	ok(ret == 0 && out[0] == '\0', "explain of no error writes \"\" and returns 0");
	ret = mdb_parse_explain(out, sizeof(out), "reset", 5, NULL);
	ok(ret == 0 && out[0] == '\0', "explain with a NULL error writes \"\"");

	/* snprintf-like truncation. */
	parses("break vfs_read foo", &c, &e);
	full = mdb_parse_explain(out, sizeof(out), "break vfs_read foo", 18, &e);
	memset(small, '#', sizeof(small));
	ret = mdb_parse_explain(small, sizeof(small), "break vfs_read foo", 18, &e);
	ok(ret == full && !strcmp(small, "unknown opt"),
	   "explain into a small buffer truncates, NUL-terminates, returns the full length");
	ret = mdb_parse_explain(NULL, 0, "break vfs_read foo", 18, &e);
	ok(ret == full, "explain with size 0 writes nothing and returns the full length");
	small[0] = '#';
	ret = mdb_parse_explain(small, 1, "break vfs_read foo", 18, &e);
	ok(ret == full && small[0] == '\0', "explain with size 1 writes only the NUL");

	/* Found by the fuzzer: 254 backslashes used to overflow MDB_EXPLAIN_MAX. */
	memset(line, '\\', MDB_LINE_MAX);
	line[0] = 'e';
	ret = parse(line, MDB_LINE_MAX, &c, &e);
	full = explain(out, sizeof(out), line, MDB_LINE_MAX, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_UNKNOWN_CMD && full < MDB_EXPLAIN_MAX &&
	   full == (int)strlen(out),
	   "%d-byte command of backslashes: explanation (%d bytes) fits MDB_EXPLAIN_MAX",
	   MDB_LINE_MAX, full);

	/* Worst case from a real parse fits MDB_EXPLAIN_MAX. */
	memset(line, 'y', MDB_LINE_MAX);
	memcpy(line, "watch x hw", 10);
	line[10] = '=';
	ret = parse(line, MDB_LINE_MAX, &c, &e);
	full = explain(out, sizeof(out), line, MDB_LINE_MAX, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_OPT_NOT_FOR && full < MDB_EXPLAIN_MAX,
	   "long explanation (%d bytes, %u-byte token plus hint) fits MDB_EXPLAIN_MAX",
	   full, e.len);

	full = explain_worst_case();
	ok(full < MDB_EXPLAIN_MAX,
	   "worst explanation of any code on any %d-byte line (%d bytes) fits "
	   "MDB_EXPLAIN_MAX (%d)", MDB_LINE_MAX, full, MDB_EXPLAIN_MAX);
}

/* ---- format and round trip ---- */

static void test_format(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "break vfs_read+0x10 hw pid=12 count", "break vfs_read+0x10 hw pid=12 count" },
		{ "b vfs_read",				"break vfs_read" },
		{ "bp  vfs_read+16",			"break vfs_read+0x10" },
		{ "break vfs_read+0",			"break vfs_read" },
		{ "b f+1",				"break f+0x1" },
		{ "break vfs_read+0X1F",		"break vfs_read+0x1f" },
		{ "break vfs_read+4294967295",		"break vfs_read+0xffffffff" },
		{ "break ext4:ext4_file_open+0x8 hw",	"break ext4:ext4_file_open+0x8 hw" },
		{ "break 9p:v9fs_open",			"break 9p:v9fs_open" },
		{ "break foo.isra.0 sw",		"break foo.isra.0 sw" },
		{ "break 0xFFFFFFFF81000000",		"break 0xffffffff81000000" },
		{ "break 0xffff800000000000",		"break 0xffff800000000000" },
		{ "break 0xffffffffffffffff",		"break 0xffffffffffffffff" },
		{ "break f sw pid=0x10",		"break f sw pid=16" },
		{ "break f count regs bt hw",		"break f hw count regs bt" },
		{ "break f bt cpu=0 comm=kworker/0:1",	"break f comm=kworker/0:1 cpu=0 bt" },
		{ "break f limit=0xffffffff",		"break f limit=4294967295" },
		{ "break f pid=4194304 cpu=8191 limit=1", "break f pid=4194304 cpu=8191 limit=1" },
		{ "break f comm=a=b#c",			"break f comm=a=b#c" },
		{ "wp jiffies",				"watch jiffies" },
		{ "watch jiffies w",			"watch jiffies w" },
		{ "watch jiffies rw len=0x8",		"watch jiffies len=8 rw" },
		{ "watch 0xffffffff82a0c000 len=4",	"watch 0xffffffff82a0c000 len=4" },
		{ "watch m:var+4 bt regs count limit=2 cpu=1 comm=a pid=1 rw len=2",
		  "watch m:var+0x4 len=2 rw pid=1 comm=a cpu=1 limit=2 count regs bt" },
		{ "break f step=5",			"break f step=5" },
		{ "b f over step=0x10",			"break f step=16 over" },
		{ "b f step=01000",			"break f step=1000" },
		{ "b f unsafe lua=on_hit if=want over step=branch",
		  "break f step=branch over if=want lua=on_hit unsafe" },
		{ "wp x unsafe if=f lua=g rw",		"watch x rw if=f lua=g unsafe" },
		{ "b m:f+4 unsafe lua=l if=i over step=branch bt regs count limit=1 cpu=0 "
		  "comm=x pid=1 sw",
		  "break m:f+0x4 sw pid=1 comm=x cpu=0 limit=1 count regs bt step=branch over "
		  "if=i lua=l unsafe" },
		{ "call  my_fn \r\n",			"call my_fn" },
		{ "load  /tmp/x.lua ",			"load /tmp/x.lua" },
		{ "b f args lua=g comm=dd",		"break f comm=dd lua=g args" },
		{ "b f ret maxactive=0x10 ft args",	"break f args ft ret maxactive=16" },
		{ "b f trace count",			"break f count trace" },
		{ "b f by=tid count",			"break f count by=tid" },
		{ "b f hist=elapsed ret count",		"break f count ret hist=elapsed" },
		{ "b f hist=arg6 lua=g",		"break f lua=g hist=arg6" },
		{ "watch x by=cpu",			"watch x by=cpu" },
		{ "b tp:a:b by=comm",			"break tp:a:b by=comm" },
		{ "b tp:sched:sched_switch args lua=g trace limit=2",
		  "break tp:sched:sched_switch limit=2 lua=g args trace" },
		{ "b tp:syscalls:sys_enter_openat comm=cat",	"break tp:syscalls:sys_enter_openat comm=cat" },
		{ "b tp:x",				"break tp:x" },
		{ "call _",				"call _" },
		{ "del 007",				"delete 7" },
		{ "bc all",				"delete all" },
		{ "delete 65535",			"delete 65535" },
		{ "be 1",				"enable 1" },
		{ "enable all",				"enable all" },
		{ "bd 2",				"disable 2" },
		{ "disable all",			"disable all" },
		{ "reset",				"reset" },
		{ "  reset  \r\n",			"reset" },
		{ "\tb\tf\t\tsw\n",			"break f sw" },
		{ "# comment",				"" },
		{ "",					"" },
	};
	char buf[MDB_CMD_TEXT_MAX], buf2[MDB_CMD_TEXT_MAX];
	struct mdb_parse_err e;
	struct mdb_cmd c1, c2;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		int r1 = parses(t[i].in, &c1, &e), r2, len;
		bool pass;

		len = mdb_cmd_format(buf, sizeof(buf), &c1);
		pass = r1 == 0 && !strcmp(buf, t[i].out) && len == (int)strlen(t[i].out);
		ok(pass, "format '%s' -> '%s'", shows(t[i].in), t[i].out);
		if (!pass)
			diag("got ret %d %s '%s'", r1, mdb_parse_code_name(e.code), buf);

		r2 = parses(buf, &c2, &e);
		mdb_cmd_format(buf2, sizeof(buf2), &c2);
		ok(r2 == 0 && !memcmp(&c1, &c2, sizeof(c1)) && !strcmp(buf, buf2),
		   "round trip '%s': parse(format(cmd)) == cmd", shows(t[i].in));
	}
}

/* The views print their file's line, without a command word. */
static void test_format_views(void)
{
	static const struct { enum mdb_op op; const char *in, *out; } t[] = {
		{ MDB_OP_DISASM, "vfs_read",			"vfs_read 10" },
		{ MDB_OP_DISASM, "vfs_read 20 intel",		"vfs_read 20 intel" },
		{ MDB_OP_DISASM, "vfs_read intel 0x14",		"vfs_read 20 intel" },
		{ MDB_OP_DISASM, "vfs_read att",		"vfs_read 10" },
		{ MDB_OP_DISASM, "vfs_read 3 att",		"vfs_read 3" },
		{ MDB_OP_DISASM, "vfs_read+0 1000",		"vfs_read 1000" },
		{ MDB_OP_DISASM, "ext4:ext4_llseek+16 1",	"ext4:ext4_llseek+0x10 1" },
		{ MDB_OP_DISASM, "0XFFFFFFFF81000000 intel",	"0xffffffff81000000 10 intel" },
		{ MDB_OP_DISASM, " \tf\t2 \r\n",		"f 2" },
		{ MDB_OP_MEM,	 "jiffies 64",			"jiffies 64" },
		{ MDB_OP_MEM,	 "jiffies 0x1000",		"jiffies 4096" },
		{ MDB_OP_MEM,	 "kvm:kvm_vcpu_cache+4 08",	"kvm:kvm_vcpu_cache+0x4 8" },
		{ MDB_OP_MEM,	 "0xffffffff82a0c000 1\n",	"0xffffffff82a0c000 1" },
	};
	char buf[MDB_CMD_TEXT_MAX], buf2[MDB_CMD_TEXT_MAX];
	struct mdb_parse_err e;
	struct mdb_cmd c1, c2;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		int r1 = parse_views(t[i].op, t[i].in, &c1, &e), r2, len;
		bool pass;

		len = mdb_cmd_format(buf, sizeof(buf), &c1);
		pass = r1 == 0 && !strcmp(buf, t[i].out) && len == (int)strlen(t[i].out);
		ok(pass, "format %s '%s' -> '%s'", mdb_op_name(t[i].op), shows(t[i].in),
		   t[i].out);
		if (!pass)
			diag("got ret %d %s '%s'", r1, mdb_parse_code_name(e.code), buf);

		r2 = parse_views(t[i].op, buf, &c2, &e);
		mdb_cmd_format(buf2, sizeof(buf2), &c2);
		ok(r2 == 0 && !memcmp(&c1, &c2, sizeof(c1)) && !strcmp(buf, buf2),
		   "round trip %s '%s': parse_view(format(cmd)) == cmd", mdb_op_name(t[i].op),
		   shows(t[i].in));
	}
}

/* Round trips of generated commands: every option combination. */
static void test_round_trip_combinations(void)
{
	static const char * const locs[] = {
		"vfs_read", "do_sys_open+0x4", "ext4:ext4_llseek", "m:s+4294967295",
		"0xffffffff81000000",
	};
	/* "over" comes before the step= it needs: order must not matter. */
	static const char * const bopts[] = {
		"hw", "sw", "pid=1", "comm=init", "cpu=7", "limit=100", "count", "regs", "bt",
		"over", "step=3", "step=branch", "unsafe", "lua=on_hit", "if=filter",
	};
	enum { B_OVER = 1U << 9, B_STEP = 3U << 10 };
	static const char * const wopts[] = {
		"len=1", "rw", "w", "pid=4194304", "comm=x", "cpu=8191", "limit=4294967295",
		"count", "regs", "bt", "unsafe", "lua=_", "if=F_9",
	};
	static const char * const dcounts[] = { "", "1", "0x3e8", "010" };
	static const char * const dsyntax[] = { "", "att", "intel" };
	char line[MDB_LINE_MAX], buf[MDB_CMD_TEXT_MAX];
	unsigned int bad = 0, total = 0, refused = 0, mask;
	struct mdb_parse_err e;
	struct mdb_cmd c1, c2;
	size_t l, i, k;

	for (l = 0; l < NELEM(locs); l++) {
		for (mask = 0; mask < 1U << NELEM(bopts); mask++) {
			int n = snprintf(line, sizeof(line), "b %s", locs[l]);

			if ((mask & 3) == 3)
				continue;	/* hw and sw conflict */
			if ((mask & B_STEP) == B_STEP)
				continue;	/* step= twice */
			for (i = 0; i < NELEM(bopts); i++)
				if (mask & (1U << i))
					n += snprintf(line + n, sizeof(line) - n, " %s", bopts[i]);
			total++;
			if ((mask & B_OVER) && !(mask & B_STEP)) {
				/* over without step=: refused, pointing at "over" */
				refused++;
				if (parses(line, &c1, &e) != -EINVAL ||
				    e.code != MDB_PERR_OVER_NEEDS_STEP ||
				    memcmp(line + e.pos, "over", 4) || e.len != 4) {
					if (!bad++)
						diag("first failure: '%s' not refused at over",
						     line);
				}
				continue;
			}
			if (parses(line, &c1, &e) ||
			    mdb_cmd_format(buf, sizeof(buf), &c1) > MDB_LINE_MAX ||
			    parses(buf, &c2, &e) || memcmp(&c1, &c2, sizeof(c1)) ||
			    (mask && !c1.opts_seen)) {
				if (!bad++)
					diag("first failure: '%s' -> '%s'", line, buf);
			}
		}
		for (mask = 0; mask < 1U << NELEM(wopts); mask++) {
			int n = snprintf(line, sizeof(line), "wp %s", locs[l]);

			if ((mask & 6) == 6)
				continue;	/* w and rw conflict */
			for (i = 0; i < NELEM(wopts); i++)
				if (mask & (1U << i))
					n += snprintf(line + n, sizeof(line) - n, " %s", wopts[i]);
			total++;
			if (parses(line, &c1, &e) ||
			    mdb_cmd_format(buf, sizeof(buf), &c1) > MDB_LINE_MAX ||
			    parses(buf, &c2, &e) || memcmp(&c1, &c2, sizeof(c1))) {
				if (!bad++)
					diag("first failure: '%s' -> '%s'", line, buf);
			}
		}
	}
	for (l = 0; l < NELEM(locs); l++) {
		for (i = 0; i < NELEM(dcounts); i++) {
			for (k = 0; k < 2 * NELEM(dsyntax); k++) {
				/* count then syntax, and syntax then count */
				const char *a = dcounts[i], *b = dsyntax[k / 2];

				if (k & 1) {
					a = dsyntax[k / 2];
					b = dcounts[i];
				}
				snprintf(line, sizeof(line), "%s %s %s", locs[l], a, b);
				total++;
				if (parse_views(MDB_OP_DISASM, line, &c1, &e) ||
				    mdb_cmd_format(buf, sizeof(buf), &c1) > MDB_LINE_MAX ||
				    parse_views(MDB_OP_DISASM, buf, &c2, &e) ||
				    memcmp(&c1, &c2, sizeof(c1))) {
					if (!bad++)
						diag("first failure: disasm '%s' -> '%s'", line,
						     buf);
				}
			}
		}
		snprintf(line, sizeof(line), "%s 4096", locs[l]);
		total++;
		if (parse_views(MDB_OP_MEM, line, &c1, &e) ||
		    mdb_cmd_format(buf, sizeof(buf), &c1) > MDB_LINE_MAX ||
		    parse_views(MDB_OP_MEM, buf, &c2, &e) || memcmp(&c1, &c2, sizeof(c1))) {
			if (!bad++)
				diag("first failure: mem '%s' -> '%s'", line, buf);
		}
	}
	ok(bad == 0, "round trip of %u generated break/watch/disasm/mem lines (all option "
	   "subsets; the %u with over but no step= refused)", total, refused);
}

static void test_format_edges(void)
{
	char buf[MDB_CMD_TEXT_MAX], small[8];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int full, ret, i;

	parses("break vfs_read hw", &c, &e);
	full = mdb_cmd_format(buf, sizeof(buf), &c);
	memset(small, '#', sizeof(small));
	ret = mdb_cmd_format(small, sizeof(small), &c);
	ok(ret == full && ret == 17 && !strcmp(small, "break v"),
	   "format into a small buffer truncates, NUL-terminates, returns the full length");
	ret = mdb_cmd_format(NULL, 0, &c);
	ok(ret == full, "format with size 0 writes nothing and returns the full length");

	/*
	 * Worst case: every option bit, every value at its type's maximum,
	 * names unterminated. Not a command the parser makes (hw and sw,
	 * numbers out of range), so an upper bound of what it can make.
	 */
	memset(&c, 0, sizeof(c));
	c.op = MDB_OP_WATCH;
	memset(c.loc.module, 'm', sizeof(c.loc.module));
	memset(c.loc.sym, 's', sizeof(c.loc.sym));
	c.loc.off = ~0ULL;
	c.pid = -1;
	c.cpu = -1;
	c.limit = ~0U;
	c.len = ~0U;
	c.step = MDB_STEP_BRANCH - 1;	/* 10 digits; "branch" is 6 */
	memset(c.comm, 'c', sizeof(c.comm));
	memset(c.ifn, 'i', sizeof(c.ifn));
	memset(c.lua, 'l', sizeof(c.lua));
	for (i = 0; i < MDB_OPT_NR; i++)
		c.opts_seen |= MDB_OPT_BIT(i);
	/* by= and hist= exclude each other (AGG_CONFLICT): the longer one */
	c.opts_seen &= ~MDB_OPT_BIT(MDB_OPT_BY);
	c.hist = MDB_HIST_ELAPSED;
	ret = mdb_cmd_format(buf, sizeof(buf), &c);
	ok(ret <= MDB_LINE_MAX && ret < MDB_CMD_TEXT_MAX && ret == (int)strlen(buf),
	   "worst-case formatted command (%d bytes) fits MDB_LINE_MAX (%d), so it can "
	   "be written back", ret, MDB_LINE_MAX);
	c.opts_seen |= ~0U << MDB_OPT_NR;
	ok(mdb_cmd_format(buf, sizeof(buf), &c) == ret,
	   "opts_seen bits past MDB_OPT_NR print nothing");
	c.op = MDB_OP_BREAK;
	c.step = MDB_STEP_BRANCH;
	mdb_cmd_format(buf, sizeof(buf), &c);
	ok(strstr(buf, " step=branch over if=iii") != NULL,
	   "step MDB_STEP_BRANCH prints as step=branch");
	for (i = MDB_OP_CALL; i <= MDB_OP_MEM; i++) {
		c.op = i;
		c.insns = ~0U;
		c.bytes = ~0U;
		c.intel = true;
		ret = mdb_cmd_format(buf, sizeof(buf), &c);
		ok(ret <= MDB_LINE_MAX && ret == (int)strlen(buf),
		   "worst-case formatted %s (%d bytes) fits MDB_LINE_MAX", mdb_op_name(i), ret);
	}
	c.op = MDB_OP_CALL;
	mdb_cmd_format(buf, sizeof(buf), &c);
	ok(strlen(buf) == 5 + MDB_FN_MAX, "call prints at most MDB_FN_MAX characters of lua");

	memset(&c, 0, sizeof(c));
	ret = mdb_cmd_format(buf, sizeof(buf), &c);
	ok(ret == 0 && buf[0] == '\0', "format of MDB_OP_NONE is \"\"");
	c.op = MDB_OP_NR;
	ret = mdb_cmd_format(buf, sizeof(buf), &c);
	ok(ret == 0 && buf[0] == '\0', "format of an out-of-range op is \"\"");
}

int main(void)
{
	test_commands();
	test_locations();
	test_name_limits();
	test_fn_names();
	test_options();
	test_boundaries();
	test_bad_inputs();
	test_views();
	test_bad_lines();
	test_blank_and_eol();
	test_messages();
	test_explain();
	test_format();
	test_format_views();
	test_round_trip_combinations();
	test_format_edges();

	printf("1..%u\n", t_num);
	if (t_failed)
		diag("%u of %u tests failed", t_failed, t_num);
	return t_failed ? 1 : 0;
}
