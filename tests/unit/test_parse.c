// SPDX-License-Identifier: GPL-2.0
/*
 * test_parse.c - unit tests of the mdb control-language parser (TAP output)
 *
 * Every line handed to the parser is first copied into a heap buffer of
 * exactly its length, without a NUL, so AddressSanitizer catches any read
 * past the end. Bad inputs are written like the ftrace selftests write
 * them: a '^' in the string marks where the error must point, and is
 * removed before parsing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static unsigned int t_num, t_failed;

static void __attribute__((format(printf, 2, 3)))
ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	t_num++;
	if (!pass)
		t_failed++;
	printf("%sok %u - ", pass ? "" : "not ", t_num);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static void __attribute__((format(printf, 1, 2)))
diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

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

/* Parse from an exact-size copy so ASan sees any over-read. */
static int parse(const char *line, size_t n, struct mdb_cmd *cmd,
		 struct mdb_parse_err *e)
{
	char *copy = malloc(n ? n : 1);
	int ret;

	memcpy(copy, line, n);
	ret = mdb_parse_line(copy, n, cmd, e);
	free(copy);
	return ret;
}

static int parses(const char *line, struct mdb_cmd *cmd, struct mdb_parse_err *e)
{
	return parse(line, strlen(line), cmd, e);
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
	   !strcmp(mdb_op_name(MDB_OP_NONE), "") &&
	   !strcmp(mdb_op_name(MDB_OP_NR), ""),
	   "mdb_op_name() gives the long names, \"\" for NONE and out of range");
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

enum field { F_PID, F_CPU, F_LIMIT, F_LEN, F_ID, F_OFF };

static u64 get_field(const struct mdb_cmd *c, enum field f)
{
	switch (f) {
	case F_PID:	return c->pid;
	case F_CPU:	return c->cpu;
	case F_LIMIT:	return c->limit;
	case F_LEN:	return c->len;
	case F_ID:	return c->id;
	case F_OFF:	return c->loc.off;
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
	};
	static const char * const fname[] = { "pid", "cpu", "limit", "len", "id", "off" };
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
	char line[512], out[MDB_EXPLAIN_MAX], want[MDB_LINE_MAX + 8];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		const char *mark = strchr(t[i].line, '^');
		size_t pos = mark - t[i].line, n;
		const char *nl;
		int ret;
		bool pass;

		n = snprintf(line, sizeof(line), "%.*s%s", (int)pos, t[i].line, mark + 1);
		ret = parse(line, n, &c, &e);
		pass = ret == -t[i].err && e.err == -t[i].err && e.code == t[i].code &&
		       e.pos == pos && e.len == t[i].len && c.op == MDB_OP_NONE;
		ok(pass, "'%s' -> %s (-%s) at %zu+%u", show(line, n),
		   mdb_parse_code_name(t[i].code),
		   t[i].err == EINVAL ? "EINVAL" : t[i].err == ERANGE ? "ERANGE" : "?",
		   pos, t[i].len);
		if (!pass)
			diag("got ret %d %s err %d at %u+%u op %d", ret,
			     mdb_parse_code_name(e.code), e.err, e.pos, e.len, c.op);

		/* The caret line of the explanation is under the same bytes. */
		explain(out, sizeof(out), line, n, &e);
		nl = strchr(out, '\n');
		nl = nl ? strchr(nl + 1, '\n') : NULL;
		snprintf(want, sizeof(want), "  %*s^%.*s\n", (int)pos, "",
			 t[i].len > 1 ? (int)t[i].len - 1 : 0,
			 "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
		pass = nl && !strcmp(nl + 1, want);
		ok(pass, "explain '%s': caret at column %zu, %u wide", show(line, n),
		   pos + 2, t[i].len ? t[i].len : 1);
		if (!pass)
			diag("explain gave '%s'", shows(out));
	}
	diag("%zu bad inputs", NELEM(t));
}

/* NUL and over-long lines cannot be written with the '^' marker. */
static void test_bad_lines(void)
{
	char line[600];
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
	ret = parse(line, 600, &c, &e);
	ok(ret == -E2BIG && e.pos == MDB_LINE_MAX && e.len == 600 - MDB_LINE_MAX,
	   "line of 600 bytes: LINE_TOO_LONG spans the excess");
	line[MDB_LINE_MAX + 1] = '\n';
	ret = parse(line, MDB_LINE_MAX + 2, &c, &e);
	ok(ret == -E2BIG, "line of %d bytes plus \"\\n\" is too long", MDB_LINE_MAX + 1);
	line[0] = '\x01';
	ret = parse(line, 600, &c, &e);
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
		{ MDB_PERR_LINE_TOO_LONG, "line longer than 256 bytes",		E2BIG },
		{ MDB_PERR_SYM_TOO_LONG, "symbol longer than 127 characters",	ENAMETOOLONG },
		{ MDB_PERR_MOD_TOO_LONG, "module name longer than 55 characters", ENAMETOOLONG },
		{ MDB_PERR_BAD_PID,	 "pid must be 1..4194304",		ERANGE },
		{ MDB_PERR_BAD_CPU,	 "cpu must be 0..8191",			ERANGE },
		{ MDB_PERR_BAD_LIMIT,	 "limit must be 1..4294967295",		ERANGE },
		{ MDB_PERR_ID_RANGE,	 "breakpoint id must be 1..65535",	ERANGE },
		{ MDB_PERR_OFF_RANGE,	 "offset larger than 0xffffffff",	ERANGE },
		{ MDB_PERR_BAD_COMM,	 "comm longer than 15 characters",	EINVAL },
	};
	int code;
	size_t i;

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

static void check_explain(const char *line, size_t n, const char *want,
			  const char *what)
{
	char out[MDB_EXPLAIN_MAX];
	struct mdb_parse_err e;
	struct mdb_cmd c;
	int ret;

	parse(line, n, &c, &e);
	ret = explain(out, sizeof(out), line, n, &e);
	ok(!strcmp(out, want) && ret == (int)strlen(want), "explain %s", what);
	if (strcmp(out, want)) {
		diag("want '%s'", shows(want));
		diag("got  '%s'", shows(out));
	}
}

#define EXPLAIN(line, want, what)	check_explain(line, sizeof(line) - 1, want, what)

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

	memset(line, 'x', sizeof(line));
	memcpy(line, "break ", 6);
	check_explain(line, sizeof(line), "line longer than 256 bytes\n",
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
	   "256-byte command of backslashes: explanation (%d bytes) fits MDB_EXPLAIN_MAX",
	   full);

	/* Worst case from a real parse fits MDB_EXPLAIN_MAX. */
	memset(line, 'y', MDB_LINE_MAX);
	memcpy(line, "watch x hw", 10);
	line[10] = '=';
	ret = parse(line, MDB_LINE_MAX, &c, &e);
	full = explain(out, sizeof(out), line, MDB_LINE_MAX, &e);
	ok(ret == -EINVAL && e.code == MDB_PERR_OPT_NOT_FOR && full < MDB_EXPLAIN_MAX,
	   "long explanation (%d bytes, %u-byte token plus hint) fits MDB_EXPLAIN_MAX",
	   full, e.len);
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

/* Round trips of generated commands: every option combination. */
static void test_round_trip_combinations(void)
{
	static const char * const locs[] = {
		"vfs_read", "do_sys_open+0x4", "ext4:ext4_llseek", "m:s+4294967295",
		"0xffffffff81000000",
	};
	static const char * const bopts[] = {
		"hw", "sw", "pid=1", "comm=init", "cpu=7", "limit=100", "count", "regs", "bt",
	};
	static const char * const wopts[] = {
		"len=1", "rw", "w", "pid=4194304", "comm=x", "cpu=8191", "limit=4294967295",
		"count", "regs", "bt",
	};
	char line[MDB_LINE_MAX], buf[MDB_CMD_TEXT_MAX];
	unsigned int bad = 0, total = 0, mask;
	struct mdb_parse_err e;
	struct mdb_cmd c1, c2;
	size_t l, i;

	for (l = 0; l < NELEM(locs); l++) {
		for (mask = 0; mask < 1U << NELEM(bopts); mask++) {
			int n = snprintf(line, sizeof(line), "b %s", locs[l]);

			if ((mask & 3) == 3)
				continue;	/* hw and sw conflict */
			for (i = 0; i < NELEM(bopts); i++)
				if (mask & (1U << i))
					n += snprintf(line + n, sizeof(line) - n, " %s", bopts[i]);
			total++;
			if (parses(line, &c1, &e) ||
			    mdb_cmd_format(buf, sizeof(buf), &c1) >= (int)sizeof(buf) ||
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
			    mdb_cmd_format(buf, sizeof(buf), &c1) >= (int)sizeof(buf) ||
			    parses(buf, &c2, &e) || memcmp(&c1, &c2, sizeof(c1))) {
				if (!bad++)
					diag("first failure: '%s' -> '%s'", line, buf);
			}
		}
	}
	ok(bad == 0, "round trip of %u generated break/watch commands (all option subsets)",
	   total);
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

	/* Worst case: every option bit, every value at its type's maximum. */
	memset(&c, 0, sizeof(c));
	c.op = MDB_OP_WATCH;
	memset(c.loc.module, 'm', MDB_MOD_MAX);
	memset(c.loc.sym, 's', MDB_SYM_MAX);
	c.loc.off = ~0ULL;
	c.pid = -1;
	c.cpu = -1;
	c.limit = ~0U;
	c.len = ~0U;
	memset(c.comm, 'c', MDB_COMM_MAX);
	for (i = 0; i < MDB_OPT_NR; i++)
		c.opts_seen |= MDB_OPT_BIT(i);
	ret = mdb_cmd_format(buf, sizeof(buf), &c);
	ok(ret < MDB_CMD_TEXT_MAX && ret == (int)strlen(buf),
	   "worst-case formatted command (%d bytes) fits MDB_CMD_TEXT_MAX", ret);

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
	test_options();
	test_boundaries();
	test_bad_inputs();
	test_bad_lines();
	test_blank_and_eol();
	test_messages();
	test_explain();
	test_format();
	test_round_trip_combinations();
	test_format_edges();

	printf("1..%u\n", t_num);
	if (t_failed)
		diag("%u of %u tests failed", t_failed, t_num);
	return t_failed ? 1 : 0;
}
