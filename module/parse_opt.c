// SPDX-License-Identifier: GPL-2.0
/*
 * parse_opt.c - the option table of break and watch: one line per option
 * (its name, the commands that take it, its value's range and the member
 * of struct mdb_cmd it fills) and the setters that store a value
 *
 * Adding an option is a line in enum mdb_opt_id (parse.h) plus a line in
 * mdb_opts[] below. parse.c reads an option token and calls its setter,
 * parse_check.c applies the rules between options (groups, excludes,
 * needs), parse_format.c prints the table's options back.
 *
 * Context: any. No allocation, no global state written, no locks. Calls
 * down into parse_lex.c (numbers, Lua names) only.
 */
#include "parse_int.h"

#define MDB_BP		(1U << MDB_OP_BREAK)
#define MDB_WP		(1U << MDB_OP_WATCH)
#define MDB_PROBE	(MDB_BP | MDB_WP)

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
bool mdb_opt_is_str(const struct mdb_opt *o)
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
const struct mdb_opt mdb_opts[] = {
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

const size_t mdb_opts_nr = MDB_NELEM(mdb_opts);

_Static_assert(MDB_OPT_NR <= 32, "opts_seen is a u32");
_Static_assert(MDB_STEP_BRANCH > MDB_STEP_MAX, "step=branch is not a step count");

const struct mdb_opt *mdb_find_opt(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < MDB_NELEM(mdb_opts); i++)
		if (mdb_mem_is(s, n, mdb_opts[i].name))
			return &mdb_opts[i];
	return NULL;
}
