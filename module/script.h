/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What script.c (loading, the commands) and script_hit.c (the script at a
 * hit) share: the state and the settings the hit path reads.
 */
#ifndef _MDB_SCRIPT_H
#define _MDB_SCRIPT_H

#include <linux/atomic.h>
#include <linux/percpu.h>

struct mdb_lua;

extern struct mdb_lua *mdb_script;	/* the loaded script; READ_ONCE at a hit */
extern unsigned int lua_budget;		/* Lua instructions per call */
extern bool allow_write, allow_write_locked;
extern atomic64_t mdb_script_errors;
DECLARE_PER_CPU(u64, mdb_script_calls);

int mdb_script_hit_init(void);

#endif /* _MDB_SCRIPT_H */
