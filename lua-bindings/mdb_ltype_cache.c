// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype_cache.c - the typed values' caches (mdb_ltype_cache.h): the
 * Lua tables in the state's registry, the complete cache of every BTF
 * lookup a script made, and the fast cache, bounded C arrays of what hits
 * look up again and again. Both are dropped when a module's BTF goes
 * (mdb_btfidx_gen()): the Lua tables are made again, a fast entry of an
 * older generation is never found.
 *
 * Context: the script call's, NMI included: no lock, no slab allocation
 * (the caches are Lua objects in the state's arena).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_fast.h"
#include "mdb_ltype_cache.h"

/* registry keys (their addresses) */
static const char mdb_tv_cache_key, mdb_tv_fc_key;

/* ---- the Lua cache ----------------------------------------------------- */

/*
 * Push cache subtable @which (C_PLANS...), creating the cache (again) when
 * there is none or a module's BTF went since it was made.
 */
void mdb_tv_cache_sub(lua_State *L, int which)
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

struct fcache *mdb_fc_get(lua_State *L)
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

void mdb_fc_val_fill(const struct mdb_btf *b, u32 type, int cls, u32 size, bool sgn,
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

struct fc_func *mdb_fc_func_add(struct fcache *fc, unsigned long ip, u32 gen,
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

struct fc_plan *mdb_fc_plan_find(struct fcache *fc, u32 gen, unsigned int nr, u32 type,
				    const char *key, size_t klen, const void *kid)
{
	struct fc_plan *e = &fc->pl[fc_plan_slot(type, key, klen)];

	if (e->gen != gen || e->type != type || e->nr != nr || e->len != klen)
		return NULL;
	if ((!kid || kid != e->kid) && memcmp(e->name, key, klen))
		return NULL;
	return e;
}

void mdb_fc_plan_put(struct fcache *fc, const struct mdb_btf *b, u32 gen, unsigned int nr,
		     u32 type, const char *key, size_t klen, const void *kid,
		     const struct mdb_btf_plan *plan)
{
	struct fc_plan *e;

	if (klen >= FC_NAME)
		return;
	e = &fc->pl[fc_plan_slot(type, key, klen)];
	e->gen = 0;
	/* a short string (interned), a key of the Lua cache: mdb_tv_plan() */
	e->kid = kid;
	e->type = type;
	e->nr = nr;
	e->len = klen;
	memcpy(e->name, key, klen);
	e->plan = plan;
	mdb_fc_val_fill(b, plan->type, plan->cls, plan->size, plan->is_signed, &e->v);
	e->gen = gen;
}
