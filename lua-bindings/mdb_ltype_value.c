// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype_value.c - typed values in Lua, from the kernel's BTF
 * (mdb_ltype_value.h): making them, and their metatable (p.field, p[i],
 * p:str(), tostring, ==) on the slow path, the one that uses the Lua API
 * and fills the caches (mdb_ltype_cache.c); the fast form of p.field is
 * in mdb_ltype_fast.c.
 *
 * A typed value is a small userdata, "an object of BTF type T at address
 * A" (struct mdb_tv). A pointer met in a field or an argument becomes the
 * object it points to (so `p.f_path` reads through it, like bpftrace's
 * `->`), and remembers the pointer type for mdb.typeof(). Reading a field
 * follows an access plan (btf.h): a few {add offset, dereference} steps,
 * then one read of the final value, every read a nofault copy.
 *
 * Runs in NMI (a hit) or process context (`call`, a script's main body):
 * no lock, no slab allocation, no sleeping. The only BTF work is the
 * bounded, lock-free lookups of btf.h, and their results are cached
 * (mdb_ltype_cache.h): a later hit with the same field does no lookup.
 * A typed value made before a module's BTF went refuses to be used.
 *
 * A read that faults gives nil and is counted ("faulted reads" in status).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_internal.h"
#include "mdb_ltype.h"
#include "mdb_ltype_value.h"

#define MDB_TV_STR_DEFAULT	256
#define MDB_TV_STR_MAX		4096
#define MDB_TV_CHARS_MAX	4096	/* bytes of a char[N] field read */

static DEFINE_PER_CPU(u64, mdb_tv_faults);
/* the message of a failed lookup: a script call never nests on a CPU */
static DEFINE_PER_CPU(char[MDB_BTF_MSG_MAX], mdb_tv_msgbuf);

/* registry key (its address) */
static const char mdb_tv_mt_key;

u64 mdb_ltype_faults(void)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(mdb_tv_faults, cpu);
	return n;
}

char *mdb_tv_msg(void)
{
	return this_cpu_ptr(mdb_tv_msgbuf);
}

int mdb_tv_fault(lua_State *L)
{
	this_cpu_inc(mdb_tv_faults);
	lua_pushnil(L);
	return 1;
}

/* ---- typed values ------------------------------------------------------ */

const struct mdb_btf *mdb_tv_btf(lua_State *L, const struct mdb_tv *tv)
{
	const struct mdb_btf *b;

	if (tv->nr != MDB_BTF_VMLINUX && tv->gen != mdb_btfidx_gen())
		luaL_error(L, "typed value of an unloaded module's type");
	b = mdb_btf_handle(tv->nr);
	if (!b)
		luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	return b;
}

struct mdb_tv *mdb_tv_check(lua_State *L, int i)
{
	struct mdb_tv *tv = lua_touserdata(L, i);

	if (!tv || !lua_getmetatable(L, i))
		return NULL;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &mdb_tv_mt_key);
	if (!lua_rawequal(L, -1, -2))
		tv = NULL;
	lua_pop(L, 2);
	return tv;
}

static void tv_push_mt(lua_State *L);

struct mdb_tv *mdb_tv_new(lua_State *L, unsigned int nr, u32 type, u32 ptr, u64 addr)
{
	struct mdb_tv *tv = lua_newuserdatauv(L, sizeof(*tv), 0);
	struct fcache *fc;

	tv->addr = addr;
	tv->type = type;
	tv->ptr = ptr;
	tv->nr = nr;
	tv->gen = mdb_btfidx_gen();
	tv_push_mt(L);
	fc = *(struct fcache **)mdb_lua_ext(L);
	if (fc && unlikely(!fc->tv_mt))
		fc->tv_mt = mdb_lua_gcobj(L, -1);	/* for mdb_tv_fast_index(): anchored in the registry */
	lua_setmetatable(L, -2);
	return tv;
}

/*
 * A pointer's value @v of PTR type @ptr: nil for NULL, an integer for a
 * void or function pointer, else the object it points to.
 */
static int push_pointer(lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 ptr, u64 v)
{
	u32 target = mdb_btf_ref(b, mdb_btf_strip(b, ptr));
	enum mdb_btf_class c = mdb_btf_class(b, target);

	if (!v) {
		lua_pushnil(L);
	} else if (!target || c == MDB_BTF_C_VOID || c == MDB_BTF_C_FUNC) {
		lua_pushinteger(L, (lua_Integer)v);
	} else {
		mdb_tv_new(L, nr, target, ptr, v);
	}
	return 1;
}

/* A scalar of class @cls from its raw little-endian bytes (in @v). */
int mdb_tv_push_scalar(lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
		       int cls, u64 v, u32 size, u32 bit_off, u32 bits, bool is_signed)
{
	v = scalar_bits(v, size, bit_off, bits, is_signed);
	switch (cls) {
	case MDB_BTF_C_BOOL:
		lua_pushboolean(L, v != 0);
		return 1;
	case MDB_BTF_C_PTR:
		return push_pointer(L, b, nr, type, v);
	default:
		lua_pushinteger(L, (lua_Integer)v);
		return 1;
	}
}

/* Is an INT or ENUM type signed? */
bool mdb_tv_signed(const struct mdb_btf *b, u32 type)
{
	u32 t = mdb_btf_resolve(b, type);
	struct mdb_btf_int in;

	switch (mdb_btf_kind(b, t)) {
	case MDB_BTF_INT:
		return !mdb_btf_int(b, t, &in) && (in.encoding & MDB_BTF_INT_SIGNED);
	case MDB_BTF_ENUM:
	case MDB_BTF_ENUM64:
		return mdb_btf_kflag(b, t);
	}
	return false;
}

/* A char[N] at @addr as a Lua string up to its NUL. */
static int push_chars(lua_State *L, u64 addr, u32 size)
{
	luaL_Buffer buf;
	char *p;

	size = min_t(u32, size, MDB_TV_CHARS_MAX);
	p = luaL_buffinitsize(L, &buf, size);
	if (size && !tv_read(p, addr, size))
		return mdb_tv_fault(L);
	luaL_pushresultsize(&buf, strnlen(p, size));
	return 1;
}

int mdb_tv_push_value(lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
		      int cls, u64 addr, u32 size, u32 bit_off, u32 bits, bool is_signed)
{
	struct fc_val v;

	mdb_fc_val_fill(b, type, cls, size, is_signed, &v);
	return mdb_tv_push_fast(L, nr, &v, addr, NULL, bit_off, bits);
}

int mdb_tv_push_fast(lua_State *L, unsigned int nr, const struct fc_val *v, u64 addr,
		     const u64 *raw, u32 bit_off, u32 bits)
{
	u64 x = 0;
	u32 size = v->size;

	switch (v->cls) {
	case MDB_BTF_C_STRUCT:
	case MDB_BTF_C_UNION:
	case MDB_BTF_C_ARRAY:
		mdb_tv_new(L, nr, v->type, 0, addr);
		return 1;
	case MDB_BTF_C_CHAR_ARRAY:
		return push_chars(L, addr, size);
	case MDB_BTF_C_VOID:
	case MDB_BTF_C_FUNC:
		return luaL_error(L, "a value of this type cannot be read");
	}
	if (size > 8) {
		if (bits)
			return luaL_error(L, "a bitfield wider than 64 bits cannot be read");
		size = 8;	/* 128-bit integers, long double: the low bytes */
	}
	if (raw)
		x = *raw;
	else if (!tv_read(&x, addr, size))
		return mdb_tv_fault(L);
	if (v->cls == MDB_BTF_C_PTR) {
		if (!x)
			lua_pushnil(L);
		else if (!v->target || v->tcls == MDB_BTF_C_VOID || v->tcls == MDB_BTF_C_FUNC)
			lua_pushinteger(L, (lua_Integer)x);
		else
			mdb_tv_new(L, nr, v->target, v->type, x);
		return 1;
	}
	return mdb_tv_push_scalar(L, NULL, nr, v->type, v->cls, x, size, bit_off, bits, v->is_signed);
}

/* A plan of field @key (@len bytes) of @tv's type, cached. Pushes nothing. */
const struct mdb_btf_plan *mdb_tv_plan(lua_State *L, const struct mdb_btf *b,
					  const struct mdb_tv *tv, int key)
{
	struct mdb_btf_plan *plan;
	lua_Integer tkey;

	key = lua_absindex(L, key);
	tkey = ((lua_Integer)tv->nr << 32) | tv->type;
	const char *name;
	size_t len;

	mdb_tv_cache_sub(L, C_PLANS);
	if (lua_rawgeti(L, -1, tkey) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, tkey);
	}
	lua_pushvalue(L, key);
	if (lua_rawget(L, -2) == LUA_TUSERDATA) {
		plan = lua_touserdata(L, -1);
		lua_pop(L, 3);	/* plans stay referenced by the cache */
		return plan;
	}
	lua_pop(L, 1);
	name = lua_tolstring(L, key, &len);
	plan = lua_newuserdatauv(L, sizeof(*plan), 0);
	if (mdb_btf_plan_compile(b, tv->type, NULL, name, len, plan, mdb_tv_msg(), MDB_BTF_MSG_MAX))
		luaL_error(L, "%s", mdb_tv_msg());
	lua_pushvalue(L, key);
	lua_pushvalue(L, -2);
	lua_rawset(L, -4);
	lua_pop(L, 3);
	return plan;
}

/* p:str([max]): the string a char pointer points to (user or kernel). */
static int tv_str(lua_State *L)
{
	struct mdb_tv *tv = mdb_tv_check(L, 1);
	lua_Integer max = luaL_optinteger(L, 2, MDB_TV_STR_DEFAULT);
	const struct mdb_btf *b;
	bool user;
	u32 size = 0;

	luaL_argcheck(L, tv, 1, "typed value expected");
	luaL_argcheck(L, max >= 0 && max <= MDB_TV_STR_MAX, 2, "length out of range");
	b = mdb_tv_btf(L, tv);
	if (mdb_btf_sizeof(b, tv->type, &size) || size != 1 ||
	    mdb_btf_class(b, tv->type) == MDB_BTF_C_STRUCT)
		return luaL_error(L, "str(): not a char pointer (it points to %s)",
				  (mdb_btf_type_str(b, tv->type, mdb_tv_msg(), MDB_BTF_MSG_MAX), mdb_tv_msg()));
	user = tv->addr < TASK_SIZE_MAX;
	if (!mdb_lua_push_memstr(L, tv->addr, max, user))
		return mdb_tv_fault(L);
	return 1;
}

/* p[i]: element i of an array, or the i-th object from a pointer. */
static int tv_index_int(lua_State *L, struct mdb_tv *tv, lua_Integer i)
{
	const struct mdb_btf *b = mdb_tv_btf(L, tv);
	u32 t = mdb_btf_resolve(b, tv->type), elem = tv->type, n = 0, size;

	if (mdb_btf_kind(b, t) == MDB_BTF_ARRAY) {
		mdb_btf_array(b, t, &elem, &n);
		if (n && (i < 0 || i >= n))
			return luaL_error(L, "index %d out of range: the array has %d elements",
					  (int)i, (int)n);
	} else if (!tv->ptr) {
		return luaL_error(L, "cannot index %s: not an array or pointer",
				  (mdb_btf_type_str(b, tv->type, mdb_tv_msg(), MDB_BTF_MSG_MAX), mdb_tv_msg()));
	}
	if (mdb_btf_sizeof(b, elem, &size))
		return luaL_error(L, "cannot index: the element's size is unknown");
	return mdb_tv_push_value(L, b, tv->nr, elem, mdb_btf_class(b, elem), tv->addr + (u64)i * size,
			  size, 0, 0, mdb_tv_signed(b, elem));
}

int mdb_tv_index(lua_State *L)
{
	struct mdb_tv *tv = lua_touserdata(L, 1);
	const struct mdb_btf *b = mdb_tv_btf(L, tv);
	const struct mdb_btf_plan *plan;
	struct fcache *fc;
	struct fc_plan *e;
	size_t klen;
	const char *key;
	u32 gen;
	u64 addr;

	/* the fast cache: a field of this type met before */
	if (lua_type(L, 2) == LUA_TSTRING) {
		key = lua_tolstring(L, 2, &klen);
		fc = mdb_fc_get(L);
		e = mdb_fc_plan_find(fc, mdb_btfidx_gen(), tv->nr, tv->type, key, klen,
				 mdb_lua_shortstr(L, 2));
		if (e) {
			plan = e->plan;
			addr = tv->addr;
			if (!plan_walk(plan, &addr))
				return mdb_tv_fault(L);
			return mdb_tv_push_fast(L, tv->nr, &e->v, addr, NULL, plan->bit_off, plan->bits);
		}
	}
	if (lua_isinteger(L, 2))
		return tv_index_int(L, tv, lua_tointeger(L, 2));
	if (lua_type(L, 2) != LUA_TSTRING)
		return luaL_error(L, "a typed value's field is a name or an index");
	/* the one method: str, for what is not a struct or union */
	if (mdb_btf_class(b, tv->type) != MDB_BTF_C_STRUCT &&
	    mdb_btf_class(b, tv->type) != MDB_BTF_C_UNION) {
		size_t len;
		const char *k = lua_tolstring(L, 2, &len);

		if (len == 3 && !memcmp(k, "str", 3)) {
			lua_pushcfunction(L, tv_str);
			return 1;
		}
	}
	gen = mdb_btfidx_gen();	/* before the plan's: a newer plan is never found under it */
	plan = mdb_tv_plan(L, b, tv, 2);
	/* keep it in the fast cache */
	key = lua_tolstring(L, 2, &klen);
	mdb_fc_plan_put(mdb_fc_get(L), b, gen, tv->nr, tv->type, key, klen,
			mdb_lua_shortstr(L, 2), plan);
	addr = tv->addr;
	if (!plan_walk(plan, &addr))
		return mdb_tv_fault(L);
	return mdb_tv_push_value(L, b, tv->nr, plan->type, plan->cls, addr, plan->size,
			  plan->bit_off, plan->bits, plan->is_signed);
}

static int tv_tostring(lua_State *L)
{
	struct mdb_tv *tv = lua_touserdata(L, 1);
	const struct mdb_btf *b = mdb_tv_btf(L, tv);
	char *s = mdb_tv_msg();

	char a[24];

	mdb_btf_type_str(b, tv->ptr ? tv->ptr : tv->type, s, MDB_BTF_MSG_MAX);
	snprintf(a, sizeof(a), "0x%llx", tv->addr);
	lua_pushfstring(L, "(%s)%s", s, a);
	return 1;
}

static int tv_eq(lua_State *L)
{
	struct mdb_tv *a = mdb_tv_check(L, 1), *b = mdb_tv_check(L, 2);

	lua_pushboolean(L, a && b && a->addr == b->addr && a->type == b->type &&
			a->nr == b->nr);
	return 1;
}

static void tv_push_mt(lua_State *L)
{
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &mdb_tv_mt_key) == LUA_TTABLE)
		return;
	lua_pop(L, 1);
	lua_createtable(L, 0, 4);
	lua_pushcfunction(L, mdb_tv_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, tv_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushcfunction(L, tv_eq);
	lua_setfield(L, -2, "__eq");
	lua_pushliteral(L, "mdb.typed");
	lua_setfield(L, -2, "__name");
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &mdb_tv_mt_key);
}

/**
 * mdb_ltype_field - where field @path (argument @pidx) of the typed value
 * at argument @tidx lives, for mdb.watch(p, "path")
 * @addr: the field's address
 * @size: its size in bytes (a bitfield's storage unit)
 *
 * A Lua error for a bad path; false when a pointer on the way cannot be
 * read. Any context.
 */
bool mdb_ltype_field(lua_State *L, int tidx, int pidx, u64 *addr, u32 *size)
{
	struct mdb_tv *tv = mdb_tv_check(L, tidx);
	const struct mdb_btf *b;
	const struct mdb_btf_plan *plan;

	luaL_argcheck(L, tv, tidx, "typed value expected");
	luaL_checkstring(L, pidx);
	b = mdb_tv_btf(L, tv);
	plan = mdb_tv_plan(L, b, tv, pidx);
	*addr = tv->addr;
	*size = plan->size;
	if (!plan_walk(plan, addr)) {
		this_cpu_inc(mdb_tv_faults);
		return false;
	}
	return true;
}
