/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_internal.h - shared by the runtime's own files (mdb_lua.c,
 * mdb_lualib.c, lua_all.c's hooks); not for the core.
 */
#ifndef _MDB_LUA_INTERNAL_H
#define _MDB_LUA_INTERNAL_H

#include "mdb_lua.h"

struct lua_State;

/* mdb_agg.c: mdb.count, mdb.hist and their maps into the table on top */
void mdb_agg_open(struct lua_State *L);
/* mdb_lualib.c: opens the 'mdb' table with the registered extra arrays. */
int mdb_lualib_open(struct lua_State *L, const struct luaL_Reg *const *extra,
		    int nextra);

/* lua_all.c: forbid (1) or allow (0) emergency collections. */
void mdb_lua_hold_emergency_gc(struct lua_State *L, int hold);

/* lua_all.c: the hit path's call and its object pointers (see there). */
#include "mdb_lua_fast.h"

/*
 * Registers where a backtrace starts: the hit's, or (for a call without
 * them) the caller of mdb_lua_call(), whose own frame is then skipped.
 */
struct pt_regs *mdb_lua_walk_regs(struct lua_State *L, bool *hit);

/* mdb.addr(): the core's symbol lookup, or 0. */
unsigned long mdb_lua_lookup(const char *name);

/* Charge @n to the running call's budget; a Lua error when it runs out. */
void mdb_lua_charge(struct lua_State *L, long long n);

/*
 * mdb_lualib.c: push the string at @addr (at most @max bytes, nofault
 * reads); false, nothing pushed, when its first byte is unreadable.
 */
bool mdb_lua_push_memstr(struct lua_State *L, unsigned long addr, size_t max, bool user);

#endif
