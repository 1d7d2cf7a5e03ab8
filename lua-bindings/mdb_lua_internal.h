/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_internal.h - the runtime's state and what its layers give the
 * ones above; not for the core (module/), which uses mdb_lua.h.
 *
 * Layers, each calling only the ones below it (registration, the
 * function pointers the core sets at module init, is how anything goes
 * back up):
 *
 *   the mdb library  mdb_lualib.c (mdb_lua_create: a state with it),
 *                    mdb_agg.c, mdb_ltype*.c (typed values, registered by
 *                    the core with mdb_lua_register)
 *   ---------------- the runtime ----------------------------------------
 *   calls            mdb_lua_call.c: mdb_lua_call(), the hit path's call
 *   states           mdb_lua_state.c: create, load, destroy, the ctx object
 *   collections      mdb_lua_gc.c: a state's allocator and its GC
 *   running          mdb_lua_run.c: script stacks, entering a state, jobs
 *                    under the panic jmpbuf, the budget
 *   Lua, memory      lua_all.c, mdb_arena.c
 *
 * Lua itself calls up only through the hooks luaconf.h names (the budget,
 * the seed, the unwind of a longjmp: mdb_lua_run.c) and the fast forms of
 * __index registered with mdb_lua_set_fastindex().
 *
 * Users include "lua.h" (Lua's public header) too: the state's thread
 * finds its mdb_lua through Lua's extra space.
 *
 * Context: any, NMI included, unless a function says process.
 */
#ifndef _MDB_LUA_INTERNAL_H
#define _MDB_LUA_INTERNAL_H

#include <linux/atomic.h>
#include <linux/string.h>
#include "lua.h"
#include "mdb_arena.h"
#include "mdb_lua.h"

/* lua_all.c: the hit path's call and its object pointers (see there). */
#include "mdb_lua_fast.h"

/*
 * Function names the hit path called, each with a registry reference to
 * its interned Lua string, so a hit finds the function with one raw lookup
 * that neither allocates nor raises (mdb_lua_call.c).
 */
#define MDB_LUA_FNCACHE		8
#define MDB_LUA_FNLEN		64

struct mdb_lua_fn {
	int ref;			/* LUA_NOREF: empty */
	void *obj;			/* the string object the ref keeps */
	u64 id;				/* this filling: sequence << 8 | index */
	char name[MDB_LUA_FNLEN];
};

struct mdb_lua {
	/* First: the budget and the stack marks that luaconf.h reads via L. */
	struct mdb_lua_head h;
	lua_State *L;
	struct mdb_arena arena;
	atomic_t owner;		/* CPU running this state, or -1 */
	bool dead;		/* Lua panicked: only destroy is allowed */
	u64 default_budget;
	/* The running call (valid while owned). */
	void *hit;
	struct pt_regs *regs;
	bool regs_hit;		/* regs are the hit's, not the caller's */
	int call_err;		/* errno chosen inside the protected call */
	int ctx_ref;		/* registry ref of the ctx userdata */
	void *ctx_obj;		/* that userdata (mdb_lua_gcobj) */
	mdb_lua_jmpbuf panic_jb;
	char panic_msg[96];
	char warn[128];		/* a warning being assembled */
	size_t warnlen;
	bool warn_cont;
	void *ext;		/* a binding's per-state data (mdb_lua_ext()) */
	size_t gc_mark;		/* arena bytes in use that ask for a collection */
	bool gc_kicked;		/* asked (mdb_lua_gc_kick_fn), not yet collected */
	size_t mem_bare;	/* after lua_newstate() */
	size_t mem_libs;	/* after the libraries */
	struct mdb_lua_fn fns[MDB_LUA_FNCACHE];
	unsigned int fn_next;	/* the entry to replace next */
};

/* The state @L belongs to: mdb_lua_state() in line, for the runtime's files. */
static __always_inline struct mdb_lua *mdb_lua_of(lua_State *L)
{
	return *(struct mdb_lua **)lua_getextraspace(L);
}

/* ---- running (mdb_lua_run.c) ------------------------------------------- */

/* @msg into @err (may be NULL), as far as @errlen allows. */
void mdb_lua_set_err(char *err, size_t errlen, const char *msg);

/* Charge @n to the running call's budget; a Lua error when it runs out. */
void mdb_lua_charge(struct lua_State *L, long long n);

/* ---- states (mdb_lua_state.c) ------------------------------------------ */

/*
 * mdb_lua_new() - mdb_lua_create() with the libraries a layer above adds
 * @open: called protected at creation, after Lua's own libraries, with
 *        nothing on the stack: it opens what the state offers besides them
 *        (mdb_lualib_open(): the 'mdb' table). NULL: nothing more.
 * Context: process.
 */
struct mdb_lua *mdb_lua_new(size_t arena_bytes, int (*open)(struct lua_State *L),
			    char *err, size_t errlen);

/*
 * Registers where a backtrace starts: the hit's, or (for a call without
 * them) the caller of mdb_lua_call(), whose own frame is then skipped.
 */
struct pt_regs *mdb_lua_walk_regs(struct lua_State *L, bool *hit);

/* ---- the mdb library (mdb_lualib.c, mdb_agg.c) ------------------------- */

/* mdb_agg.c: mdb.count, mdb.hist and their maps into the table on top */
void mdb_agg_open(struct lua_State *L);

/* mdb.addr(): the core's symbol lookup (mdb_lua_set_lookup), or 0. */
unsigned long mdb_lua_lookup(const char *name);

/*
 * mdb_lualib.c: push the string at @addr (at most @max bytes, nofault
 * reads); false, nothing pushed, when its first byte is unreadable.
 */
bool mdb_lua_push_memstr(struct lua_State *L, unsigned long addr, size_t max, bool user);

#endif
