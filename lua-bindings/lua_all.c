// SPDX-License-Identifier: GPL-2.0
/*
 * lua_all.c - Lua 5.4 as one translation unit.
 *
 * All of Lua's .c files that mdb uses, copied and patched into lua/ by
 * prepare.sh, compiled together: objtool then sees every function that
 * never returns (Lua's l_noret error paths) and has nothing to warn about,
 * and Lua's internal functions become static. No kernel header may be
 * included here (Lua's names 'current' and 'panic' clash with the
 * kernel's): the C library Lua needs comes from the shims in include/.
 */
#define LUA_CORE
#define LUA_LIB
#define ltable_c
#define lvm_c
#include "luaconf.h"

/* Internal functions are private to this file. */
#undef LUAI_FUNC
#undef LUAI_DDEC
#undef LUAI_DDEF
#define LUAI_FUNC	static
#define LUAI_DDEC(def)	/* empty */
#define LUAI_DDEF	static

/* The core, in the order of Lua's own onelua.c. */
#include "lua/lzio.c"
#include "lua/lctype.c"
#include "lua/lopcodes.c"
#include "lua/lmem.c"
#include "lua/lundump.c"
#include "lua/ldump.c"
#include "lua/lstate.c"
#include "lua/lgc.c"
#include "lua/llex.c"
#include "lua/lcode.c"
#include "lua/lparser.c"
#include "lua/ldebug.c"
#include "lua/lfunc.c"
#include "lua/lobject.c"
#include "lua/ltm.c"
#include "lua/lstring.c"
#include "lua/ltable.c"
#include "lua/ldo.c"
#include "lua/lvm.c"
#include "lua/lapi.c"

/* The auxiliary library and the standard libraries mdb opens. */
#include "lua/lauxlib.c"
#include "lua/lbaselib.c"
#include "lua/lcorolib.c"
#include "lua/lstrlib.c"
#include "lua/ltablib.c"
#include "lua/lutf8lib.c"

/* mdb's integer math library (needs only the public API). */
#include "lmathint.c"

/*
 * Hooks named by luaconf.h that need Lua's internals, so they live here
 * rather than in the kernel-side glue.
 */

/* lua_str2number/lua_strx2number: no float conversion exists. */
long long mdb_lua_nostrtod(const char *s, char **endp)
{
	*endp = (char *)s;	/* nothing converted: the caller reports it */
	return 0;
}

/* Float '/' and '^' (only reachable through lua_arith from C). */
long long mdb_lua_nofloat_op(lua_State *L, const char *op)
{
	luaG_runerror(L, "float arithmetic ('%s') is not supported: "
			 "mdb's Lua has integers only (use '//')", op);
}

/* '%a' / '%q' of a float: unreachable, as no float value exists. */
int mdb_lua_nofloat_fmt(lua_State *L)
{
	return luaL_error(L, "float formats are not supported (integers only)");
}

/*
 * mdb_lua_hold_emergency_gc - allow or forbid emergency collections
 *
 * Lua runs a full collection when an allocation fails. In the hit path the
 * collector is held off (it runs in process context instead): an arena
 * that is full gives an immediate memory error there.
 */
void mdb_lua_hold_emergency_gc(lua_State *L, int hold)
{
	G(L)->gcstopem = hold ? 1 : 0;
}
