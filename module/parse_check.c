// SPDX-License-Identifier: GPL-2.0
/*
 * parse_check.c - the checks of a parsed command: the rules between its
 * options, which a single option's value cannot tell
 *
 * While the options are read (mdb_check_opt()): an option given twice,
 * two of one group (hw, sw, ft), a pair that excludes each other in
 * either order (ret and step=). Once the whole line is read
 * (mdb_check_probe()): options that need another (over needs step=,
 * maxactive= needs ret), options a tracepoint has no use for, and hist=
 * against ret. The late checks point back at the option that broke the
 * rule, so an error in a later option is reported first.
 *
 * Context: any. No allocation, no global state written, no locks. Reads
 * the option table (parse_opt.c), reports through parse_lex.c.
 */
#include "parse_int.h"

/* Bits of the options already seen that share @o's group. */
static u32 mdb_conflicts(const struct mdb_opt *o, u32 seen)
{
	u32 mask = 0;
	size_t i;

	if (o->group == MDB_GRP_NONE)
		return 0;
	for (i = 0; i < mdb_opts_nr; i++)
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
	for (i = 0; i < mdb_opts_nr; i++)
		if (mdb_opts[i].id >= 0 && (seen & MDB_OPT_BIT(mdb_opts[i].id)) &&
		    (mdb_opts[i].excludes & MDB_OPT_BIT(o->id)))
			return mdb_opts[i].excl_err;
	return 0;
}

/*
 * Before option @o is stored: not given twice, no other of its group, no
 * excluded pair. Fails on the current token (@o's).
 */
int mdb_check_opt(struct mdb_parser *p, const struct mdb_opt *o)
{
	u32 seen = p->cmd->opts_seen;
	int code;

	if (seen & MDB_OPT_BIT(o->id))
		return mdb_fail_tok(p, MDB_PERR_DUP_OPT);
	if (mdb_conflicts(o, seen))
		return mdb_fail_tok(p, MDB_PERR_CONFLICT);
	code = mdb_excluded(o, seen);
	if (code)
		return mdb_fail_tok(p, code);
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

	for (i = 0; i < mdb_opts_nr; i++) {
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

/* Options that have no meaning on a tracepoint. */
#define MDB_TP_NOT (MDB_OPT_BIT(MDB_OPT_HW) | MDB_OPT_BIT(MDB_OPT_SW) | MDB_OPT_BIT(MDB_OPT_FT) | \
		    MDB_OPT_BIT(MDB_OPT_STEP) | MDB_OPT_BIT(MDB_OPT_OVER) | MDB_OPT_BIT(MDB_OPT_RET) | \
		    MDB_OPT_BIT(MDB_OPT_MAXACTIVE) | MDB_OPT_BIT(MDB_OPT_UNSAFE) | \
		    MDB_OPT_BIT(MDB_OPT_HIST))

/*
 * break/watch, once every option is read: the tracepoint's options, then
 * the needs, then hist= against ret. Points at the option at fault.
 */
int mdb_check_probe(struct mdb_parser *p)
{
	u32 bad;
	int ret, id;

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
