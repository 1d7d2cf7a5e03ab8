// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype.c - typed values in Lua, from the kernel's BTF (mdb_ltype.h).
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
 * bounded, lock-free lookups of btf.h, and their results are cached in
 * the state's registry (plans per type and field name, functions per
 * breakpoint address, parameters per function, type ids per C name): a
 * later hit with the same field does two table lookups and its reads.
 * The caches are dropped when a module's BTF goes (mdb_btfidx_gen());
 * a typed value made before that refuses to be used.
 *
 * A read that faults gives nil and is counted ("faulted reads" in status).
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_internal.h"
#include "mdb_lua_fast.h"
#include "mdb_ltype.h"
#include "btfidx.h"
#include "mdb.h"
#include "nofault.h"

#define MDB_TV_STR_DEFAULT	256
#define MDB_TV_STR_MAX		4096
#define MDB_TV_CHARS_MAX	4096	/* bytes of a char[N] field read */
#define MDB_TV_DUMP_MAX		1024	/* bytes mdb.dump copies into the log */

/* "an object of @type at @addr", in BTF handle @nr made under @gen */
struct mdb_tv {
	u64 addr;
	u32 type;	/* as written in BTF (typedefs and modifiers kept) */
	u32 ptr;	/* the PTR type it was reached through, or 0 */
	u32 gen;
	u8 nr;
};

static DEFINE_PER_CPU(u64, mdb_tv_faults);
static DEFINE_PER_CPU(char[KSYM_SYMBOL_LEN], mdb_tv_symbuf);
/* the message of a failed lookup: a script call never nests on a CPU */
static DEFINE_PER_CPU(char[MDB_BTF_MSG_MAX], mdb_tv_msg);
/* mdb.dump()'s copy of the object, before it goes into the log */
static DEFINE_PER_CPU(u8[MDB_TV_DUMP_MAX], mdb_tv_dumpbuf);

static void (*mdb_tv_dump_hook)(void *hit, unsigned int nr, u32 gen, u32 type,
				unsigned int depth, const void *data, size_t len);

/* registry keys (their addresses) */
static const char mdb_tv_mt_key, mdb_tv_cache_key;
enum { C_GEN = 1, C_PLANS, C_FUNCS, C_PARAMS, C_NAMES, C_NR };

u64 mdb_ltype_faults(void)
{
	u64 n = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		n += per_cpu(mdb_tv_faults, cpu);
	return n;
}

void mdb_ltype_set_dump(void (*dump)(void *hit, unsigned int nr, u32 gen, u32 type,
				     unsigned int depth, const void *data, size_t len))
{
	mdb_tv_dump_hook = dump;
}

static char *tv_msg(void)
{
	return this_cpu_ptr(mdb_tv_msg);
}

static int tv_fault(lua_State *L)
{
	this_cpu_inc(mdb_tv_faults);
	lua_pushnil(L);
	return 1;
}

/* Kernel memory only: a user or non-canonical address fails, never faults. */
static __always_inline bool tv_read(void *dst, u64 addr, size_t len)
{
	return mdb_read_nofault(dst, (unsigned long)addr, len);
}

/* ---- the cache --------------------------------------------------------- */

/*
 * Push cache subtable @which (C_PLANS...), creating the cache (again) when
 * there is none or a module's BTF went since it was made.
 */
static void cache_sub(lua_State *L, int which)
{
	u32 gen = mdb_btfidx_gen();
	int i;

	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &mdb_tv_cache_key) == LUA_TTABLE) {
		lua_rawgeti(L, -1, C_GEN);
		if (lua_tointeger(L, -1) == gen) {
			lua_pop(L, 1);
			lua_rawgeti(L, -1, which);
			lua_remove(L, -2);
			return;
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	lua_createtable(L, C_NR, 0);
	lua_pushinteger(L, gen);
	lua_rawseti(L, -2, C_GEN);
	for (i = C_PLANS; i < C_NR; i++) {
		lua_newtable(L);
		lua_rawseti(L, -2, i);
	}
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &mdb_tv_cache_key);
	lua_rawgeti(L, -1, which);
	lua_remove(L, -2);
}

/* ---- the fast cache ---------------------------------------------------- */

/*
 * What a hit looks up again and again - the function at a breakpoint's
 * address, a parameter by name, a field of a type by name - kept in C
 * arrays inside the state (a userdata anchored in the registry, found
 * through mdb_lua_ext()), each entry under the BTF generation it was made
 * in. A hit that finds its entry does no Lua table access and no BTF
 * walk: QEMU's exec trace counted ~4000 instructions of mdb for one
 * `ctx.args.offset` through the Lua tables (`rec()` alone called ~40
 * times: class, size and signedness of the same type again on every hit).
 * The Lua tables (cache_sub()) stay the complete cache; these arrays are
 * bounded, and what does not fit goes the slow way.
 */
#define FC_FUNCS	8	/* functions, by breakpoint address */
#define FC_PARAMS	8	/* parameters (or paths from them) of each, by name */
#define FC_PLANS	64	/* field plans, direct-mapped by (type, name) */
#define FC_NAME		48	/* longest name kept (with its NUL) */

/* what a value of a type needs at a hit: see push_fast() */
struct fc_val {
	u32 type, size;
	u32 target;		/* PTR: the pointed-to type, 0 for void */
	u8 cls, is_signed, tcls;
};

struct fc_param {
	struct fc_val v;	/* the parameter's, or with @plan the path's end */
	const struct mdb_btf_plan *plan;	/* "param.a.b": from the object */
	s8 slot;		/* arg_slot() */
	u8 len;
	char name[FC_NAME];
};

struct fc_func {
	unsigned long ip;
	u32 gen, func;
	u8 nr, nparams;
	u8 has_ret;		/* FC_RET_*: what ctx.retval gives */
	struct fc_val ret;	/* with FC_RET_TYPED: the return type's */
	struct fc_param p[FC_PARAMS];
};

struct fc_plan {
	const void *kid;	/* the name's string object (see fast_tv()), or NULL */
	u32 gen, type;
	u8 nr, len;
	char name[FC_NAME];
	const struct mdb_btf_plan *plan;	/* held by the Lua cache of @gen */
	struct fc_val v;
};

struct fcache {
	void *tv_mt;		/* the typed values' metatable (mdb_lua_gcobj), once made */
	struct fc_func f[FC_FUNCS];
	unsigned int fnext;
	struct fc_plan pl[FC_PLANS];
};

enum { FC_RET_UNKNOWN, FC_RET_TYPED, FC_RET_VOID, FC_RET_RAW };

static const char mdb_tv_fc_key;

/* This state's fast cache, made at its first use (a Lua error if no memory). */
static struct fcache *fc_get(lua_State *L)
{
	void **slot = mdb_lua_ext(L);
	struct fcache *fc = *slot;

	if (likely(fc))
		return fc;
	fc = lua_newuserdatauv(L, sizeof(*fc), 0);
	memset(fc, 0, sizeof(*fc));
	lua_rawsetp(L, LUA_REGISTRYINDEX, &mdb_tv_fc_key);
	*slot = fc;
	return fc;
}

static void fc_val_fill(const struct mdb_btf *b, u32 type, int cls, u32 size, bool sgn,
			struct fc_val *v)
{
	v->type = type;
	v->size = size;
	v->cls = cls;
	v->is_signed = sgn;
	v->target = 0;
	v->tcls = MDB_BTF_C_VOID;
	if (cls == MDB_BTF_C_PTR) {
		v->target = mdb_btf_ref(b, mdb_btf_strip(b, type));
		v->tcls = v->target ? mdb_btf_class(b, v->target) : MDB_BTF_C_VOID;
	}
}

static struct fc_func *fc_func_find(struct fcache *fc, unsigned long ip, u32 gen)
{
	int i;

	for (i = 0; i < FC_FUNCS; i++)
		if (fc->f[i].ip == ip && fc->f[i].gen == gen)
			return &fc->f[i];
	return NULL;
}

static struct fc_func *fc_func_add(struct fcache *fc, unsigned long ip, u32 gen,
				   unsigned int nr, u32 func)
{
	struct fc_func *fe = fc_func_find(fc, ip, gen);

	if (fe)
		return fe;
	fe = &fc->f[fc->fnext++ % FC_FUNCS];
	memset(fe, 0, sizeof(*fe));
	fe->ip = ip;
	fe->gen = gen;
	fe->nr = nr;
	fe->func = func;
	return fe;
}

static unsigned int fc_plan_slot(u32 type, const char *k, size_t len)
{
	u32 h = type * 0x9e3779b1U ^ (u32)len * 0x85ebca6bU;

	if (len)
		h ^= ((u8)k[0] << 8 | (u8)k[len - 1]) * 0xc2b2ae35U;
	return (h >> 16) & (FC_PLANS - 1);
}

/*
 * The fast cache's plan of field @key (@klen bytes) of type @type in handle
 * @nr under generation @gen, or NULL. @kid: the key's short string object
 * (mdb_lua_shortstr()), or NULL: the same object as the entry's is the
 * same name (the entry's is a key of this generation's Lua cache, so it
 * lives, and no other string has its address); else the bytes decide.
 */
static struct fc_plan *fc_plan_find(struct fcache *fc, u32 gen, unsigned int nr, u32 type,
				    const char *key, size_t klen, const void *kid)
{
	struct fc_plan *e = &fc->pl[fc_plan_slot(type, key, klen)];

	if (e->gen != gen || e->type != type || e->nr != nr || e->len != klen)
		return NULL;
	if ((!kid || kid != e->kid) && memcmp(e->name, key, klen))
		return NULL;
	return e;
}

/* ---- typed values ------------------------------------------------------ */

static const struct mdb_btf *tv_btf(lua_State *L, const struct mdb_tv *tv)
{
	const struct mdb_btf *b;

	if (tv->nr != MDB_BTF_VMLINUX && tv->gen != mdb_btfidx_gen())
		luaL_error(L, "typed value of an unloaded module's type");
	b = mdb_btf_handle(tv->nr);
	if (!b)
		luaL_error(L, "no BTF: %s", mdb_btfidx_why());
	return b;
}

static struct mdb_tv *tv_check(lua_State *L, int i)
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

static struct mdb_tv *tv_new(lua_State *L, unsigned int nr, u32 type, u32 ptr, u64 addr)
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
		fc->tv_mt = mdb_lua_gcobj(L, -1);	/* for fast_tv(): anchored in the registry */
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
		tv_new(L, nr, target, ptr, v);
	}
	return 1;
}

/* A scalar's value from its raw little-endian bytes @v: its bits, sign-extended. */
static __always_inline u64 scalar_bits(u64 v, u32 size, u32 bit_off, u32 bits, bool is_signed)
{
	if (bits) {
		v >>= bit_off;
		if (bits < 64)
			v &= (1ULL << bits) - 1;
	} else if (size < 8) {
		bits = size * 8;
		v &= (1ULL << bits) - 1;
	} else {
		bits = 64;
	}
	if (is_signed && bits < 64 && (v & (1ULL << (bits - 1))))
		v |= ~0ULL << bits;
	return v;
}

/* A scalar of class @cls from its raw little-endian bytes (in @v). */
static int push_scalar(lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
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
static bool type_signed(const struct mdb_btf *b, u32 type)
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
		return tv_fault(L);
	luaL_pushresultsize(&buf, strnlen(p, size));
	return 1;
}

/*
 * The value of type @type at @addr: a Lua integer, boolean or string for
 * scalars and char arrays, a typed value for structs, unions and arrays.
 */
static int push_fast(lua_State *L, unsigned int nr, const struct fc_val *v, u64 addr,
		     const u64 *raw, u32 bit_off, u32 bits);

static int push_value(lua_State *L, const struct mdb_btf *b, unsigned int nr, u32 type,
		      int cls, u64 addr, u32 size, u32 bit_off, u32 bits, bool is_signed)
{
	struct fc_val v;

	fc_val_fill(b, type, cls, size, is_signed, &v);
	return push_fast(L, nr, &v, addr, NULL, bit_off, bits);
}

/*
 * push_value() for a type whose facts are in @v: no BTF walk for scalars
 * and pointers. @addr is where the value is; @raw, when non-NULL, is the
 * value itself (a register).
 */
static int push_fast(lua_State *L, unsigned int nr, const struct fc_val *v, u64 addr,
		     const u64 *raw, u32 bit_off, u32 bits)
{
	u64 x = 0;
	u32 size = v->size;

	switch (v->cls) {
	case MDB_BTF_C_STRUCT:
	case MDB_BTF_C_UNION:
	case MDB_BTF_C_ARRAY:
		tv_new(L, nr, v->type, 0, addr);
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
		return tv_fault(L);
	if (v->cls == MDB_BTF_C_PTR) {
		if (!x)
			lua_pushnil(L);
		else if (!v->target || v->tcls == MDB_BTF_C_VOID || v->tcls == MDB_BTF_C_FUNC)
			lua_pushinteger(L, (lua_Integer)x);
		else
			tv_new(L, nr, v->target, v->type, x);
		return 1;
	}
	return push_scalar(L, NULL, nr, v->type, v->cls, x, size, bit_off, bits, v->is_signed);
}

/* A plan of field @key (@len bytes) of @tv's type, cached. Pushes nothing. */
static const struct mdb_btf_plan *tv_plan(lua_State *L, const struct mdb_btf *b,
					  const struct mdb_tv *tv, int key)
{
	struct mdb_btf_plan *plan;
	lua_Integer tkey;

	key = lua_absindex(L, key);
	tkey = ((lua_Integer)tv->nr << 32) | tv->type;
	const char *name;
	size_t len;

	cache_sub(L, C_PLANS);
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
	if (mdb_btf_plan_compile(b, tv->type, NULL, name, len, plan, tv_msg(), MDB_BTF_MSG_MAX))
		luaL_error(L, "%s", tv_msg());
	lua_pushvalue(L, key);
	lua_pushvalue(L, -2);
	lua_rawset(L, -4);
	lua_pop(L, 3);
	return plan;
}

/* Follow @plan from @addr: the final value's address, false on a fault. */
static __always_inline bool plan_walk(const struct mdb_btf_plan *plan, u64 *addr)
{
	u64 a = *addr;
	int i;

	for (i = 0; i < plan->nr_steps; i++) {
		a += plan->step[i].off;
		if (plan->step[i].deref) {
			if (!tv_read(&a, a, sizeof(a)) || !a)
				return false;
		}
	}
	*addr = a;
	return true;
}

/* p:str([max]): the string a char pointer points to (user or kernel). */
static int tv_str(lua_State *L)
{
	struct mdb_tv *tv = tv_check(L, 1);
	lua_Integer max = luaL_optinteger(L, 2, MDB_TV_STR_DEFAULT);
	const struct mdb_btf *b;
	bool user;
	u32 size = 0;

	luaL_argcheck(L, tv, 1, "typed value expected");
	luaL_argcheck(L, max >= 0 && max <= MDB_TV_STR_MAX, 2, "length out of range");
	b = tv_btf(L, tv);
	if (mdb_btf_sizeof(b, tv->type, &size) || size != 1 ||
	    mdb_btf_class(b, tv->type) == MDB_BTF_C_STRUCT)
		return luaL_error(L, "str(): not a char pointer (it points to %s)",
				  (mdb_btf_type_str(b, tv->type, tv_msg(), MDB_BTF_MSG_MAX), tv_msg()));
	user = tv->addr < TASK_SIZE_MAX;
	if (!mdb_lua_push_memstr(L, tv->addr, max, user))
		return tv_fault(L);
	return 1;
}

/* p[i]: element i of an array, or the i-th object from a pointer. */
static int tv_index_int(lua_State *L, struct mdb_tv *tv, lua_Integer i)
{
	const struct mdb_btf *b = tv_btf(L, tv);
	u32 t = mdb_btf_resolve(b, tv->type), elem = tv->type, n = 0, size;

	if (mdb_btf_kind(b, t) == MDB_BTF_ARRAY) {
		mdb_btf_array(b, t, &elem, &n);
		if (n && (i < 0 || i >= n))
			return luaL_error(L, "index %d out of range: the array has %d elements",
					  (int)i, (int)n);
	} else if (!tv->ptr) {
		return luaL_error(L, "cannot index %s: not an array or pointer",
				  (mdb_btf_type_str(b, tv->type, tv_msg(), MDB_BTF_MSG_MAX), tv_msg()));
	}
	if (mdb_btf_sizeof(b, elem, &size))
		return luaL_error(L, "cannot index: the element's size is unknown");
	return push_value(L, b, tv->nr, elem, mdb_btf_class(b, elem), tv->addr + (u64)i * size,
			  size, 0, 0, type_signed(b, elem));
}

static int tv_index(lua_State *L)
{
	struct mdb_tv *tv = lua_touserdata(L, 1);
	const struct mdb_btf *b = tv_btf(L, tv);
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
		fc = fc_get(L);
		e = fc_plan_find(fc, mdb_btfidx_gen(), tv->nr, tv->type, key, klen,
				 mdb_lua_shortstr(L, 2));
		if (e) {
			plan = e->plan;
			addr = tv->addr;
			if (!plan_walk(plan, &addr))
				return tv_fault(L);
			return push_fast(L, tv->nr, &e->v, addr, NULL, plan->bit_off, plan->bits);
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
	plan = tv_plan(L, b, tv, 2);
	/* keep it in the fast cache (a name that fits) */
	key = lua_tolstring(L, 2, &klen);
	if (klen < FC_NAME) {
		fc = fc_get(L);
		e = &fc->pl[fc_plan_slot(tv->type, key, klen)];
		e->gen = 0;
		/* a short string (interned), a key of the Lua cache: tv_plan() */
		e->kid = mdb_lua_shortstr(L, 2);
		e->type = tv->type;
		e->nr = tv->nr;
		e->len = klen;
		memcpy(e->name, key, klen);
		e->plan = plan;
		fc_val_fill(b, plan->type, plan->cls, plan->size, plan->is_signed, &e->v);
		e->gen = gen;
	}
	addr = tv->addr;
	if (!plan_walk(plan, &addr))
		return tv_fault(L);
	return push_value(L, b, tv->nr, plan->type, plan->cls, addr, plan->size,
			  plan->bit_off, plan->bits, plan->is_signed);
}

/* ---- the fast forms (lua_all.c's mdb_lua_fastindex) -------------------- */

/* where the first six parameters are at a function's entry */
static const unsigned int mdb_arg_reg_off[6] = {
	offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
	offsetof(struct pt_regs, dx), offsetof(struct pt_regs, cx),
	offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
};

/*
 * push_fast() without the API, for the VM's fast form of __index: the
 * value of type @v at @addr (or @raw) into @out. False, with nothing
 * done, for what the slow path must do: a fault (it counts it and gives
 * nil), a char array longer than @out holds, a type that is an error.
 */
static __always_inline bool fast_value(struct fcache *fc, unsigned int nr,
				       const struct fc_val *v, u64 addr, const u64 *raw,
				       u32 bit_off, u32 bits, struct mdb_lua_fastval *out)
{
	struct mdb_tv *tv = (struct mdb_tv *)out->data;
	u64 x = 0;

	BUILD_BUG_ON(sizeof(*tv) > sizeof(out->data));
	switch (v->cls) {
	case MDB_BTF_C_STRUCT:
	case MDB_BTF_C_UNION:
	case MDB_BTF_C_ARRAY:
		x = addr;
		goto typed;
	case MDB_BTF_C_CHAR_ARRAY:
		if (v->size > sizeof(out->data) || !tv_read(out->data, addr, v->size))
			return false;
		out->kind = MDB_FV_STR;
		out->len = strnlen((const char *)out->data, v->size);
		return true;
	case MDB_BTF_C_VOID:
	case MDB_BTF_C_FUNC:
		return false;
	}
	if (v->size > 8)
		return false;
	if (raw)
		x = *raw;
	else if (!tv_read(&x, addr, v->size))
		return false;
	if (v->cls == MDB_BTF_C_PTR) {
		if (!x) {
			out->kind = MDB_FV_NIL;
		} else if (!v->target || v->tcls == MDB_BTF_C_VOID || v->tcls == MDB_BTF_C_FUNC) {
			out->kind = MDB_FV_INT;
			out->i = (long long)x;
		} else {
			goto typed;
		}
		return true;
	}
	x = scalar_bits(x, v->size, bit_off, bits, v->is_signed);
	out->kind = v->cls == MDB_BTF_C_BOOL ? MDB_FV_BOOL : MDB_FV_INT;
	out->i = v->cls == MDB_BTF_C_BOOL ? x != 0 : (long long)x;
	return true;
typed:
	/* what tv_new() makes: a struct, union or array at x */
	if (!fc->tv_mt)
		return false;
	tv->addr = x;
	if (v->cls == MDB_BTF_C_PTR) {
		tv->type = v->target;
		tv->ptr = v->type;
	} else {
		tv->type = v->type;
		tv->ptr = 0;
	}
	tv->gen = mdb_btfidx_gen();
	tv->nr = nr;
	out->kind = MDB_FV_UDATA;
	out->len = sizeof(*tv);
	out->p = fc->tv_mt;
	return true;
}

/* tv_index()'s fast form: a field met before, found in the fast cache. */
static __mdb_hot int fast_tv(lua_State *L, void *obj, const char *key, unsigned long klen,
			     const void *kid, struct mdb_lua_fastval *out)
{
	const struct mdb_tv *tv = obj;
	struct fcache *fc = *(struct fcache **)mdb_lua_ext(L);
	u32 gen = mdb_btfidx_gen();
	struct fc_plan *e;
	u64 addr;

	if (!fc || (tv->nr != MDB_BTF_VMLINUX && tv->gen != gen))
		return 0;
	e = fc_plan_find(fc, gen, tv->nr, tv->type, key, klen, kid);
	if (!e)
		return 0;
	addr = tv->addr;
	if (!plan_walk(e->plan, &addr))
		return 0;
	return fast_value(fc, tv->nr, &e->v, addr, NULL, e->plan->bit_off, e->plan->bits, out);
}

/**
 * mdb_ltype_arg_fast - mdb_ltype_arg()'s fast form, for the VM (ctx.args.NAME)
 *
 * The parameter (or path) NAME of the function at @ip, met before, from
 * the fast cache into @out. False when the slow path must do it (first
 * use, a fault, anything unusual). NMI-safe; uses no Lua API.
 */
bool mdb_ltype_arg_fast(lua_State *L, const struct pt_regs *regs, unsigned long ip,
			const char *name, size_t len, struct mdb_lua_fastval *out)
{
	struct fcache *fc = *(struct fcache **)mdb_lua_ext(L);
	const struct fc_func *fe;
	u64 v, a;
	int i;

	if (!fc || !regs)
		return false;
	fe = fc_func_find(fc, ip, mdb_btfidx_gen());
	for (i = 0; fe && i < fe->nparams; i++) {
		const struct fc_param *fp = &fe->p[i];

		if (fp->len != len || memcmp(fp->name, name, len))
			continue;
		if (fp->slot >= 6 || fp->slot < 0)
			return false;	/* on the stack: the slow path */
		v = *(const unsigned long *)((const char *)regs + mdb_arg_reg_off[fp->slot]);
		if (fp->plan) {		/* a path: from the object the parameter points to */
			if (!v) {
				out->kind = MDB_FV_NIL;
				return true;
			}
			a = v;
			if (!plan_walk(fp->plan, &a))
				return false;
			return fast_value(fc, fe->nr, &fp->v, a, NULL, fp->plan->bit_off,
					  fp->plan->bits, out);
		}
		if (fp->v.cls == MDB_BTF_C_STRUCT || fp->v.cls == MDB_BTF_C_UNION) {
			out->kind = MDB_FV_INT;	/* a small struct by value: its bytes */
			out->i = (long long)v;
			return true;
		}
		return fast_value(fc, fe->nr, &fp->v, 0, &v, 0, 0, out);
	}
	return false;
}

/**
 * mdb_ltype_retval_fast - mdb_ltype_retval()'s fast form, for the VM (ctx.retval)
 *
 * The return value @v of the function at @ip, typed as its return type
 * met before (the fast cache), into @out; false for the slow path.
 */
bool mdb_ltype_retval_fast(lua_State *L, unsigned long ip, u64 v, struct mdb_lua_fastval *out)
{
	struct fcache *fc = *(struct fcache **)mdb_lua_ext(L);
	const struct fc_func *fe = fc ? fc_func_find(fc, ip, mdb_btfidx_gen()) : NULL;

	if (!fe)
		return false;
	switch (fe->has_ret) {
	case FC_RET_TYPED:
		return fast_value(fc, fe->nr, &fe->ret, 0, &v, 0, 0, out);
	case FC_RET_VOID:
		out->kind = MDB_FV_NIL;
		return true;
	case FC_RET_RAW:
		out->kind = MDB_FV_INT;
		out->i = (long long)v;
		return true;
	}
	return false;
}

int mdb_ltype_setup(void)
{
	return mdb_lua_set_fastindex(tv_index, fast_tv);
}

static int tv_tostring(lua_State *L)
{
	struct mdb_tv *tv = lua_touserdata(L, 1);
	const struct mdb_btf *b = tv_btf(L, tv);
	char *s = tv_msg();

	char a[24];

	mdb_btf_type_str(b, tv->ptr ? tv->ptr : tv->type, s, MDB_BTF_MSG_MAX);
	snprintf(a, sizeof(a), "0x%llx", tv->addr);
	lua_pushfstring(L, "(%s)%s", s, a);
	return 1;
}

static int tv_eq(lua_State *L)
{
	struct mdb_tv *a = tv_check(L, 1), *b = tv_check(L, 2);

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
	lua_pushcfunction(L, tv_index);
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
	struct mdb_tv *tv = tv_check(L, tidx);
	const struct mdb_btf *b;
	const struct mdb_btf_plan *plan;

	luaL_argcheck(L, tv, tidx, "typed value expected");
	luaL_checkstring(L, pidx);
	b = tv_btf(L, tv);
	plan = tv_plan(L, b, tv, pidx);
	*addr = tv->addr;
	*size = plan->size;
	if (!plan_walk(plan, addr)) {
		this_cpu_inc(mdb_tv_faults);
		return false;
	}
	return true;
}

/* ---- type names -------------------------------------------------------- */

/* The type named by argument @arg ("struct file", "u32 *"), cached. */
static u32 type_arg(lua_State *L, int arg, unsigned int *nr)
{
	size_t len;
	const char *name = luaL_checklstring(L, arg, &len);
	lua_Integer packed;
	int id;

	cache_sub(L, C_NAMES);
	lua_pushvalue(L, arg);
	if (lua_rawget(L, -2) == LUA_TNUMBER) {
		packed = lua_tointeger(L, -1);
		lua_pop(L, 2);
		*nr = packed >> 32;
		return (u32)packed;
	}
	lua_pop(L, 1);
	id = mdb_btf_find_any(name, len, nr, tv_msg(), MDB_BTF_MSG_MAX);
	if (id < 0)
		luaL_error(L, "%s", tv_msg());
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
	struct mdb_tv *src = tv_check(L, 1);
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
		tv_new(L, nr, target, id, addr);
	} else {
		tv_new(L, nr, id, 0, addr);
	}
	return 1;
}

/* mdb.sizeof("struct T" or p) -> bytes */
static int mdb_l_sizeof(lua_State *L)
{
	struct mdb_tv *tv = tv_check(L, 1);
	unsigned int nr;
	u32 id, size;
	const struct mdb_btf *b;

	if (tv) {
		b = tv_btf(L, tv);
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
	if (mdb_btf_plan_compile(b, id, NULL, path, len, &plan, tv_msg(), MDB_BTF_MSG_MAX))
		return luaL_error(L, "%s", tv_msg());
	if (plan.nr_steps != 1)
		return luaL_error(L, "offsetof: '%s' goes through a pointer", path);
	lua_pushinteger(L, plan.step[0].off);
	return 1;
}

/* mdb.typeof(p) -> "struct file *" */
static int mdb_l_typeof(lua_State *L)
{
	struct mdb_tv *tv = tv_check(L, 1);
	const struct mdb_btf *b;
	char *s = tv_msg();

	luaL_argcheck(L, tv, 1, "typed value expected");
	b = tv_btf(L, tv);
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
						 tv_msg(), MDB_BTF_MSG_MAX));
	return 1;
}

/* mdb.addr(p) -> the address of a typed value; mdb.addr(name): a symbol's */
static int mdb_l_addr(lua_State *L)
{
	struct mdb_tv *tv = tv_check(L, 1);
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
	struct mdb_tv *tv = tv_check(L, 1);
	lua_Integer depth = luaL_optinteger(L, 2, 1);
	const struct mdb_btf *b;
	u32 size = 0;
	void *data;

	luaL_argcheck(L, tv, 1, "typed value expected");
	luaL_argcheck(L, depth >= 0 && depth <= MDB_BTF_FMT_DEPTH_MAX, 2, "depth must be 0..8");
	b = tv_btf(L, tv);
	if (mdb_btf_sizeof(b, tv->type, &size))
		return luaL_error(L, "dump: the object's size is unknown");
	size = min_t(u32, size, MDB_TV_DUMP_MAX);
	data = this_cpu_ptr(mdb_tv_dumpbuf);
	if (size && !tv_read(data, tv->addr, size))
		return tv_fault(L);
	if (mdb_tv_dump_hook)
		mdb_tv_dump_hook(mdb_lua_hit(L), tv->nr, tv->gen, tv->type, depth, data, size);
	lua_pushboolean(L, 1);
	return 1;
}

/* ---- ctx.args ---------------------------------------------------------- */


/*
 * The BTF function whose entry @ip is, as a packed integer (nr << 32 |
 * FUNC id), or a Lua string saying why there is none. Cached per address.
 */
static void arg_func(lua_State *L, unsigned long ip)
{
	char *buf = this_cpu_ptr(mdb_tv_symbuf);
	char *plus, *slash, *mod, *end;
	unsigned long off = 0;
	const struct mdb_btf *b;
	unsigned int nr = MDB_BTF_VMLINUX;
	u32 insn;
	int id;

	cache_sub(L, C_FUNCS);
	if (lua_rawgeti(L, -1, (lua_Integer)ip) != LUA_TNIL) {
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);
	/* "name+0xoff/0xsize [module]" */
	sprint_symbol(buf, ip);
	plus = strchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (!plus || !slash) {
		snprintf(tv_msg(), MDB_BTF_MSG_MAX, "ctx.args: no function at 0x%lx", ip);
		lua_pushstring(L, tv_msg());
		goto cache;
	}
	*slash = '\0';
	if (kstrtoul(plus + 1, 0, &off))
		off = ~0UL;
	mod = strchr(slash + 1, '[');
	*plus = '\0';
	if (off == 4 && copy_from_kernel_nofault(&insn, (void *)(ip - 4), 4) == 0 &&
	    insn == MDB_ENDBR64)
		off = 0;	/* just after the function's ENDBR (a kprobe on IBT) */
	if (off) {
		snprintf(tv_msg(), MDB_BTF_MSG_MAX,
			 "ctx.args: the breakpoint is at %s+0x%lx, not at the entry of %s: arguments are known only at a function's first instruction",
			 buf, off, buf);
		lua_pushstring(L, tv_msg());
		goto cache;
	}
	if (mod) {
		end = strchr(++mod, ']');
		if (end)
			*end = '\0';
		nr = mdb_btf_module_nr(mod, strlen(mod));
		if (!nr) {
			lua_pushfstring(L, "ctx.args: module %s has no BTF (built without it, or its BTF was refused: see status)",
					mod);
			goto cache;
		}
	}
	b = mdb_btf_handle(nr);
	if (!b) {
		lua_pushfstring(L, "ctx.args: no BTF: %s", mdb_btfidx_why());
		goto cache;
	}
	id = mdb_btf_find_func(b, buf, strlen(buf), tv_msg(), MDB_BTF_MSG_MAX);
	if (id < 0) {
		lua_pushfstring(L, "ctx.args: %s has no BTF (%s)", buf, tv_msg());
		goto cache;
	}
	lua_pushinteger(L, ((lua_Integer)nr << 32) | (u32)id);
cache:
	lua_pushvalue(L, -1);
	lua_rawseti(L, -3, (lua_Integer)ip);
	lua_remove(L, -2);
}

/*
 * Where parameter @idx of @func is at the entry (System V x86-64): 0..5 a
 * register, 6 + k the k-th 8-byte stack slot above the return address;
 * -1 when it takes two registers (a 9..16-byte struct).
 */
static int arg_slot(const struct mdb_btf *b, u32 func, int idx)
{
	struct mdb_btf_func f;
	int i, regs = 0, stack = 0;

	if (mdb_btf_func(b, func, &f))
		return -2;
	for (i = 0; i <= idx && i < f.nr_params; i++) {
		const char *name;
		u32 type, size = 8, words;

		mdb_btf_param(b, f.proto, i, &name, &type);
		mdb_btf_sizeof(b, type, &size);
		words = (size + 7) / 8;
		if (words <= 2 && regs + words <= 6) {
			if (i == idx)
				return words == 1 ? regs : -1;
			regs += words;
		} else {
			if (i == idx)
				return 6 + stack;
			stack += words;
		}
	}
	return -2;
}

static int arg_one(lua_State *L, struct pt_regs *regs, unsigned long ip,
		   const char *name, size_t len);

/*
 * ctx.args.NAME (or a path) from the fast cache: what it pushed, or -1
 * when this function's NAME is not there.
 */
static int arg_fast(lua_State *L, struct pt_regs *regs, unsigned long ip,
		    const char *name, size_t len)
{
	const unsigned int *reg_off = mdb_arg_reg_off;
	struct fcache *fc = fc_get(L);
	struct fc_func *fe = fc_func_find(fc, ip, mdb_btfidx_gen());
	u64 v, a;
	int i;

	for (i = 0; fe && i < fe->nparams; i++) {
		const struct fc_param *fp = &fe->p[i];

		if (fp->len != len || memcmp(fp->name, name, len))
			continue;
		if (fp->plan) {		/* a path: from the object the parameter points to */
			if (fp->slot >= 6) {
				if (!tv_read(&a, regs->sp + 8 + 8 * (u64)(fp->slot - 6), 8))
					return tv_fault(L);
			} else {
				a = *(unsigned long *)((char *)regs + reg_off[fp->slot]);
			}
			if (!a) {
				lua_pushnil(L);
				return 1;
			}
			if (!plan_walk(fp->plan, &a))
				return tv_fault(L);
			return push_fast(L, fe->nr, &fp->v, a, NULL, fp->plan->bit_off, fp->plan->bits);
		}
		/* on the stack: the value (or a struct passed there) is at a */
		if (fp->slot >= 6)
			return push_fast(L, fe->nr, &fp->v, regs->sp + 8 + 8 * (u64)(fp->slot - 6),
					 NULL, 0, 0);
		v = *(unsigned long *)((char *)regs + reg_off[fp->slot]);
		if (fp->v.cls == MDB_BTF_C_STRUCT || fp->v.cls == MDB_BTF_C_UNION) {
			lua_pushinteger(L, (lua_Integer)v);	/* a small struct by value: its bytes */
			return 1;
		}
		return push_fast(L, fe->nr, &fp->v, 0, &v, 0, 0);
	}
	return -1;
}


/*
 * ctx.args["file.f_inode.i_sb.s_magic"]: parameter "file", then the path
 * from the object it points to, as one plan - one lookup at a hit instead
 * of one per level (each `.` of ctx.args.file.f_inode... is a metamethod
 * call and a new typed value).
 */
static int arg_path(lua_State *L, struct pt_regs *regs, unsigned long ip,
		    const char *name, size_t len, size_t plen, size_t rest)
{
	const struct mdb_btf_plan *plan;
	const struct mdb_btf *b;
	struct mdb_tv *tv;
	struct fcache *fc;
	struct fc_func *fe;
	u64 addr;
	int i, top = lua_gettop(L);

	arg_one(L, regs, ip, name, plen);	/* the parameter's value */
	if (lua_isnil(L, -1))
		return 1;			/* a NULL pointer */
	tv = tv_check(L, -1);
	if (!tv) {
		lua_pushlstring(L, name, plen);
		return luaL_error(L, "ctx.args: '%s' is not a pointer to a struct or union",
				  lua_tostring(L, -1));
	}
	b = tv_btf(L, tv);
	lua_pushlstring(L, name + rest, len - rest);
	plan = tv_plan(L, b, tv, -1);
	/* into the fast cache, beside the parameter */
	fc = fc_get(L);
	fe = fc_func_find(fc, ip, mdb_btfidx_gen());
	for (i = 0; fe && len < FC_NAME && i < fe->nparams; i++) {
		struct fc_param *fp = &fe->p[i];

		if (fp->plan || fp->len != plen || memcmp(fp->name, name, plen))
			continue;
		if (fe->nparams < FC_PARAMS) {
			struct fc_param *np = &fe->p[fe->nparams];

			np->slot = fp->slot;
			np->plan = plan;
			np->len = len;
			memcpy(np->name, name, len);
			fc_val_fill(b, plan->type, plan->cls, plan->size, plan->is_signed, &np->v);
			fe->nparams++;
		}
		break;
	}
	addr = tv->addr;
	lua_settop(L, top);
	if (!plan_walk(plan, &addr))
		return tv_fault(L);
	return push_value(L, b, tv->nr, plan->type, plan->cls, addr, plan->size,
			  plan->bit_off, plan->bits, plan->is_signed);
}

int mdb_ltype_arg(lua_State *L, struct pt_regs *regs, unsigned long ip,
		  bool is_watch, const char *name, size_t len)
{
	size_t i;

	int r;

	if (is_watch || !regs)
		return luaL_error(L, "ctx.args: only at an execution breakpoint on a function's entry");
	/* this parameter (or path) of this function met before */
	r = arg_fast(L, regs, ip, name, len);
	if (r >= 0)
		return r;
	/* "param.path" or "param->path" */
	for (i = 1; i + 1 < len; i++) {
		if (name[i] == '.')
			return arg_path(L, regs, ip, name, len, i, i + 1);
		if (name[i] == '-' && name[i + 1] == '>' && i + 2 < len)
			return arg_path(L, regs, ip, name, len, i, i + 2);
	}
	return arg_one(L, regs, ip, name, len);
}

static int arg_one(lua_State *L, struct pt_regs *regs, unsigned long ip,
		   const char *name, size_t len)
{
	const unsigned int *reg_off = mdb_arg_reg_off;
	const struct mdb_btf *b;
	lua_Integer packed, p;
	unsigned int nr;
	u32 func, type, size = 8, gen;
	int slot, idx, cls;
	const char *pname;
	u64 v, a;
	struct fcache *fc = fc_get(L);
	struct fc_func *fe;

	gen = mdb_btfidx_gen();
	arg_func(L, ip);
	if (lua_type(L, -1) == LUA_TSTRING)
		return lua_error(L);
	packed = lua_tointeger(L, -1);
	lua_pop(L, 1);
	nr = packed >> 32;
	func = (u32)packed;
	b = mdb_btf_handle(nr);
	if (!b)
		return luaL_error(L, "ctx.args: no BTF: %s", mdb_btfidx_why());

	/* the parameter: cache[func][name] = slot << 32 | type */
	cache_sub(L, C_PARAMS);
	if (lua_rawgeti(L, -1, packed) != LUA_TTABLE) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -3, packed);
	}
	lua_pushlstring(L, name, len);
	if (lua_rawget(L, -2) == LUA_TNUMBER) {
		p = lua_tointeger(L, -1);
	} else {
		idx = mdb_btf_param_find(b, func, name, len, tv_msg(), MDB_BTF_MSG_MAX);
		if (idx < 0)
			return luaL_error(L, "%s", tv_msg());
		slot = arg_slot(b, func, idx);
		if (slot == -1)
			return luaL_error(L, "ctx.args: '%s' is a struct passed in two registers: not supported",
					  name);
		if (slot < 0)
			return luaL_error(L, "ctx.args: cannot place parameter '%s'", name);
		mdb_btf_param(b, mdb_btf_ref(b, func), idx, &pname, &type);
		p = ((lua_Integer)slot << 32) | type;
		lua_pushlstring(L, name, len);
		lua_pushinteger(L, p);
		lua_rawset(L, -4);
	}
	lua_pop(L, 3);
	slot = p >> 32;
	type = (u32)p;
	cls = mdb_btf_class(b, type);
	mdb_btf_sizeof(b, type, &size);
	/* into the fast cache */
	fe = fc_func_add(fc, ip, gen, nr, func);
	if (fe->nparams < FC_PARAMS && len < FC_NAME) {
		struct fc_param *fp = &fe->p[fe->nparams];

		fp->slot = slot;
		fp->plan = NULL;
		fp->len = len;
		memcpy(fp->name, name, len);
		fc_val_fill(b, type, cls, size, type_signed(b, type), &fp->v);
		fe->nparams++;
	}
	if (slot >= 6) {
		a = regs->sp + 8 + 8 * (u64)(slot - 6);
		/* a struct passed on the stack: the object is there */
		if (cls == MDB_BTF_C_STRUCT || cls == MDB_BTF_C_UNION || size > 8)
			return push_value(L, b, nr, type, cls, a, size, 0, 0, false);
		if (!tv_read(&v, a, 8))
			return tv_fault(L);
	} else {
		v = *(unsigned long *)((char *)regs + reg_off[slot]);
		if (cls == MDB_BTF_C_STRUCT || cls == MDB_BTF_C_UNION) {
			lua_pushinteger(L, (lua_Integer)v);	/* a small struct by value: its bytes */
			return 1;
		}
	}
	return push_scalar(L, b, nr, type, cls, v, size, 0, 0, type_signed(b, type));
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

int mdb_ltype_retval(lua_State *L, unsigned long ip, u64 v)
{
	const struct mdb_btf *b;
	struct mdb_btf_func f;
	lua_Integer packed;
	unsigned int nr;
	u32 size = 8, gen = mdb_btfidx_gen();
	int cls;
	struct fcache *fc = fc_get(L);
	struct fc_func *fe = fc_func_find(fc, ip, gen);

	/* the fast cache: this function's return met before */
	if (fe) {
		switch (fe->has_ret) {
		case FC_RET_TYPED:
			return push_fast(L, fe->nr, &fe->ret, 0, &v, 0, 0);
		case FC_RET_VOID:
			lua_pushnil(L);
			return 1;
		case FC_RET_RAW:
			lua_pushinteger(L, (lua_Integer)v);
			return 1;
		}
	}
	arg_func(L, ip);
	if (lua_type(L, -1) == LUA_TSTRING) {	/* no BTF for it: the raw value */
		lua_pop(L, 1);
		goto raw;
	}
	packed = lua_tointeger(L, -1);
	lua_pop(L, 1);
	nr = packed >> 32;
	b = mdb_btf_handle(nr);
	if (!b || mdb_btf_func(b, (u32)packed, &f))
		goto raw;
	fe = fc_func_add(fc, ip, gen, nr, (u32)packed);
	if (!f.ret) {			/* void */
		fe->has_ret = FC_RET_VOID;
		lua_pushnil(L);
		return 1;
	}
	cls = mdb_btf_class(b, f.ret);
	mdb_btf_sizeof(b, f.ret, &size);
	if (cls == MDB_BTF_C_STRUCT || cls == MDB_BTF_C_UNION) {
		fe->has_ret = FC_RET_RAW;
		lua_pushinteger(L, (lua_Integer)v);	/* a small struct in rax: its bytes */
		return 1;
	}
	fc_val_fill(b, f.ret, cls, size > 8 ? 8 : size, type_signed(b, f.ret), &fe->ret);
	fe->has_ret = FC_RET_TYPED;
	return push_scalar(L, b, nr, f.ret, cls, v, size > 8 ? 8 : size, 0, 0,
			   type_signed(b, f.ret));
raw:
	/*
	 * Kept in the fast cache too, so that the next hits of a function
	 * without BTF (a module built without it) do no lookup: an entry with
	 * no parameters, which ctx.args never fills (arg_one() raises first).
	 */
	fe = fc_func_add(fc, ip, gen, 0, 0);
	fe->has_ret = FC_RET_RAW;
	lua_pushinteger(L, (lua_Integer)v);
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
