/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_fast.h - the hit path's call into Lua's internals (lua_all.c),
 * for mdb_lua_call.c (and the object pointers for the runtime and typed
 * values). No kernel header: lua_all.c includes it too.
 */
#ifndef _MDB_LUA_FAST_H
#define _MDB_LUA_FAST_H

struct lua_State;

void *mdb_lua_gcobj(struct lua_State *L, int idx);
/* The short (interned) string object at @idx, or NULL. */
void *mdb_lua_shortstr(struct lua_State *L, int idx);

/* mdb_lua_fast_call()'s outcome, returned in a register (no stack slot) */
struct mdb_lua_fast {
	int status;	/* -1: did not apply; else a Lua status */
	int res;	/* LUA_OK: 0 nil or nothing, 1 false, 2 anything else */
};

struct mdb_lua_fast mdb_lua_fast_call(struct lua_State *L, void *name,
				      void *arg, int hold);

/*
 * A fast form of a C __index function (mdb_lua_set_fastindex): asked by
 * the VM before the call, with the object indexed (a full userdata's
 * memory, a light userdata's pointer, a table) and a string key. It fills
 * @out and returns non-zero, or returns 0 having changed nothing and the
 * C function is called as usual (for every error, a fault, anything rare).
 * It must not use the Lua API: it runs inside the VM's instruction.
 */
enum mdb_lua_fastkind {
	MDB_FV_NIL,
	MDB_FV_INT,	/* .i */
	MDB_FV_BOOL,	/* .i != 0 */
	MDB_FV_LIGHT,	/* a light userdata .p (one whose metatable exists) */
	MDB_FV_STR,	/* .len bytes of .data */
	MDB_FV_UDATA,	/* a new full userdata: .len bytes of .data, metatable .p */
};

#define MDB_FV_DATA	32

struct mdb_lua_fastval {
	int kind;
	long long i;
	const void *p;		/* UDATA: a metatable, from mdb_lua_gcobj() */
	unsigned long len;
	unsigned long long data[MDB_FV_DATA / 8];
};

/*
 * @kid: the key's string object when it is a short string (interned: while
 * it lives, no other string has its address), else NULL.
 */
typedef int (*mdb_lua_fastindex_fn)(struct lua_State *L, void *obj, const char *key,
				    unsigned long len, const void *kid,
				    struct mdb_lua_fastval *out);

int mdb_lua_set_fastindex(int (*index)(struct lua_State *L), mdb_lua_fastindex_fn fast);

#endif
