// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - the mdb control language
 *
 * Users write one command per line into /sys/kernel/debug/mdb/control. The
 * kernel splits the write into lines and hands each to mdb_parse_line(),
 * which only checks syntax and ranges: resolving symbols, checking that a
 * cpu is online or that an id exists is the caller's job. What is written
 * to the disasm and mem files goes to mdb_parse_view() instead.
 *
 * Runs in process context, but could run anywhere: it never allocates,
 * never writes global state, takes no locks and uses under 512 bytes of
 * stack (about 410 at the deepest on x86-64). The same file builds in user
 * space for unit tests and fuzzing, so numbers are parsed here rather than
 * with kstrto*() or strtoul(): both builds must accept and reject exactly
 * the same lines.
 *
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
#include "parse.h"

#define MDB_NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Kernel half of the x86-64 4-level address space. */
#define MDB_KERNEL_START	0xffff800000000000ULL

#define C(name, err, msg)	msg,
static const char * const mdb_perr_msg[] = { MDB_PARSE_ERRORS };
#undef C
#define C(name, err, msg)	err,
static const unsigned short mdb_perr_errno[] = { MDB_PARSE_ERRORS };
#undef C
#define C(name, err, msg)	#name,
static const char * const mdb_perr_name[] = { MDB_PARSE_ERRORS };
#undef C

/* ---- character classes: our own, so both builds agree byte for byte ---- */

static bool mdb_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool mdb_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool mdb_is_alnum(char c)
{
	return mdb_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool mdb_is_sym_char(char c)
{
	return mdb_is_alnum(c) || c == '_' || c == '.' || c == '$';
}

static bool mdb_is_mod_char(char c)
{
	return mdb_is_alnum(c) || c == '_' || c == '-';
}

/* Printable ASCII, blank included; everything else is BAD_CHAR. */
static bool mdb_is_print(char c)
{
	return c >= ' ' && c <= '~';
}

/* Value of a hex digit, or -1. */
static int mdb_hex_val(char c)
{
	if (mdb_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool mdb_has_0x(const char *s, size_t n)
{
	return n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* ---- parser state ---- */

/**
 * struct mdb_parser - everything one mdb_parse_line() call works on
 * @line: the line, without its "\n" or "\r\n"
 * @n:    its length
 * @pos:  where the tokeniser resumes
 * @tok:  offset of the current token
 * @tlen: its length
 * @num:  value of the last number parsed
 * @cmd:  the command being filled
 * @e:    the error report
 * @opt_pos: where each option of @cmd->opts_seen was written, so checks
 *        made after the last option can still point at one
 *
 * One pointer instead of six arguments keeps every frame small.
 */
struct mdb_parser {
	const char *line;
	size_t n;
	size_t pos;
	size_t tok, tlen;
	u64 num;
	struct mdb_cmd *cmd;
	struct mdb_parse_err *e;
	unsigned short opt_pos[MDB_OPT_NR];
};

_Static_assert(MDB_LINE_MAX <= 0xffff, "opt_pos holds line offsets");

static int mdb_fail(struct mdb_parser *p, int code, size_t pos, size_t len)
{
	struct mdb_parse_err *e = p->e;

	e->code = code;
	e->err = -(int)mdb_perr_errno[code];
	e->pos = pos;
	e->len = len;
	return e->err;
}

/* Fail on the whole current token. */
static int mdb_fail_tok(struct mdb_parser *p, int code)
{
	return mdb_fail(p, code, p->tok, p->tlen);
}

/* ---- numbers ---- */

enum { MDB_NUM_OK, MDB_NUM_BAD, MDB_NUM_OVERFLOW };

/*
 * Parse all of s[0..n) into @p->num as an unsigned decimal or (if @hex_ok)
 * "0x" hex number. Every character is checked before overflow is
 * reported, so "99999999999999999999z" is BAD rather than OVERFLOW. No
 * division: the overflow tests are a shift and constant compares.
 */
static int mdb_parse_num(struct mdb_parser *p, const char *s, size_t n,
			 bool hex_ok)
{
	bool hex = hex_ok && mdb_has_0x(s, n);
	bool overflow = false;
	size_t i = hex ? 2 : 0;
	u64 v = 0;

	if (i == n)
		return MDB_NUM_BAD;
	for (; i < n; i++) {
		int d = mdb_hex_val(s[i]);

		if (d < 0 || (!hex && d > 9))
			return MDB_NUM_BAD;
		if (hex) {
			if (v >> 60)
				overflow = true;
			v = (v << 4) | d;
		} else {
			/* 2^64 - 1 == 1844674407370955161 * 10 + 5 */
			if (v > 1844674407370955161ULL ||
			    (v == 1844674407370955161ULL && d > 5))
				overflow = true;
			v = v * 10 + d;
		}
	}
	p->num = v;
	return overflow ? MDB_NUM_OVERFLOW : MDB_NUM_OK;
}

/* ---- tokens ---- */

/* Move to the next blank-separated token; false at the end of the line. */
static bool mdb_next_tok(struct mdb_parser *p)
{
	while (p->pos < p->n && mdb_is_blank(p->line[p->pos]))
		p->pos++;
	if (p->pos == p->n)
		return false;
	p->tok = p->pos;
	while (p->pos < p->n && !mdb_is_blank(p->line[p->pos]))
		p->pos++;
	p->tlen = p->pos - p->tok;
	return true;
}

static bool mdb_mem_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* Length without one trailing "\n" or "\r\n". */
static size_t mdb_strip_eol(const char *line, size_t n)
{
	if (n && line[n - 1] == '\n') {
		n--;
		if (n && line[n - 1] == '\r')
			n--;
	}
	return n;
}

/* ---- options ---- */

struct mdb_opt;
typedef int (*mdb_opt_set_t)(struct mdb_parser *p, const struct mdb_opt *o,
			     const char *v, size_t n);

/**
 * struct mdb_opt - one option word
 * @name:  as written, without "="
 * @id:    bit in opts_seen; -1 for words that exist only to explain a
 *         common mistake: they always fail with @err
 * @cmds:  bitmask of 1 << MDB_OP_* that accept it
 * @group: options sharing a non-zero group exclude each other (CONFLICT)
 * @value: takes "=VALUE" (else it is a flag and a value is an error)
 * @set:   store the option into the command; returns 0 or MDB_PERR_*
 * @field: offsetof() the struct mdb_cmd member that @set fills and the
 *         formatter prints
 * @arg:   value stored by mdb_opt_enum(), or by mdb_opt_num() for @word
 * @word:  numeric options: a word accepted instead of a number, stored as
 *         @arg and printed back as the word (step=branch)
 * @min:   numeric options: smallest value
 * @max:   numeric options: largest value; strings: largest length
 * @err:   MDB_PERR_* for a value outside @min..@max (for options with a
 *         @word also for a value that is neither), for id -1, or when
 *         none of @needs was given
 * @needs: MDB_OPT_BIT()s of which at least one must also be written;
 *         checked after the last option, so the order does not matter
 * @needs_err: MDB_PERR_* when none of @needs was given
 * @excludes: MDB_OPT_BIT()s that may not be written with it, in either
 *         order (besides @group): @excl_err
 * @hint:  said after OPT_NOT_FOR, to tell the user what to do instead
 */
struct mdb_opt {
	const char *name;
	int id;
	unsigned char cmds;
	unsigned char group;
	bool value;
	mdb_opt_set_t set;
	size_t field;
	u32 arg;
	const char *word;
	const char * const *words;	/* mdb_opt_words(): the values, NULL-ended */
	u64 min, max;
	int err;
	u32 needs;
	int needs_err;
	u32 excludes;
	int excl_err;
	const char *hint;
};

#define MDB_BP		(1U << MDB_OP_BREAK)
#define MDB_WP		(1U << MDB_OP_WATCH)
#define MDB_PROBE	(MDB_BP | MDB_WP)

enum { MDB_GRP_NONE, MDB_GRP_IMPL, MDB_GRP_WMODE };

static void *mdb_field(struct mdb_parser *p, const struct mdb_opt *o)
{
	return (char *)p->cmd + o->field;
}

/* Flags: set a bool member. */
static int mdb_opt_flag(struct mdb_parser *p, const struct mdb_opt *o,
			const char *v __always_unused, size_t n __always_unused)
{
	*(bool *)mdb_field(p, o) = true;
	return 0;
}

/* Enum flags (hw, sw, w, rw): store @arg in a 32-bit enum member. */
static int mdb_opt_enum(struct mdb_parser *p, const struct mdb_opt *o,
			const char *v __always_unused, size_t n __always_unused)
{
	memcpy(mdb_field(p, o), &o->arg, sizeof(u32));
	return 0;
}

/* A number in @min..@max into @p->num, or the MDB_PERR_* saying why not. */
static int mdb_opt_value(struct mdb_parser *p, const struct mdb_opt *o,
			 const char *v, size_t n)
{
	switch (mdb_parse_num(p, v, n, true)) {
	case MDB_NUM_BAD:
		return MDB_PERR_BAD_NUM;
	case MDB_NUM_OVERFLOW:
		return MDB_PERR_NUM_OVERFLOW;
	}
	if (p->num < o->min || p->num > o->max)
		return o->err;
	return 0;
}

/*
 * Numbers into a 32-bit member (int or u32; @max keeps them in range), or
 * @arg for @word. With a word to offer, "invalid number" would mislead:
 * anything else is @err, whose message names the word.
 */
static int mdb_opt_num(struct mdb_parser *p, const struct mdb_opt *o,
		       const char *v, size_t n)
{
	int code;
	u32 v32;

	if (o->word && mdb_mem_is(v, n, o->word)) {
		memcpy(mdb_field(p, o), &o->arg, sizeof(u32));
		return 0;
	}
	code = mdb_opt_value(p, o, v, n);
	if (code == MDB_PERR_BAD_NUM && o->word)
		return o->err;
	v32 = p->num;
	if (!code)
		memcpy(mdb_field(p, o), &v32, sizeof(v32));
	return code;
}

/* Watch lengths: what one x86 debug register can cover. */
static int mdb_opt_len(struct mdb_parser *p, const struct mdb_opt *o,
		       const char *v, size_t n)
{
	int code = mdb_opt_value(p, o, v, n);

	if (code)
		return code;
	if (p->num & (p->num - 1))
		return o->err;
	p->cmd->len = p->num;
	return 0;
}

/* Strings of 1..@max bytes into a char[@max + 1] member. */
static int mdb_opt_str(struct mdb_parser *p, const struct mdb_opt *o,
		       const char *v, size_t n)
{
	char *dst = mdb_field(p, o);

	if (n > o->max)
		return o->err;
	memcpy(dst, v, n);
	dst[n] = '\0';
	return 0;
}

/* Lua 5.1-5.4 reserved words: never the name of a global function. */
static const char * const mdb_lua_keywords[] = {
	"and", "break", "do", "else", "elseif", "end", "false", "for",
	"function", "goto", "if", "in", "local", "nil", "not", "or",
	"repeat", "return", "then", "true", "until", "while",
};

/* Is s[0..n) a Lua function name (FN)? 0, or the MDB_PERR_* saying why not. */
static int mdb_check_fn(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return MDB_PERR_MISSING_FN;
	if (mdb_is_digit(s[0]))
		return MDB_PERR_BAD_FN;
	for (i = 0; i < n; i++)
		if (!mdb_is_alnum(s[i]) && s[i] != '_')
			return MDB_PERR_BAD_FN;
	if (n > MDB_FN_MAX)
		return MDB_PERR_FN_TOO_LONG;
	for (i = 0; i < MDB_NELEM(mdb_lua_keywords); i++)
		if (mdb_mem_is(s, n, mdb_lua_keywords[i]))
			return MDB_PERR_BAD_FN;
	return 0;
}

/* Lua function names (if=, lua=) into a char[MDB_FN_MAX + 1] member. */
static int mdb_opt_fn(struct mdb_parser *p, const struct mdb_opt *o,
		      const char *v, size_t n)
{
	int code = mdb_check_fn(v, n);

	return code ? code : mdb_opt_str(p, o, v, n);
}

/* One of the words @words into a u32 member: its index + 1; else @err. */
static int mdb_opt_words(struct mdb_parser *p, const struct mdb_opt *o,
			 const char *v, size_t n)
{
	u32 i;

	for (i = 0; o->words[i]; i++) {
		if (mdb_mem_is(v, n, o->words[i])) {
			i++;
			memcpy(mdb_field(p, o), &i, sizeof(i));
			return 0;
		}
	}
	return o->err;
}

/* Options whose value the formatter prints as text, not as a number. */
static bool mdb_opt_is_str(const struct mdb_opt *o)
{
	return o->set == mdb_opt_str || o->set == mdb_opt_fn;
}

/* Fails the build unless member f of struct mdb_cmd has size sz. */
#define MDB_FIELD(f, sz)							\
	(offsetof(struct mdb_cmd, f) +						\
	 0 * sizeof(char[sizeof(((struct mdb_cmd *)0)->f) == (sz) ? 1 : -1]))

#define MDB_FLAG(nm, i, c, f, h)						\
	{ .name = nm, .id = i, .cmds = c, .set = mdb_opt_flag,			\
	  .field = MDB_FIELD(f, sizeof(bool)), .hint = h }
/* A flag that is only valid together with one of the options @nd. */
#define MDB_FLAG_NEEDS(nm, i, c, f, nd, e, h)					\
	{ .name = nm, .id = i, .cmds = c, .set = mdb_opt_flag,			\
	  .field = MDB_FIELD(f, sizeof(bool)), .needs = nd, .needs_err = e, .hint = h }
/* A flag that excludes the options @ex, in either order. */
#define MDB_FLAG_EXCL(nm, i, c, f, ex, e, h)					\
	{ .name = nm, .id = i, .cmds = c, .set = mdb_opt_flag,			\
	  .field = MDB_FIELD(f, sizeof(bool)), .excludes = ex, .excl_err = e, .hint = h }
#define MDB_ENUM(nm, i, c, g, f, a, h)						\
	{ .name = nm, .id = i, .cmds = c, .group = g, .set = mdb_opt_enum,	\
	  .field = MDB_FIELD(f, sizeof(u32)), .arg = a, .hint = h }
#define MDB_NUM(nm, i, c, fn, f, lo, hi, e, h)					\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = fn,		\
	  .field = MDB_FIELD(f, sizeof(u32)), .min = lo, .max = hi, .err = e,	\
	  .hint = h }
/* A number that needs one of the options @nd. */
#define MDB_NUM_NEEDS(nm, i, c, f, lo, hi, e, nd, ne, h)			\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = mdb_opt_num,	\
	  .field = MDB_FIELD(f, sizeof(u32)), .min = lo, .max = hi, .err = e,	\
	  .needs = nd, .needs_err = ne, .hint = h }
/* A number or a word, e.g. step=N|branch. */
#define MDB_NUM_WORD(nm, i, c, f, lo, hi, e, w, a, h)				\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = mdb_opt_num,	\
	  .field = MDB_FIELD(f, sizeof(u32)), .min = lo, .max = hi, .err = e,	\
	  .word = w, .arg = a, .hint = h }
#define MDB_STRING(nm, i, c, f, e)						\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = mdb_opt_str,	\
	  .field = offsetof(struct mdb_cmd, f),					\
	  .max = sizeof(((struct mdb_cmd *)0)->f) - 1, .err = e }
#define MDB_FUNC(nm, i, c, f)							\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = mdb_opt_fn,	\
	  .field = MDB_FIELD(f, MDB_FN_MAX + 1), .max = MDB_FN_MAX,		\
	  .err = MDB_PERR_FN_TOO_LONG }
/* One word of a list, e.g. by=comm|pid|tid|cpu. */
#define MDB_WORDS(nm, i, c, f, wl, e, ex, xe, h)				\
	{ .name = nm, .id = i, .cmds = c, .value = true, .set = mdb_opt_words,	\
	  .field = MDB_FIELD(f, sizeof(u32)), .words = wl, .err = e,		\
	  .excludes = ex, .excl_err = xe, .hint = h }
/* Words that are always wrong, kept to say what to write instead. */
#define MDB_REJECT(nm, c, e)							\
	{ .name = nm, .id = -1, .cmds = c, .err = e }

static const char mdb_hint_hw[] = "watchpoints are hardware-only";
static const char mdb_hint_watch[] = "only watch takes it";
static const char mdb_hint_break[] = "only break takes it";
static const char * const mdb_by_words[] = { "comm", "pid", "tid", "cpu", NULL };
static const char * const mdb_hist_words[] = {
	"retval", "elapsed", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", NULL
};

/*
 * The option table. Ids are in enum mdb_opt_id order, which is also the
 * order mdb_cmd_format() prints them in.
 */
static const struct mdb_opt mdb_opts[] = {
	MDB_ENUM("hw",	MDB_OPT_HW, MDB_BP, MDB_GRP_IMPL, impl, MDB_IMPL_HW, mdb_hint_hw),
	MDB_ENUM("sw",	MDB_OPT_SW, MDB_BP, MDB_GRP_IMPL, impl, MDB_IMPL_SW, mdb_hint_hw),
	MDB_NUM("len",	MDB_OPT_LEN, MDB_WP, mdb_opt_len, len, 1, 8, MDB_PERR_BAD_LEN,
		mdb_hint_watch),
	MDB_ENUM("w",	MDB_OPT_W, MDB_WP, MDB_GRP_WMODE, wmode, MDB_WMODE_W, mdb_hint_watch),
	MDB_ENUM("rw",	MDB_OPT_RW, MDB_WP, MDB_GRP_WMODE, wmode, MDB_WMODE_RW, mdb_hint_watch),
	MDB_NUM("pid",	MDB_OPT_PID, MDB_PROBE, mdb_opt_num, pid, 1, MDB_PID_MAX,
		MDB_PERR_BAD_PID, NULL),
	MDB_STRING("comm", MDB_OPT_COMM, MDB_PROBE, comm, MDB_PERR_BAD_COMM),
	MDB_NUM("cpu",	MDB_OPT_CPU, MDB_PROBE, mdb_opt_num, cpu, 0, MDB_CPU_MAX,
		MDB_PERR_BAD_CPU, NULL),
	MDB_NUM("limit", MDB_OPT_LIMIT, MDB_PROBE, mdb_opt_num, limit, 1, MDB_LIMIT_MAX,
		MDB_PERR_BAD_LIMIT, NULL),
	MDB_FLAG("count", MDB_OPT_COUNT, MDB_PROBE, count, NULL),
	MDB_FLAG("regs", MDB_OPT_REGS, MDB_PROBE, regs, NULL),
	MDB_FLAG("bt",	MDB_OPT_BT, MDB_PROBE, bt, NULL),
	MDB_NUM_WORD("step", MDB_OPT_STEP, MDB_BP, step, 1, MDB_STEP_MAX,
		     MDB_PERR_BAD_STEP, "branch", MDB_STEP_BRANCH, mdb_hint_break),
	MDB_FLAG_NEEDS("over", MDB_OPT_OVER, MDB_BP, over, MDB_OPT_BIT(MDB_OPT_STEP),
		       MDB_PERR_OVER_NEEDS_STEP, mdb_hint_break),
	MDB_FUNC("if",	MDB_OPT_IF, MDB_PROBE, ifn),
	MDB_FUNC("lua",	MDB_OPT_LUA, MDB_PROBE, lua),
	MDB_FLAG("unsafe", MDB_OPT_UNSAFE, MDB_PROBE, unsafe, NULL),
	MDB_FLAG("args", MDB_OPT_ARGS, MDB_BP, args, mdb_hint_break),
	MDB_ENUM("ft",	MDB_OPT_FT, MDB_BP, MDB_GRP_IMPL, impl, MDB_IMPL_FT, mdb_hint_hw),
	MDB_FLAG_EXCL("ret", MDB_OPT_RET, MDB_BP, ret,
		      MDB_OPT_BIT(MDB_OPT_HW) | MDB_OPT_BIT(MDB_OPT_STEP) | MDB_OPT_BIT(MDB_OPT_OVER),
		      MDB_PERR_RET_CONFLICT, mdb_hint_break),
	MDB_NUM_NEEDS("maxactive", MDB_OPT_MAXACTIVE, MDB_BP, maxactive, 1, MDB_MAXACTIVE_MAX,
		      MDB_PERR_BAD_MAXACTIVE, MDB_OPT_BIT(MDB_OPT_RET),
		      MDB_PERR_MAXACTIVE_NEEDS_RET, mdb_hint_break),
	MDB_FLAG("trace", MDB_OPT_TRACE, MDB_PROBE, trace, NULL),
	MDB_WORDS("by",	MDB_OPT_BY, MDB_PROBE, by, mdb_by_words, MDB_PERR_BAD_BY, 0, 0, NULL),
	MDB_WORDS("hist", MDB_OPT_HIST, MDB_BP, hist, mdb_hist_words, MDB_PERR_BAD_HIST,
		  MDB_OPT_BIT(MDB_OPT_BY), MDB_PERR_AGG_CONFLICT, mdb_hint_break),
	MDB_REJECT("r",	MDB_WP, MDB_PERR_READ_ONLY),
	MDB_REJECT("x",	MDB_WP, MDB_PERR_EXEC_WATCH),
};

_Static_assert(MDB_OPT_NR <= 32, "opts_seen is a u32");
_Static_assert(MDB_STEP_BRANCH > MDB_STEP_MAX, "step=branch is not a step count");

static const struct mdb_opt *mdb_find_opt(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < MDB_NELEM(mdb_opts); i++)
		if (mdb_mem_is(s, n, mdb_opts[i].name))
			return &mdb_opts[i];
	return NULL;
}

/* Bits of the options already seen that share @o's group. */
static u32 mdb_conflicts(const struct mdb_opt *o, u32 seen)
{
	u32 mask = 0;
	size_t i;

	if (o->group == MDB_GRP_NONE)
		return 0;
	for (i = 0; i < MDB_NELEM(mdb_opts); i++)
		if (mdb_opts[i].group == o->group && mdb_opts[i].id >= 0)
			mask |= MDB_OPT_BIT(mdb_opts[i].id);
	return seen & mask;
}

/*
 * An @excludes pair among @o and the options already seen: the
 * MDB_PERR_* of the option that states it, or 0.
 */
static int mdb_excluded(const struct mdb_opt *o, u32 seen)
{
	size_t i;

	if (seen & o->excludes)
		return o->excl_err;
	for (i = 0; i < MDB_NELEM(mdb_opts); i++)
		if (mdb_opts[i].id >= 0 && (seen & MDB_OPT_BIT(mdb_opts[i].id)) &&
		    (mdb_opts[i].excludes & MDB_OPT_BIT(o->id)))
			return mdb_opts[i].excl_err;
	return 0;
}

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
	if (cmd->opts_seen & MDB_OPT_BIT(o->id))
		return mdb_fail_tok(p, MDB_PERR_DUP_OPT);
	if (mdb_conflicts(o, cmd->opts_seen))
		return mdb_fail_tok(p, MDB_PERR_CONFLICT);
	code = mdb_excluded(o, cmd->opts_seen);
	if (code)
		return mdb_fail_tok(p, code);
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

/*
 * Options that need another one (over needs step=): checked once all are
 * read, so they may come in any order. Points at the needy option.
 */
static int mdb_check_needs(struct mdb_parser *p)
{
	u32 seen = p->cmd->opts_seen;
	size_t i;

	for (i = 0; i < MDB_NELEM(mdb_opts); i++) {
		const struct mdb_opt *o = &mdb_opts[i];

		if (o->id < 0 || !o->needs || !(seen & MDB_OPT_BIT(o->id)) ||
		    (seen & o->needs))
			continue;
		p->pos = p->opt_pos[o->id];
		mdb_next_tok(p);
		return mdb_fail_tok(p, o->needs_err);
	}
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

/* Options that have no meaning on a tracepoint. */
#define MDB_TP_NOT (MDB_OPT_BIT(MDB_OPT_HW) | MDB_OPT_BIT(MDB_OPT_SW) | MDB_OPT_BIT(MDB_OPT_FT) | \
		    MDB_OPT_BIT(MDB_OPT_STEP) | MDB_OPT_BIT(MDB_OPT_OVER) | MDB_OPT_BIT(MDB_OPT_RET) | \
		    MDB_OPT_BIT(MDB_OPT_MAXACTIVE) | MDB_OPT_BIT(MDB_OPT_UNSAFE) | \
		    MDB_OPT_BIT(MDB_OPT_HIST))

/* break/watch: LOC [OPTION]... */
static int mdb_parse_probe(struct mdb_parser *p)
{
	int ret = mdb_parse_first_loc(p);
	u32 bad;
	int id;

	while (!ret && mdb_next_tok(p))
		ret = mdb_parse_opt(p);
	if (ret)
		return ret;
	bad = p->cmd->loc.tp ? p->cmd->opts_seen & MDB_TP_NOT : 0;
	if (bad) {
		for (id = 0; !(bad & MDB_OPT_BIT(id)); id++)
			;
		p->pos = p->opt_pos[id];
		mdb_next_tok(p);
		return mdb_fail_tok(p, MDB_PERR_TP_OPT);
	}
	ret = mdb_check_needs(p);
	if (ret || !(p->cmd->opts_seen & MDB_OPT_BIT(MDB_OPT_HIST)))
		return ret;
	/* hist=retval|elapsed need ret; hist=argN is read at the entry */
	id = p->cmd->hist <= MDB_HIST_ELAPSED ? (p->cmd->ret ? 0 : MDB_PERR_HIST_NEEDS_RET) :
		(p->cmd->ret ? MDB_PERR_HIST_ARG_RET : 0);
	if (!id)
		return 0;
	p->pos = p->opt_pos[MDB_OPT_HIST];
	mdb_next_tok(p);
	return mdb_fail_tok(p, id);
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

/**
 * struct mdb_verb - one command
 * @name:  canonical name, what mdb_cmd_format() prints; for a view, the
 *         name of its file
 * @alias: other accepted names
 * @parse: parses the arguments after the name (a view: the whole line)
 * @view:  views only: the syntax of their line. mdb_parse_line() refuses
 *         them, mdb_parse_explain() then says which file to write to.
 */
struct mdb_verb {
	const char *name;
	const char *alias[2];
	int (*parse)(struct mdb_parser *p);
	const char *view;
};

static const struct mdb_verb mdb_verbs[MDB_OP_NR] = {
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

static bool mdb_is_view(enum mdb_op op)
{
	return op > MDB_OP_NONE && op < MDB_OP_NR && mdb_verbs[op].view;
}

static enum mdb_op mdb_find_verb(const char *s, size_t n)
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
 * mdb_parse_msg() - the message of a parse error
 * @code: enum mdb_parse_code
 *
 * Return: a static string, never NULL.
 */
const char *mdb_parse_msg(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return "unknown error";
	return mdb_perr_msg[code];
}

/**
 * mdb_parse_code_name() - the name of a parse error, e.g. "UNKNOWN_CMD"
 * @code: enum mdb_parse_code
 *
 * Return: a static string, never NULL.
 */
const char *mdb_parse_code_name(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return "?";
	return mdb_perr_name[code];
}

/**
 * mdb_parse_errno() - the errno that goes with a parse error
 * @code: enum mdb_parse_code
 *
 * Return: a negative errno, 0 for MDB_PERR_OK, -EINVAL for unknown codes.
 */
int mdb_parse_errno(int code)
{
	if (code < 0 || code >= MDB_PERR_NR)
		return -EINVAL;
	return -(int)mdb_perr_errno[code];
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

/* ---- output: snprintf-like, but the same code in both builds ---- */

struct mdb_out {
	char *buf;
	size_t size;
	size_t len;	/* what the output needs, may exceed size */
};

static void mdb_putc(struct mdb_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void mdb_putm(struct mdb_out *o, const char *s, size_t n)
{
	while (n--)
		mdb_putc(o, *s++);
}

static void mdb_puts(struct mdb_out *o, const char *s)
{
	mdb_putm(o, s, strlen(s));
}

static void mdb_putn(struct mdb_out *o, char c, size_t n)
{
	while (n--)
		mdb_putc(o, c);
}

/* Only 32-bit values are printed in decimal: no 64-bit division needed. */
static void mdb_put_dec(struct mdb_out *o, u32 v)
{
	char tmp[10];
	int i = 0;

	do {
		tmp[i++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (i)
		mdb_putc(o, tmp[--i]);
}

static void mdb_put_hex(struct mdb_out *o, u64 v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 60;

	mdb_puts(o, "0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		mdb_putc(o, digits[(v >> shift) & 0xf]);
}

/* NUL-terminate and return what snprintf() would. */
static int mdb_out_end(struct mdb_out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
	return o->len;
}

static const void *mdb_cfield(const struct mdb_cmd *cmd, const struct mdb_opt *o)
{
	return (const char *)cmd + o->field;
}

static void mdb_put_opt(struct mdb_out *out, const struct mdb_cmd *cmd,
			const struct mdb_opt *o)
{
	u32 v32;

	mdb_putc(out, ' ');
	mdb_puts(out, o->name);
	if (!o->value)
		return;
	mdb_putc(out, '=');
	/* Valued options are strings or 32-bit numbers (or their word). */
	if (mdb_opt_is_str(o)) {
		const char *s = mdb_cfield(cmd, o);

		mdb_putm(out, s, strnlen(s, o->max));
	} else {
		memcpy(&v32, mdb_cfield(cmd, o), sizeof(v32));
		if (o->words && v32)
			mdb_puts(out, o->words[v32 - 1]);
		else if (o->word && v32 == o->arg)
			mdb_puts(out, o->word);
		else
			mdb_put_dec(out, v32);
	}
}

static void mdb_put_loc(struct mdb_out *out, const struct mdb_loc *loc)
{
	if (loc->tp) {
		mdb_puts(out, "tp:");
		mdb_putm(out, loc->module, strnlen(loc->module, MDB_MOD_MAX));
		mdb_putc(out, ':');
		mdb_putm(out, loc->sym, strnlen(loc->sym, MDB_SYM_MAX));
	} else if (loc->sym[0]) {
		if (loc->module[0]) {
			mdb_putm(out, loc->module, strnlen(loc->module, MDB_MOD_MAX));
			mdb_putc(out, ':');
		}
		mdb_putm(out, loc->sym, strnlen(loc->sym, MDB_SYM_MAX));
		if (loc->off) {
			mdb_putc(out, '+');
			mdb_put_hex(out, loc->off);
		}
	} else {
		mdb_put_hex(out, loc->addr);
	}
}

/**
 * mdb_cmd_format() - print a command in canonical form
 * @buf:  output buffer
 * @size: its size; MDB_CMD_TEXT_MAX is always enough
 * @cmd:  the command, usually from mdb_parse_line()
 *
 * The text parses back to the same struct mdb_cmd, e.g.
 * "break vfs_read+0x10 hw pid=12 count": long command names, offsets in
 * hex, numbers in decimal, only the options in @cmd->opts_seen, in
 * enum mdb_opt_id order. No trailing newline; "" for MDB_OP_NONE.
 *
 * The views print what is written to their file, without a command word,
 * and parse back with mdb_parse_view(): "LOC COUNT" or "LOC COUNT intel"
 * for MDB_OP_DISASM (COUNT always, "att" never: it is the default),
 * "LOC LEN" for MDB_OP_MEM.
 *
 * The text of any command is at most MDB_LINE_MAX bytes, so it is always
 * a line that can be written back.
 *
 * Return: the length of the whole text like snprintf() (so a result >=
 * @size means it was truncated); @buf is NUL-terminated if @size > 0.
 */
int mdb_cmd_format(char *buf, size_t size, const struct mdb_cmd *cmd)
{
	struct mdb_out out = { .buf = buf, .size = size };
	size_t i;

	if (cmd->op <= MDB_OP_NONE || cmd->op >= MDB_OP_NR)
		return mdb_out_end(&out);
	if (!mdb_is_view(cmd->op))
		mdb_puts(&out, mdb_verbs[cmd->op].name);

	switch (cmd->op) {
	case MDB_OP_BREAK:
	case MDB_OP_WATCH:
		mdb_putc(&out, ' ');
		mdb_put_loc(&out, &cmd->loc);
		for (i = 0; i < MDB_NELEM(mdb_opts); i++) {
			const struct mdb_opt *o = &mdb_opts[i];

			if (o->id >= 0 && (cmd->opts_seen & MDB_OPT_BIT(o->id)))
				mdb_put_opt(&out, cmd, o);
		}
		break;
	case MDB_OP_DELETE:
	case MDB_OP_ENABLE:
	case MDB_OP_DISABLE:
		mdb_putc(&out, ' ');
		if (cmd->all)
			mdb_puts(&out, "all");
		else
			mdb_put_dec(&out, cmd->id);
		break;
	case MDB_OP_CALL:
		mdb_putc(&out, ' ');
		mdb_putm(&out, cmd->lua, strnlen(cmd->lua, MDB_FN_MAX));
		break;
	case MDB_OP_LOAD:
		mdb_putc(&out, ' ');
		mdb_putm(&out, cmd->path, strnlen(cmd->path, MDB_PATH_MAX));
		break;
	case MDB_OP_DISASM:
		mdb_put_loc(&out, &cmd->loc);
		mdb_putc(&out, ' ');
		mdb_put_dec(&out, cmd->insns);
		if (cmd->intel)
			mdb_puts(&out, " intel");
		break;
	case MDB_OP_MEM:
		mdb_put_loc(&out, &cmd->loc);
		mdb_putc(&out, ' ');
		mdb_put_dec(&out, cmd->bytes);
		break;
	default:
		break;
	}
	return mdb_out_end(&out);
}

/*
 * Quote a token for the message line. Unprintable bytes (only ever the one
 * byte of a BAD_CHAR) come out as \xNN; long tokens are cut, since the
 * caret line under the echoed command already shows all of it.
 */
#define MDB_QUOTE_MAX	40

static void mdb_put_quoted(struct mdb_out *o, const char *s, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	mdb_puts(o, " '");
	for (i = 0; i < n && i < MDB_QUOTE_MAX; i++) {
		unsigned char c = s[i];

		if (mdb_is_print(c)) {
			mdb_putc(o, c);
		} else {
			mdb_puts(o, "\\x");
			mdb_putc(o, digits[c >> 4]);
			mdb_putc(o, digits[c & 0xf]);
		}
	}
	if (n > MDB_QUOTE_MAX)
		mdb_puts(o, "...");
	mdb_putc(o, '\'');
}

/**
 * mdb_parse_explain() - describe a parse error for a human
 * @buf:  output buffer
 * @size: its size; MDB_EXPLAIN_MAX is always enough
 * @line: the line given to mdb_parse_line() or mdb_parse_view()
 * @n:    its length
 * @e:    the error it returned for it
 *
 * Three lines: the message naming the bad token, the command, and a caret
 * under the token (tilde-extended to its length):
 *
 *   unknown option 'foo'
 *     break vfs_read foo
 *                    ^~~
 *
 * Tabs in the echoed line become spaces and other unprintable bytes '?',
 * so the caret stays in the right column. The quoted token is cut after
 * MDB_QUOTE_MAX bytes. A line that is too long is not echoed. Writes ""
 * when @e reports no error. The first line ends in a hint where one
 * helps: after OPT_NOT_FOR the option's (": only watch takes it"), after
 * UNKNOWN_CMD for "disasm" or "mem" the file to write the line to.
 *
 * Return: the length of the whole text like snprintf(); @buf is
 * NUL-terminated if @size > 0.
 */
int mdb_parse_explain(char *buf, size_t size, const char *line, size_t n,
		      const struct mdb_parse_err *e)
{
	struct mdb_out out = { .buf = buf, .size = size };
	const struct mdb_opt *o;
	size_t pos, len, i;
	enum mdb_op op;

	if (!e || e->code == MDB_PERR_OK)
		return mdb_out_end(&out);
	mdb_puts(&out, mdb_parse_msg(e->code));
	if (e->code == MDB_PERR_LINE_TOO_LONG) {
		mdb_putc(&out, '\n');
		return mdb_out_end(&out);
	}

	n = mdb_strip_eol(line, n);
	if (n > MDB_LINE_MAX)
		n = MDB_LINE_MAX;
	pos = e->pos < n ? e->pos : n;
	len = e->len < n - pos ? e->len : n - pos;

	if (len)
		mdb_put_quoted(&out, line + pos, len);
	if (e->code == MDB_PERR_OPT_NOT_FOR) {
		const char *eq = memchr(line + pos, '=', len);

		o = mdb_find_opt(line + pos, eq ? (size_t)(eq - line - pos) : len);
		if (o && o->hint) {
			mdb_puts(&out, ": ");
			mdb_puts(&out, o->hint);
		}
	}
	if (e->code == MDB_PERR_UNKNOWN_CMD) {
		op = mdb_find_verb(line + pos, len);
		if (mdb_is_view(op)) {
			mdb_puts(&out, ": write '");
			mdb_puts(&out, mdb_verbs[op].view);
			mdb_puts(&out, "' to the ");
			mdb_puts(&out, mdb_verbs[op].name);
			mdb_puts(&out, " file");
		}
	}

	mdb_puts(&out, "\n  ");
	for (i = 0; i < n; i++) {
		char c = line[i];

		mdb_putc(&out, c == '\t' ? ' ' : mdb_is_print(c) ? c : '?');
	}
	mdb_puts(&out, "\n  ");
	mdb_putn(&out, ' ', pos);
	mdb_putc(&out, '^');
	if (len > 1)
		mdb_putn(&out, '~', len - 1);
	mdb_putc(&out, '\n');
	return mdb_out_end(&out);
}
