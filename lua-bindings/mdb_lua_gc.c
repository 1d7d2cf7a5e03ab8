// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua_gc.c - a state's memory: Lua's allocator over the state's arena
 * (mdb_arena.c), the mark that asks the core for a collection, and the
 * collections themselves (mdb_lua_gc.h, mdb_lua_gc_step() of mdb_lua.h).
 *
 * No full collection runs in a hit, and the collector is stopped: a hit
 * that allocates (a typed value, a string, a table) leaves garbage. When
 * the memory in use passes the mark (half of what was free after the last
 * collection), or an allocation fails, the owner is asked once
 * (mdb_lua_gc_kick_fn, NMI-safe) for a full collection, and the hit itself
 * does an incremental step (mdb_lua_gc_hit()). Before the mark, a script
 * allocating at every NMI hit ran the 256 KiB arena out after ~670 hits
 * (mdb_lua_test).
 *
 * Context: the allocator and a hit's step run in any context, NMI
 * included; mdb_lua_gc_step() in process context.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>

#include "lua.h"

#include "mdb_lua_gc.h"
#include "mdb_lua_run.h"

/* Set at module init (process context) before any state. */
static void (*mdb_lua_gc_kick_fn)(void);

void mdb_lua_set_gc_kick(void (*kick)(void))
{
	mdb_lua_gc_kick_fn = kick;
}

void mdb_lua_gc_mark(struct mdb_lua *S)
{
	S->gc_mark = S->arena.used + (S->arena.size - S->arena.used) / 2;
	WRITE_ONCE(S->gc_kicked, false);
}

void *mdb_lua_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
	struct mdb_lua *S = ud;
	void *r = mdb_arena_realloc(&S->arena, p, osize, nsize);

	if (unlikely((S->arena.used > S->gc_mark || (!r && nsize)) && !S->gc_kicked &&
		     S->gc_mark)) {
		WRITE_ONCE(S->gc_kicked, true);
		if (mdb_lua_gc_kick_fn)
			mdb_lua_gc_kick_fn();
	}
	return r;
}

/* Protected: one GC step or a full collection. */
static int mdb_lua_do_gc(lua_State *L)
{
	struct mdb_lua_job *job = lua_touserdata(L, 1);

	if (job->full) {
		lua_gc(L, LUA_GCCOLLECT);
		job->ret = 1;
	} else {
		job->ret = lua_gc(L, LUA_GCSTEP, 0);
	}
	return 0;
}

void mdb_lua_gc_job(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	lua_State *L = S->L;
	int status;

	mdb_lua_arm_budget(S, S->default_budget);	/* for __gc finalizers */
	lua_pushcfunction(L, mdb_lua_do_gc);
	lua_pushlightuserdata(L, job);
	status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK)
		job->ret = mdb_lua_failure(S, status, NULL, 0);
	lua_settop(L, 0);
	if (job->full)
		mdb_arena_trim(&S->arena);
	if (job->full || job->ret == 1)
		mdb_lua_gc_mark(S);
}

/*
 * A hit that left the state over its mark (mdb_lua_alloc) does one
 * incremental collection step before it returns: Lua's own amount of work
 * for one step (bounded, a few KiB of objects), with the call's budget for
 * any __gc finalizer. Hits that allocate then pay for their garbage as
 * they go, in any context: the worker mdb_lua_alloc() asks for may not
 * run soon enough (a loop of NMI hits, or single-threaded TCG, which
 * runs the other vCPU every 100 ms). Not __mdb_hot: the rare case.
 */
noinline void mdb_lua_gc_hit(struct mdb_lua *S)
{
	struct mdb_lua_job job = { .fn = mdb_lua_gc_job, .S = S, .full = false };

	mdb_lua_gc_job(&job);
}

int mdb_lua_gc_step(struct mdb_lua *S, bool full)
{
	/*
	 * Asked by a hit (mdb_lua_alloc): a whole collection, and wait for
	 * the state - hits in a loop on another CPU hold it most of the time,
	 * and a step given up here would leave the arena to run out.
	 */
	bool kicked = READ_ONCE(S->gc_kicked);
	struct mdb_lua_job job = { .fn = mdb_lua_gc_job, .S = S, .full = full || kicked };

	if (kicked)
		mdb_lua_enter_wait(S);
	else if (mdb_lua_enter(S, 0))
		return -EBUSY;
	if (!S->dead)
		mdb_lua_switch_run(&job);
	mdb_lua_leave(S);
	return job.ret < 0 ? 0 : job.ret;
}
