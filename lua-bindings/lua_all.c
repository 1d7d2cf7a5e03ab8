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
#include "mdb_lua_fast.h"

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
/*
 * What a hit runs, in .text.hot (declared again, hot, before the
 * definitions below): together with mdb's own hit path, a few pages of
 * code instead of calls all over the module's text. Under QEMU's TCG,
 * where `make bench` runs, a jump to another 4 KiB page of code (a call,
 * a far branch) is not chained: each is a lookup of the translated target.
 */
#define MDB_HOT __attribute__((__hot__))
#include "lua/lauxlib.h"
LUAI_FUNC void luaC_step (lua_State *L) MDB_HOT;
LUAI_FUNC void luaV_execute (lua_State *L, CallInfo *ci) MDB_HOT;
/*
 * luaV_finishget has mdb_lua_fastindex() in line, whose result buffer
 * would give it a stack canary, checked on every metamethod: the buffer
 * is written only within its bounds (by mdb's fast forms), so none.
 */
#if __has_attribute(__no_stack_protector__)
#define MDB_NO_CANARY __attribute__((__no_stack_protector__))
#else
#define MDB_NO_CANARY
#endif
LUAI_FUNC void luaV_finishget (lua_State *L, const TValue *t, TValue *key,
                               StkId val, const TValue *slot) MDB_HOT MDB_NO_CANARY;
LUAI_FUNC CallInfo *luaD_precall (lua_State *L, StkId func,
                                  int nResults) MDB_HOT;
LUAI_FUNC void luaD_poscall (lua_State *L, CallInfo *ci, int nres) MDB_HOT;
LUAI_FUNC void luaD_callnoyield (lua_State *L, StkId func,
                                 int nResults) MDB_HOT;
LUAI_FUNC const TValue *luaT_gettmbyobj (lua_State *L, const TValue *o,
                                         TMS event) MDB_HOT;
LUAI_FUNC void luaT_callTMres (lua_State *L, const TValue *f,
                               const TValue *p1, const TValue *p2,
                               StkId p3) MDB_HOT;
LUAI_FUNC const TValue *luaH_getint (Table *t, lua_Integer key) MDB_HOT;
LUAI_FUNC const TValue *luaH_getshortstr (Table *t, TString *key) MDB_HOT;
LUAI_FUNC const TValue *luaH_getstr (Table *t, TString *key) MDB_HOT;
LUAI_FUNC const TValue *luaH_get (Table *t, const TValue *key) MDB_HOT;
LUAI_FUNC TString *luaS_newlstr (lua_State *L, const char *str,
                                 size_t l) MDB_HOT;
static TString *internshrstr (lua_State *L, const char *str,
                              size_t l) MDB_HOT;
LUA_API int (lua_gettop) (lua_State *L) MDB_HOT;
LUA_API int (lua_type) (lua_State *L, int idx) MDB_HOT;
LUA_API lua_Integer (lua_tointegerx) (lua_State *L, int idx,
                                      int *isnum) MDB_HOT;
LUA_API const char *(lua_tolstring) (lua_State *L, int idx,
                                     size_t *len) MDB_HOT;
LUA_API void (lua_pushinteger) (lua_State *L, lua_Integer n) MDB_HOT;
LUA_API const char *(lua_pushlstring) (lua_State *L, const char *s,
                                       size_t len) MDB_HOT;
LUALIB_API lua_Integer (luaL_checkinteger) (lua_State *L, int arg) MDB_HOT;

/* patch 0011: luaV_finishget asks this first (below) */
static int mdb_lua_fastindex(lua_State *L, const TValue *tm, const TValue *t,
                             const TValue *key, StkId val) MDB_HOT;

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

/*
 * mdb_lua_gcobj - the collectable object at stack index @idx, or NULL
 *
 * For mdb_lua_fast_call()'s arguments: the caller keeps the object alive
 * (a registry reference) for as long as it keeps the pointer.
 */
void *mdb_lua_gcobj(lua_State *L, int idx)
{
	const TValue *o = index2value(L, idx);

	return iscollectable(o) ? gcvalue(o) : NULL;
}

void *mdb_lua_shortstr(lua_State *L, int idx)
{
	const TValue *o = index2value(L, idx);

	return ttisshrstring(o) ? tsvalue(o) : NULL;
}

/*
 * mdb_lua_fast_call - the hit path's call: _G[name](arg), one result
 * @name: a string object (mdb_lua_gcobj()), kept alive by the caller
 * @arg:  a full userdata object, kept alive by the caller
 * @hold: forbid emergency collections during the call
 *
 * What lua_getglobal + lua_pcall(L, 1, 1, 0) do for a Lua function, with
 * the same recovery (luaD_pcall's) but one raw table lookup, no API index
 * translation, no CallS trampoline and no indirect call. The collector is
 * stopped as lua_gc(LUA_GCSTOP) does (a script may have restarted it).
 *
 * Returns .status -1, having changed nothing, when it does not apply
 * (_G[name] is not a Lua function, a call or a protected call is already
 * running, no stack room): the caller takes the general path. Otherwise a
 * Lua status, and with LUA_OK the result in .res (struct mdb_lua_fast);
 * after an error the message is on the top of the stack, as lua_pcall
 * leaves it.
 *
 * No stack canary: its only array is the jmp_buf, which setjmp alone
 * writes (two per-CPU reads fewer on every hit).
 */
#if __has_attribute(__no_stack_protector__)
__attribute__((__no_stack_protector__))
#endif
MDB_HOT struct mdb_lua_fast mdb_lua_fast_call(lua_State *L, void *name,
					      void *arg, int hold)
{
	struct mdb_lua_fast out = { .status = -1, .res = 0 };
	global_State *g = G(L);
	Table *reg = hvalue(&g->l_registry);
	/* the registry's array part holds its first keys (lstate.c) */
	const TValue *gt = reg->alimit >= LUA_RIDX_GLOBALS ?
			   &reg->array[LUA_RIDX_GLOBALS - 1] :
			   luaH_getint(reg, LUA_RIDX_GLOBALS);
	const TValue *f;
	StkId func = L->top;
	struct lua_longjmp lj luai_noinit;	/* patch 0010 */
	l_uint32 old_nccalls = L->nCcalls;
	lu_byte old_allowhook = L->allowhook;
	ptrdiff_t old;
	int status;

	/* one branch for the lot ('|': no short-circuit chain) */
	if ((L->ci != &L->base_ci) | (L->status != LUA_OK) |
	    (L->errorJmp != NULL) | (L->errfunc != 0) |
	    (L->base_ci.top - func < 2) | !ttistable(gt))
		return out;
	f = luaH_getstr(hvalue(gt), gco2ts(name));
	if (!ttisLclosure(f))
		return out;
	setclLvalue2s(L, func, clLvalue(f));
	setuvalue(L, s2v(func + 1), gco2u(arg));
	L->top = func + 2;
	old = savestack(L, func);
	g->gcstp = GCSTPUSR;
	mdb_lua_hold_emergency_gc(L, hold);
	/*
	 * luaD_pcall(L, f_call, ...) with its luaD_rawrunprotected() in line:
	 * no indirect call (a retpoline in the kernel) and two frames fewer.
	 * The error recovery is luaD_pcall's; no errfunc, no call below us
	 * (checked above), so there is no other state to restore.
	 */
	lj.status = LUA_OK;
	lj.previous = NULL;
	L->errorJmp = &lj;
	LUAI_TRY(L, &lj,
		luaD_callnoyield(L, func, 1);
	);
	L->errorJmp = NULL;
	L->nCcalls = old_nccalls;
	status = lj.status;
	if (status == LUA_OK) {
		const TValue *r = s2v(restorestack(L, old));

		out.res = ttisnil(r) ? 0 : ttisfalse(r) ? 1 : 2;
		L->top = restorestack(L, old);	/* pop the result */
	} else {
		L->ci = &L->base_ci;
		L->allowhook = old_allowhook;
		status = luaD_closeprotected(L, old, status);
		luaD_seterrorobj(L, status, restorestack(L, old));
		luaD_shrinkstack(L);
	}
	mdb_lua_hold_emergency_gc(L, 0);
	out.status = status;
	return out;
}

/*
 * mdb_lua_set_fastindex - register @fast, the fast form of the C function
 * @index wherever that is an __index metamethod (mdb_lua_fast.h)
 *
 * Process context, before any state runs a script (module init). Returns
 * 0, or -1 when the table is full.
 */
#define MDB_FASTINDEX_MAX 4
static struct {
	lua_CFunction index;
	mdb_lua_fastindex_fn fast;
} mdb_fastindex[MDB_FASTINDEX_MAX];

int mdb_lua_set_fastindex(int (*index)(lua_State *L), mdb_lua_fastindex_fn fast)
{
	int i;

	for (i = 0; i < MDB_FASTINDEX_MAX; i++) {
		if (!mdb_fastindex[i].index || mdb_fastindex[i].index == index) {
			mdb_fastindex[i].fast = fast;
			mdb_fastindex[i].index = index;
			return 0;
		}
	}
	return -1;
}

/*
 * val = t[key] through the fast form of the metamethod @tm, when @tm has
 * one and it answers: what luaT_callTMres(L, tm, t, key, val) would have
 * stored, without the call. The garbage collector is stopped during a hit
 * (mdb_lua_fast_call) and nothing here runs a step, so the stack does not
 * move; a new object is stored in @val, a stack slot, at once.
 */
static int mdb_lua_fastindex(lua_State *L, const TValue *tm, const TValue *t,
                             const TValue *key, StkId val)
{
	struct mdb_lua_fastval out luai_noinit;	/* the fast form fills it */
	lua_CFunction f;
	void *obj;
	int i;

	if (!ttislcf(tm) || !ttisstring(key))
		return 0;
	f = fvalue(tm);
	for (i = 0; i < MDB_FASTINDEX_MAX && mdb_fastindex[i].index != f; i++)
		;
	if (i == MDB_FASTINDEX_MAX || !mdb_fastindex[i].index)
		return 0;
	if (ttisfulluserdata(t))
		obj = getudatamem(uvalue(t));
	else if (ttislightuserdata(t))
		obj = pvalue(t);
	else if (ttistable(t))
		obj = hvalue(t);
	else
		return 0;
	if (!mdb_fastindex[i].fast(L, obj, getstr(tsvalue(key)), tsslen(tsvalue(key)),
				   ttisshrstring(key) ? tsvalue(key) : NULL, &out))
		return 0;
	switch (out.kind) {
	case MDB_FV_NIL:
		setnilvalue(s2v(val));
		break;
	case MDB_FV_INT:
		setivalue(s2v(val), out.i);
		break;
	case MDB_FV_BOOL:
		if (out.i)
			setbtvalue(s2v(val));
		else
			setbfvalue(s2v(val));
		break;
	case MDB_FV_LIGHT:
		/* without the metatable of light userdata the value is no use */
		if (!G(L)->mt[LUA_TLIGHTUSERDATA])
			return 0;
		setpvalue(s2v(val), (void *)out.p);
		break;
	case MDB_FV_STR:
		if (out.len > sizeof(out.data))
			return 0;
		setsvalue2s(L, val, luaS_newlstr(L, (const char *)out.data, out.len));
		break;
	case MDB_FV_UDATA: {
		Udata *u;

		if (out.len > sizeof(out.data) || !out.p)
			return 0;
		u = luaS_newudata(L, out.len, 0);
		memcpy(getudatamem(u), out.data, out.len);
		u->metatable = (Table *)out.p;
		setuvalue(L, s2v(val), u);
		luaC_objbarrier(L, u, u->metatable);
		break;
	}
	default:
		return 0;
	}
	return 1;
}
