// SPDX-License-Identifier: GPL-2.0
/*
 * What the probe kinds share (kind.h): preparing an execution breakpoint
 * (the location resolved, the entry-window check, the arguments' BTF),
 * and "does it live in that module". Process context, mdb_lock, the
 * breakpoint not armed.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include "mdb.h"
#include "kind.h"

/**
 * mdb_exec_prepare - where an execution breakpoint goes, and may it go there
 *
 * Sets bp->addr (the hit path reads it: only while not armed) and, with
 * `args`, the arguments' spec (the function's module and its BTF may have
 * been reloaded since the last time). Return: 0 or -errno with @err.
 */
int mdb_exec_prepare(struct mdb_bp *bp, char *err, size_t errlen)
{
	unsigned long addr;
	int ret;

	ret = mdb_resolve(&bp->cmd.loc, &addr, err, errlen);
	if (ret)
		return ret;
	ret = mdb_safety_check_exec(addr, bp->cmd.unsafe, err, errlen);
	if (!ret && (bp->flags & MDB_F_ARGS))
		ret = mdb_args_prepare(addr, &bp->args, err, errlen);
	if (ret)
		return ret;
	bp->addr = addr;
	return 0;
}

/* The in_module() of a kind at an address: is it @mod's text or data? */
bool mdb_kind_in_module(const struct mdb_bp *bp, const struct module *mod)
{
	return within_module(bp->addr, mod);
}
