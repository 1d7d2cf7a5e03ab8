// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype.c - the mdb library's functions of typed values (mdb_ltype.h,
 * registered by the core with mdb_lua_register()): mdb.cast, mdb.sizeof,
 * mdb.offsetof, mdb.typeof, mdb.has_field, mdb.addr(p), mdb.dump; type
 * names ("struct file *") to BTF ids, cached. The typed values themselves
 * are in mdb_ltype_value.c, ctx.args/ctx.retval in mdb_ltype_args.c, the
 * fast forms in mdb_ltype_fast.c, the caches in mdb_ltype_cache.c.
 *
 * Context: the script call's, NMI included: no lock, no slab allocation,
 * reads only through the nofault copies, BTF lookups only through the
 * bounded, lock-free functions of btf.h.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_internal.h"
#include "mdb_ltype.h"
#include "mdb_ltype_value.h"

#define MDB_TV_DUMP_MAX		1024	/* bytes mdb.dump copies into the log */

/* mdb.dump()'s copy of the object, before it goes into the log */
static DEFINE_PER_CPU(u8[MDB_TV_DUMP_MAX], mdb_tv_dumpbuf);

static void (*mdb_tv_dump_hook)(void *hit, unsigned int nr, u32 gen, u32 type,
				unsigned int depth, const void *data, size_t len);

void mdb_ltype_set_dump(void (*dump)(void *hit, unsigned int nr, u32 gen, u32 type,
				     unsigned int depth, const void *data, size_t len))
{
	mdb_tv_dump_hook = dump;
}

/* ---- type names -------------------------------------------------------- */

/* The type named by argument @arg ("struct file", "u32 *"), cached. */
static u32 type_arg(lua_State *L, int arg, unsigned int *nr)
{
	size_t len;
	const char *name = luaL_checklstring(L, arg, &len);
	lua_Integer packed;
	int id;

	mdb_tv_cache_sub(L, C_NAMES);
	lua_pushvalue(L, arg);
	if (lua_rawget(L, -2) == LUA_TNUMBER) {
		packed = lua_tointeger(L, -1);
		lua_pop(L, 2);
		*nr = packed >> 32;
		return (u32)packed;
	}
	lua_pop(L, 1);
	id = mdb_btf_find_any(name, len, nr, mdb_tv_msg(), MDB_BTF_MSG_MAX);
	if (id < 0)
		luaL_error(L, "%s", mdb_tv_msg());
	if (id == 0)
		luaL_error(L, "'void' has no size or fields");
	lua_pushvalue(L, arg);
	lua_pushinteger(L, ((lua_Integer)*nr << 32) | (u32)id);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	return id;
}

/* mdb.cast(addr or p, "struct T" or "struct T *") -> typed value */
static int mdb_l_cast(lua_State *L)
{
	struct mdb_tv *src = mdb_tv_check(L, 1);
	u64 addr = src ? src->addr : (u64)luaL_checkinteger(L, 1);
	unsigned int nr;
	u32 id = type_arg(L, 2, &nr);
	const struct mdb_btf *b = mdb_btf_handle(nr);

	if (!b)
		return luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	if (mdb_btf_kind(b, mdb_btf_strip(b, id)) == MDB_BTF_PTR) {
		u32 target = mdb_btf_ref(b, mdb_btf_strip(b, id));

		if (!target || mdb_btf_class(b, target) == MDB_BTF_C_VOID)
			return luaL_error(L, "cannot cast to a void pointer");
		mdb_tv_new(L, nr, target, id, addr);
	} else {
		mdb_tv_new(L, nr, id, 0, addr);
	}
	return 1;
}

/* mdb.sizeof("struct T" or p) -> bytes */
static int mdb_l_sizeof(lua_State *L)
{
	struct mdb_tv *tv = mdb_tv_check(L, 1);
	unsigned int nr;
	u32 id, size;
	const struct mdb_btf *b;

	if (tv) {
		b = mdb_tv_btf(L, tv);
		id = tv->type;
	} else {
		id = type_arg(L, 1, &nr);
		b = mdb_btf_handle(nr);
		if (!b)
			return luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	}
	if (mdb_btf_sizeof(b, id, &size))
		return luaL_error(L, "%s has no size", lua_tostring(L, 1));
	lua_pushinteger(L, size);
	return 1;
}

/* mdb.offsetof("struct T", "a.b") -> bytes from the start of T */
static int mdb_l_offsetof(lua_State *L)
{
	unsigned int nr;
	u32 id = type_arg(L, 1, &nr);
	size_t len;
	const char *path = luaL_checklstring(L, 2, &len);
	const struct mdb_btf *b = mdb_btf_handle(nr);
	struct mdb_btf_plan plan;

	if (!b)
		return luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	if (mdb_btf_plan_compile(b, id, NULL, path, len, &plan, mdb_tv_msg(), MDB_BTF_MSG_MAX))
		return luaL_error(L, "%s", mdb_tv_msg());
	if (plan.nr_steps != 1)
		return luaL_error(L, "offsetof: '%s' goes through a pointer", path);
	lua_pushinteger(L, plan.step[0].off);
	return 1;
}

/* mdb.typeof(p) -> "struct file *" */
static int mdb_l_typeof(lua_State *L)
{
	struct mdb_tv *tv = mdb_tv_check(L, 1);
	const struct mdb_btf *b;
	char *s = mdb_tv_msg();

	luaL_argcheck(L, tv, 1, "typed value expected");
	b = mdb_tv_btf(L, tv);
	mdb_btf_type_str(b, tv->ptr ? tv->ptr : tv->type, s, MDB_BTF_MSG_MAX);
	lua_pushstring(L, s);
	return 1;
}

/* mdb.has_field("struct task_struct", "__state") -> boolean */
static int mdb_l_has_field(lua_State *L)
{
	unsigned int nr;
	u32 id = type_arg(L, 1, &nr);
	size_t len;
	const char *path = luaL_checklstring(L, 2, &len);
	const struct mdb_btf *b = mdb_btf_handle(nr);
	struct mdb_btf_plan plan;

	if (!b)
		return luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	lua_pushboolean(L, !mdb_btf_plan_compile(b, id, NULL, path, len, &plan,
						 mdb_tv_msg(), MDB_BTF_MSG_MAX));
	return 1;
}

/* mdb.addr(p) -> the address of a typed value; mdb.addr(name): a symbol's */
static int mdb_l_addr(lua_State *L)
{
	struct mdb_tv *tv = mdb_tv_check(L, 1);
	unsigned long a;

	if (tv) {
		lua_pushinteger(L, (lua_Integer)tv->addr);
		return 1;
	}
	a = mdb_lua_lookup(luaL_checkstring(L, 1));
	if (a)
		lua_pushinteger(L, (lua_Integer)a);
	else
		lua_pushnil(L);
	return 1;
}

/*
 * mdb.dump(p [, depth=1]): copy the object's bytes (up to 1 KiB) into the
 * log, formatted with its field names when the log is read. true, or nil
 * when the object cannot be read.
 */
static int mdb_l_dump(lua_State *L)
{
	struct mdb_tv *tv = mdb_tv_check(L, 1);
	lua_Integer depth = luaL_optinteger(L, 2, 1);
	const struct mdb_btf *b;
	u32 size = 0;
	void *data;

	luaL_argcheck(L, tv, 1, "typed value expected");
	luaL_argcheck(L, depth >= 0 && depth <= MDB_BTF_FMT_DEPTH_MAX, 2, "depth must be 0..8");
	b = mdb_tv_btf(L, tv);
	if (mdb_btf_sizeof(b, tv->type, &size))
		return luaL_error(L, "dump: the object's size is unknown");
	size = min_t(u32, size, MDB_TV_DUMP_MAX);
	data = this_cpu_ptr(mdb_tv_dumpbuf);
	if (size && !tv_read(data, tv->addr, size))
		return mdb_tv_fault(L);
	if (mdb_tv_dump_hook)
		mdb_tv_dump_hook(mdb_lua_hit(L), tv->nr, tv->gen, tv->type, depth, data, size);
	lua_pushboolean(L, 1);
	return 1;
}

/* A char * to @addr (user or kernel: p:str() knows which), for syscall events. */
int mdb_ltype_cast_cstr(lua_State *L, u64 addr)
{
	lua_pushcfunction(L, mdb_l_cast);
	lua_pushinteger(L, (lua_Integer)addr);
	lua_pushliteral(L, "char *");
	lua_call(L, 2, 1);
	return 1;
}

const struct luaL_Reg mdb_ltype_lib[] = {
	{ "cast", mdb_l_cast },
	{ "sizeof", mdb_l_sizeof },
	{ "offsetof", mdb_l_offsetof },
	{ "typeof", mdb_l_typeof },
	{ "has_field", mdb_l_has_field },
	{ "addr", mdb_l_addr },
	{ "dump", mdb_l_dump },
	{ NULL, NULL },
};
