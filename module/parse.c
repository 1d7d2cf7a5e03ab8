// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - the mdb control language: the grammar and its parser, one
 * line in, one struct mdb_cmd out
 *
 * Users write one command per line into /sys/kernel/debug/mdb/control. The
 * kernel splits the write into lines and hands each to mdb_parse_line(),
 * which only checks syntax and ranges: resolving symbols, checking that a
 * cpu is online or that an id exists is the caller's job. What is written
 * to the disasm and mem files goes to mdb_parse_view() instead.
 *
 * Runs in process context, but could run anywhere: it never allocates,
 * never writes global state, takes no locks and uses under 512 bytes of
 * stack. The same files build in user space for unit tests and fuzzing,
 * so both builds accept and reject exactly the same lines.
 *
 * The parser's files, each calling only the ones after it (parse_int.h):
 * parse_format.c (a command back to text, errors explained), parse.c (this
 * file: the grammar, locations, commands), parse_check.c (the rules between
 * options), parse_opt.c (the option table), parse_lex.c (tokens, numbers,
 * the error list).
 */
#include "parse_int.h"

/* Kernel half of the x86-64 4-level address space. */
#define MDB_KERNEL_START	0xffff800000000000ULL

/*
 * Grammar (tokens are separated by spaces or tabs):
 *
 *  break|b|bp     LOC [hw|sw|ft] [pid=N] [comm=S] [cpu=N] [limit=N]
 *                     [count] [regs] [bt] [step=N|step=branch [over]]
 *                     [if=FN] [lua=FN] [unsafe] [args]
 *                     [ret [maxactive=N]]   (ret: not with hw, step=)
 *                     [trace] [by=comm|pid|tid|cpu]
 *                     [hist=retval|elapsed|arg1..arg6]  (not with by=;
 *                     retval, elapsed: with ret; argN: without)
 *  watch|wp       LOC [len=1|2|4|8] [w|rw] [pid=N] [comm=S] [cpu=N]
 *                     [limit=N] [count] [regs] [bt] [if=FN] [lua=FN]
 *                     [unsafe] [trace] [by=comm|pid|tid|cpu]
 *  delete|del|bc  ID|all
 *  enable|be      ID|all
 *  disable|bd     ID|all
 *  reset
 *  call           FN
 *  load           PATH                      an absolute path, at most
 *                                           MDB_PATH_MAX bytes, no blanks
 *  # comment      (also: blank line; both parse to MDB_OP_NONE)
 *
 *  LOC    := SYMBOL | SYMBOL+OFF | MODULE:SYMBOL | MODULE:SYMBOL+OFF | 0xADDR
 *            | tp:SUBSYSTEM:NAME        break only: a kernel tracepoint; not
 *                                       with hw sw ft ret maxactive= step=
 *                                       over unsafe hist=
 *  SYMBOL := [A-Za-z_.$][A-Za-z0-9_.$]*     at most MDB_SYM_MAX characters
 *  MODULE := [A-Za-z0-9_-]+                 at most MDB_MOD_MAX characters
 *  OFF    := N                              at most 0xffffffff
 *  ADDR   := 1 to 16 hex digits, canonical (bits 63..47 equal) and in the
 *            kernel half (>= 0xffff800000000000)
 *  N      := DECIMAL | 0xHEX                no sign, no octal, fits in 64 bits
 *  ID     := DECIMAL                        1..65535
 *  S      := 1..15 printable ASCII characters other than blanks
 *  FN     := [A-Za-z_][A-Za-z0-9_]*         a Lua global: at most MDB_FN_MAX
 *                                           characters, not a Lua keyword
 *
 *  pid=1..4194304  cpu=0..8191  limit=1..4294967295  step=1..1000
 *  maxactive=1..4096
 *
 * Options come in any order, each at most once; "over" needs a step= and
 * "maxactive=" a "ret", but may come before it, so that check waits for the end of the line (an
 * error in a later option is reported first). A trailing "\n" or "\r\n"
 * is ignored; any other control character or non-ASCII byte is an error.
 * Command and option names are case-sensitive; hex digits and "0x" are not.
 *
 * The disasm and mem files take one line each, in the same tokens but
 * without a command word; mdb_parse_view() parses them, mdb_parse_line()
 * refuses "disasm" and "mem" as unknown commands:
 *
 *  disasm file    LOC [COUNT] [att|intel]   COUNT := N, 1..1000, default 10;
 *                                           COUNT and syntax in any order
 *  mem file       LOC LEN                   LEN := N, 1..4096
 */

/* The current token as NAME or NAME=VALUE. */
static int mdb_parse_opt(struct mdb_parser *p)
{
	const char *tok = p->line + p->tok;
	const char *eq = memchr(tok, '=', p->tlen);
	size_t nlen = eq ? (size_t)(eq - tok) : p->tlen;
	size_t vlen = eq ? p->tlen - nlen - 1 : 0;
	const struct mdb_opt *o = mdb_find_opt(tok, nlen);
	struct mdb_cmd *cmd = p->cmd;
	int code;

	if (!o)
		return mdb_fail_tok(p, MDB_PERR_UNKNOWN_OPT);
	if (!(o->cmds & (1U << cmd->op)))
		return mdb_fail_tok(p, MDB_PERR_OPT_NOT_FOR);
	if (o->id < 0)
		return mdb_fail_tok(p, o->err);
	code = mdb_check_opt(p, o);
	if (code)
		return code;
	if (!o->value && eq)
		return mdb_fail(p, MDB_PERR_FLAG_VALUE, p->tok + nlen, p->tlen - nlen);
	if (o->value && !vlen)
		return mdb_fail_tok(p, MDB_PERR_MISSING_VALUE);

	code = o->set(p, o, eq ? eq + 1 : NULL, vlen);
	if (code) {
		/* Point at the value if there is one, else at the word. */
		if (vlen)
			return mdb_fail(p, code, p->tok + nlen + 1, vlen);
		return mdb_fail_tok(p, code);
	}
	cmd->opts_seen |= MDB_OPT_BIT(o->id);
	p->opt_pos[o->id] = p->tok;
	return 0;
}

/* ---- locations ---- */

/* SYMBOL[+OFF] in line[pos..end). */
static int mdb_parse_sym(struct mdb_parser *p, size_t pos, size_t end)
{
	const char *line = p->line;
	const char *plus = memchr(line + pos, '+', end - pos);
	size_t send = plus ? (size_t)(plus - line) : end;
	size_t slen = send - pos;
	struct mdb_loc *loc = &p->cmd->loc;
	size_t i;

	if (!slen)
		return mdb_fail(p, MDB_PERR_EMPTY_SYM, pos, 0);
	if (mdb_is_digit(line[pos]))
		return mdb_fail(p, MDB_PERR_SYM_DIGIT, pos, slen);
	for (i = pos; i < send; i++)
		if (!mdb_is_sym_char(line[i]))
			return mdb_fail(p, MDB_PERR_BAD_SYM, i, 1);
	if (slen > MDB_SYM_MAX)
		return mdb_fail(p, MDB_PERR_SYM_TOO_LONG, pos, slen);

	if (plus) {
		/* Offset errors span "+OFF", so "sym+" still has a caret. */
		switch (mdb_parse_num(p, plus + 1, end - send - 1, true)) {
		case MDB_NUM_BAD:
			return mdb_fail(p, MDB_PERR_BAD_OFF, send, end - send);
		case MDB_NUM_OVERFLOW:
			return mdb_fail(p, MDB_PERR_NUM_OVERFLOW, send, end - send);
		}
		if (p->num > MDB_OFF_MAX)
			return mdb_fail(p, MDB_PERR_OFF_RANGE, send, end - send);
		loc->off = p->num;
	}
	memcpy(loc->sym, line + pos, slen);
	loc->sym[slen] = '\0';
	return 0;
}

/* 0xADDR: the current token, "0x" already seen. */
static int mdb_parse_addr(struct mdb_parser *p)
{
	const char *s = p->line + p->tok;
	size_t i;
	u64 top;

	for (i = 2; i < p->tlen; i++)
		if (mdb_hex_val(s[i]) < 0)
			return mdb_fail(p, MDB_PERR_BAD_ADDR, p->tok + i, 1);
	if (p->tlen < 3 || p->tlen > 18)
		return mdb_fail_tok(p, MDB_PERR_BAD_ADDR);
	/* 1 to 16 hex digits cannot overflow. */
	mdb_parse_num(p, s, p->tlen, true);

	/* x86-64 4-level paging: bits 63..47 must all be equal. */
	top = p->num >> 47;
	if (top != 0 && top != 0x1ffff)
		return mdb_fail_tok(p, MDB_PERR_NONCANONICAL);
	if (p->num < MDB_KERNEL_START)
		return mdb_fail_tok(p, MDB_PERR_USER_ADDR);
	p->cmd->loc.addr = p->num;
	return 0;
}

/* LOC: the current token. */
/* tp:SUBSYSTEM:NAME, both parts [A-Za-z0-9_]+ (break only). */
static int mdb_parse_tp(struct mdb_parser *p)
{
	const char *tok = p->line + p->tok;
	const char *sub = tok + 3, *end = tok + p->tlen;
	const char *colon = memchr(sub, ':', end - sub);
	struct mdb_loc *loc = &p->cmd->loc;
	size_t slen, nlen, i;

	if (p->cmd->op != MDB_OP_BREAK)
		return mdb_fail_tok(p, MDB_PERR_TP_WATCH);
	if (!colon)
		return mdb_fail_tok(p, MDB_PERR_BAD_TP);
	slen = colon - sub;
	nlen = end - colon - 1;
	if (!slen || !nlen || slen > MDB_MOD_MAX || nlen > MDB_SYM_MAX)
		return mdb_fail_tok(p, MDB_PERR_BAD_TP);
	for (i = 0; i < p->tlen - 3; i++)
		if (sub[i] != ':' ? !(mdb_is_alnum(sub[i]) || sub[i] == '_') : sub + i != colon)
			return mdb_fail(p, MDB_PERR_BAD_TP, p->tok + 3 + i, 1);
	loc->tp = true;
	memcpy(loc->module, sub, slen);
	loc->module[slen] = '\0';
	memcpy(loc->sym, colon + 1, nlen);
	loc->sym[nlen] = '\0';
	return 0;
}

static int mdb_parse_loc(struct mdb_parser *p)
{
	const char *tok = p->line + p->tok;
	const char *colon = memchr(tok, ':', p->tlen);
	size_t mlen, i;

	/* tp:SUBSYSTEM:NAME: two colons (a module named tp has one) */
	if (colon && colon - tok == 2 && !memcmp(tok, "tp", 2) &&
	    memchr(colon + 1, ':', p->tlen - 3))
		return mdb_parse_tp(p);
	if (!colon) {
		if (mdb_has_0x(tok, p->tlen))
			return mdb_parse_addr(p);
		return mdb_parse_sym(p, p->tok, p->tok + p->tlen);
	}

	mlen = colon - tok;
	if (!mlen)
		return mdb_fail(p, MDB_PERR_EMPTY_MOD, p->tok, 1);
	for (i = 0; i < mlen; i++)
		if (!mdb_is_mod_char(tok[i]))
			return mdb_fail(p, MDB_PERR_BAD_MOD, p->tok + i, 1);
	if (mlen > MDB_MOD_MAX)
		return mdb_fail(p, MDB_PERR_MOD_TOO_LONG, p->tok, mlen);
	memcpy(p->cmd->loc.module, tok, mlen);
	p->cmd->loc.module[mlen] = '\0';
	return mdb_parse_sym(p, p->tok + mlen + 1, p->tok + p->tlen);
}

/* ---- commands ---- */

/* The LOC that starts break, watch and the view lines. */
static int mdb_parse_first_loc(struct mdb_parser *p)
{
	if (!mdb_next_tok(p))
		return mdb_fail(p, MDB_PERR_MISSING_LOC, p->n, 0);
	return mdb_parse_loc(p);
}

/* break/watch: LOC [OPTION]... */
static int mdb_parse_probe(struct mdb_parser *p)
{
	int ret = mdb_parse_first_loc(p);

	while (!ret && mdb_next_tok(p))
		ret = mdb_parse_opt(p);
	return ret ? ret : mdb_check_probe(p);
}

/* Nothing may follow. */
static int mdb_parse_end(struct mdb_parser *p)
{
	if (mdb_next_tok(p))
		return mdb_fail_tok(p, MDB_PERR_EXTRA_ARG);
	return 0;
}

/* call: FN */
static int mdb_parse_call(struct mdb_parser *p)
{
	int code;

	if (!mdb_next_tok(p))
		return mdb_fail(p, MDB_PERR_MISSING_FN, p->n, 0);
	code = mdb_check_fn(p->line + p->tok, p->tlen);
	if (code)
		return mdb_fail_tok(p, code);
	memcpy(p->cmd->lua, p->line + p->tok, p->tlen);
	p->cmd->lua[p->tlen] = '\0';
	return mdb_parse_end(p);
}

/* load PATH: one absolute path. */
static int mdb_parse_load(struct mdb_parser *p)
{
	if (!mdb_next_tok(p))
		return mdb_fail(p, MDB_PERR_MISSING_PATH, p->n, 0);
	if (p->line[p->tok] != '/')
		return mdb_fail_tok(p, MDB_PERR_REL_PATH);
	if (p->tlen > MDB_PATH_MAX)
		return mdb_fail_tok(p, MDB_PERR_PATH_TOO_LONG);
	memcpy(p->cmd->path, p->line + p->tok, p->tlen);
	p->cmd->path[p->tlen] = '\0';
	return mdb_parse_end(p);
}

/* The current token as a number in 1..@max, stored in *@dst. */
static int mdb_parse_count(struct mdb_parser *p, u32 max, int err, u32 *dst)
{
	switch (mdb_parse_num(p, p->line + p->tok, p->tlen, true)) {
	case MDB_NUM_BAD:
		return mdb_fail_tok(p, MDB_PERR_BAD_NUM);
	case MDB_NUM_OVERFLOW:
		return mdb_fail_tok(p, MDB_PERR_NUM_OVERFLOW);
	}
	if (p->num < 1 || p->num > max)
		return mdb_fail_tok(p, err);
	*dst = p->num;
	return 0;
}

/*
 * disasm file: LOC [COUNT] [att|intel]. COUNT and the syntax may come in
 * either order; a token starting with a digit is the COUNT.
 */
static int mdb_parse_disasm(struct mdb_parser *p)
{
	struct mdb_cmd *cmd = p->cmd;
	bool counted = false, syntax = false;
	int ret = mdb_parse_first_loc(p);

	cmd->insns = MDB_INSNS_DEFAULT;
	while (!ret && mdb_next_tok(p)) {
		const char *tok = p->line + p->tok;
		bool intel = mdb_mem_is(tok, p->tlen, "intel");

		if (intel || mdb_mem_is(tok, p->tlen, "att")) {
			if (syntax)
				return mdb_fail_tok(p, intel == cmd->intel ?
						    MDB_PERR_DUP_OPT : MDB_PERR_CONFLICT);
			syntax = true;
			cmd->intel = intel;
		} else if (mdb_is_digit(*tok)) {
			if (counted)
				return mdb_fail_tok(p, MDB_PERR_EXTRA_ARG);
			counted = true;
			ret = mdb_parse_count(p, MDB_INSNS_MAX, MDB_PERR_BAD_INSNS,
					      &cmd->insns);
		} else {
			return mdb_fail_tok(p, MDB_PERR_UNKNOWN_OPT);
		}
	}
	return ret;
}

/* mem file: LOC LEN */
static int mdb_parse_mem(struct mdb_parser *p)
{
	int ret = mdb_parse_first_loc(p);

	if (ret)
		return ret;
	if (!mdb_next_tok(p))
		return mdb_fail(p, MDB_PERR_MISSING_LEN, p->n, 0);
	ret = mdb_parse_count(p, MDB_MEM_MAX, MDB_PERR_BAD_MEM_LEN, &p->cmd->bytes);
	return ret ? ret : mdb_parse_end(p);
}

/* delete/enable/disable: ID|all */
static int mdb_parse_id(struct mdb_parser *p)
{
	const char *tok;

	if (!mdb_next_tok(p))
		return mdb_fail(p, MDB_PERR_MISSING_ID, p->n, 0);
	tok = p->line + p->tok;
	if (mdb_mem_is(tok, p->tlen, "all")) {
		p->cmd->all = true;
	} else {
		switch (mdb_parse_num(p, tok, p->tlen, false)) {
		case MDB_NUM_BAD:
			return mdb_fail_tok(p, MDB_PERR_BAD_ID);
		case MDB_NUM_OVERFLOW:
			return mdb_fail_tok(p, MDB_PERR_NUM_OVERFLOW);
		}
		if (p->num < 1 || p->num > MDB_ID_MAX)
			return mdb_fail_tok(p, MDB_PERR_ID_RANGE);
		p->cmd->id = p->num;
	}
	return mdb_parse_end(p);
}

/* The commands: struct mdb_verb is in parse_int.h. */
const struct mdb_verb mdb_verbs[MDB_OP_NR] = {
	[MDB_OP_BREAK]   = { "break",   { "b", "bp" },   mdb_parse_probe,  NULL },
	[MDB_OP_WATCH]   = { "watch",   { "wp" },        mdb_parse_probe,  NULL },
	[MDB_OP_DELETE]  = { "delete",  { "del", "bc" }, mdb_parse_id,     NULL },
	[MDB_OP_ENABLE]  = { "enable",  { "be" },        mdb_parse_id,     NULL },
	[MDB_OP_DISABLE] = { "disable", { "bd" },        mdb_parse_id,     NULL },
	[MDB_OP_RESET]   = { "reset",   { NULL },        mdb_parse_end,    NULL },
	[MDB_OP_CALL]    = { "call",    { NULL },        mdb_parse_call,   NULL },
	[MDB_OP_LOAD]    = { "load",    { NULL },        mdb_parse_load,   NULL },
	[MDB_OP_DISASM]  = { "disasm",  { NULL },        mdb_parse_disasm,
			     "LOC [COUNT] [att|intel]" },
	[MDB_OP_MEM]     = { "mem",     { NULL },        mdb_parse_mem,    "LOC LEN" },
};

bool mdb_is_view(enum mdb_op op)
{
	return op > MDB_OP_NONE && op < MDB_OP_NR && mdb_verbs[op].view;
}

enum mdb_op mdb_find_verb(const char *s, size_t n)
{
	size_t op, i;

	for (op = MDB_OP_NONE + 1; op < MDB_OP_NR; op++) {
		const struct mdb_verb *v = &mdb_verbs[op];

		if (mdb_mem_is(s, n, v->name))
			return op;
		for (i = 0; i < MDB_NELEM(v->alias) && v->alias[i]; i++)
			if (mdb_mem_is(s, n, v->alias[i]))
				return op;
	}
	return MDB_OP_NONE;
}

static void mdb_cmd_init(struct mdb_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->op = MDB_OP_NONE;
	cmd->impl = MDB_IMPL_AUTO;
	cmd->wmode = MDB_WMODE_W;
	cmd->cpu = -1;
}

/* What both entry points do first: reset the outputs, check length and bytes. */
static int mdb_parse_start(struct mdb_parser *p)
{
	size_t i;

	memset(p->e, 0, sizeof(*p->e));
	mdb_cmd_init(p->cmd);

	if (p->n > MDB_LINE_MAX) {
		i = p->n - MDB_LINE_MAX;
		return mdb_fail(p, MDB_PERR_LINE_TOO_LONG, MDB_LINE_MAX,
				i > ~0U ? ~0U : i);
	}
	/* Checked up front so no later step meets a NUL, "\r" or UTF-8. */
	for (i = 0; i < p->n; i++)
		if (!mdb_is_print(p->line[i]) && p->line[i] != '\t')
			return mdb_fail(p, MDB_PERR_BAD_CHAR, i, 1);
	return 0;
}

/**
 * mdb_parse_line() - parse one line of the control language
 * @line: the line; need not be NUL-terminated, may end in "\n" or "\r\n"
 * @n:    its length in bytes
 * @cmd:  filled with the command; reset to MDB_OP_NONE on error
 * @e:    filled with the reason and the byte span of the culprit; may be NULL
 *
 * Blank lines and comments succeed with @cmd->op == MDB_OP_NONE. Only
 * syntax and ranges are checked; nothing is looked up. Reads no byte
 * outside line[0..n). The view lines are not commands: "disasm ..." and
 * "mem ..." fail with UNKNOWN_CMD (see mdb_parse_view()).
 *
 * Context: any. No allocation, no global state, small fixed stack.
 * Return: 0, or the negative errno of the error (also in @e->err).
 */
int mdb_parse_line(const char *line, size_t n, struct mdb_cmd *cmd,
		   struct mdb_parse_err *e)
{
	struct mdb_parse_err dummy;
	struct mdb_parser p = {
		.line = line,
		.n = mdb_strip_eol(line, n),
		.cmd = cmd,
		.e = e ? e : &dummy,
	};
	enum mdb_op op;
	int ret;

	ret = mdb_parse_start(&p);
	if (ret)
		return ret;
	if (!mdb_next_tok(&p) || line[p.tok] == '#')
		return 0;

	op = mdb_find_verb(line + p.tok, p.tlen);
	if (op == MDB_OP_NONE || mdb_is_view(op))
		return mdb_fail_tok(&p, MDB_PERR_UNKNOWN_CMD);
	cmd->op = op;
	ret = mdb_verbs[op].parse(&p);
	if (ret)
		mdb_cmd_init(cmd);
	return ret;
}

/**
 * mdb_parse_view() - parse a line written to the disasm or mem file
 * @op:   MDB_OP_DISASM or MDB_OP_MEM: which file
 * @line: the line; need not be NUL-terminated, may end in "\n" or "\r\n"
 * @n:    its length in bytes
 * @cmd:  filled with the request, @cmd->op = @op; reset to MDB_OP_NONE
 *        on error
 * @e:    filled with the reason and the byte span of the culprit; may be NULL
 *
 * disasm: "LOC [COUNT] [att|intel]", COUNT and the syntax in any order;
 * sets @cmd->loc, @cmd->insns (MDB_INSNS_DEFAULT if not given) and
 * @cmd->intel. mem: "LOC LEN"; sets @cmd->loc and @cmd->bytes. LOC is the
 * location of break and watch, user addresses refused. The line has no
 * command word; a blank line is MISSING_LOC and '#' starts no comment.
 * Any other @op fails with UNKNOWN_CMD at 0+0. Errors are explained by
 * mdb_parse_explain() like those of mdb_parse_line().
 *
 * Context: any. No allocation, no global state, small fixed stack.
 * Return: 0, or the negative errno of the error (also in @e->err).
 */
int mdb_parse_view(enum mdb_op op, const char *line, size_t n,
		   struct mdb_cmd *cmd, struct mdb_parse_err *e)
{
	struct mdb_parse_err dummy;
	struct mdb_parser p = {
		.line = line,
		.n = mdb_strip_eol(line, n),
		.cmd = cmd,
		.e = e ? e : &dummy,
	};
	int ret;

	ret = mdb_parse_start(&p);
	if (ret)
		return ret;
	if (!mdb_is_view(op))
		return mdb_fail(&p, MDB_PERR_UNKNOWN_CMD, 0, 0);

	cmd->op = op;
	ret = mdb_verbs[op].parse(&p);
	if (ret)
		mdb_cmd_init(cmd);
	return ret;
}

/**
 * mdb_op_name() - the canonical name of a command
 * @op: enum mdb_op
 *
 * Return: "break", "watch", ...; "" for MDB_OP_NONE and unknown values.
 */
const char *mdb_op_name(enum mdb_op op)
{
	if (op <= MDB_OP_NONE || op >= MDB_OP_NR)
		return "";
	return mdb_verbs[op].name;
}
