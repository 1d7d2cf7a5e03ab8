/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_gc.h - a state's allocator and its collections (mdb_lua_gc.c).
 *
 * Context: any, NMI included (the allocator, a hit's step); the core's
 * mdb_lua_gc_step() (mdb_lua.h) in process context.
 */
#ifndef _MDB_LUA_GC_H
#define _MDB_LUA_GC_H

#include <linux/types.h>

struct mdb_lua;

/* Lua's allocator of a state (lua_newstate(mdb_lua_alloc, S)). Any context. */
void *mdb_lua_alloc(void *ud, void *p, size_t osize, size_t nsize);

/* The mark that asks for a collection, from the memory in use now. */
void mdb_lua_gc_mark(struct mdb_lua *S);

/* A collection job's work (struct mdb_lua_job's fn): one step, or full. */
struct mdb_lua_job;
void mdb_lua_gc_job(struct mdb_lua_job *job);

/*
 * On the script stack, after a hit that left @S over its mark: one
 * incremental step. Any context.
 */
void mdb_lua_gc_hit(struct mdb_lua *S);

#endif
