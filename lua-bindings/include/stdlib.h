/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <stdlib.h> for Lua in the kernel. Memory comes from the state's arena
 * (lua_newstate with mdb's allocator), so lauxlib's malloc-based allocator
 * (behind luaL_newstate, never called) gets stubs that fail.
 */
#ifndef _MDB_SHIM_STDLIB_H
#define _MDB_SHIM_STDLIB_H
#include <stddef.h>

static inline int abs(int x) { return x < 0 ? -x : x; }

static inline void free(void *p) { (void)p; }

static inline void *realloc(void *p, size_t n)
{
	(void)p; (void)n;
	return NULL;
}

/*
 * ldo.c calls abort() when an error has no handler and the panic function
 * returned. mdb sets a panic function that never returns (mdb_lua_state.c), so
 * this is unreachable; if it ever were reached, stop here (ud2) rather
 * than run on.
 */
#define abort()	__builtin_trap()

#endif
