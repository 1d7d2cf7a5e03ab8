/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_fast.h - the hit path's call into Lua's internals (lua_all.c),
 * for mdb_lua.c. No kernel header: lua_all.c includes it too.
 */
#ifndef _MDB_LUA_FAST_H
#define _MDB_LUA_FAST_H

struct lua_State;

void *mdb_lua_gcobj(struct lua_State *L, int idx);

/* mdb_lua_fast_call()'s outcome, returned in a register (no stack slot) */
struct mdb_lua_fast {
	int status;	/* -1: did not apply; else a Lua status */
	int res;	/* LUA_OK: 0 nil or nothing, 1 false, 2 anything else */
};

struct mdb_lua_fast mdb_lua_fast_call(struct lua_State *L, void *name,
				      void *arg, int hold);

#endif
