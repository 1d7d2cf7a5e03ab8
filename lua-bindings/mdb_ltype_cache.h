/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_ltype_cache.h - the typed values' caches (mdb_ltype_cache.c): the Lua
 * tables in the registry (complete: plans per type and field name,
 * functions per breakpoint address, parameters per function, type ids per
 * C name), and the fast cache, C arrays a hit probes without the Lua API.
 * The probes a hit makes are in line here (fc_func_find(), fc_param_find(),
 * fc_ret_find()), for the fast forms (mdb_ltype_fast.c) and the slow paths
 * alike.
 *
 * Any context, NMI included: the caches live in the state (its arena).
 */
#ifndef _MDB_LTYPE_CACHE_H
#define _MDB_LTYPE_CACHE_H

#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/ptrace.h>
#include "btfidx.h"

struct lua_State;

/* the Lua cache's subtables (mdb_tv_cache_sub()) */
enum { C_GEN = 1, C_PLANS, C_FUNCS, C_PARAMS, C_NAMES, C_NR };

/*
 * Push cache subtable @which (C_PLANS...), creating the cache (again) when
 * there is none or a module's BTF went since it was made.
 */
void mdb_tv_cache_sub(struct lua_State *L, int which);

/*
 * What a hit looks up again and again - the function at a breakpoint's
 * address, a parameter by name, a field of a type by name - kept in C
 * arrays inside the state (a userdata anchored in the registry, found
 * through mdb_lua_ext()), each entry under the BTF generation it was made
 * in. A hit that finds its entry does no Lua table access and no BTF
 * walk: QEMU's exec trace counted ~4000 instructions of mdb for one
 * `ctx.args.offset` through the Lua tables (`rec()` alone called ~40
 * times: class, size and signedness of the same type again on every hit).
 * The Lua tables (mdb_tv_cache_sub()) stay the complete cache; these
 * arrays are bounded, and what does not fit goes the slow way.
 */
#define FC_FUNCS	8	/* functions, by breakpoint address */
#define FC_PARAMS	8	/* parameters (or paths from them) of each, by name */
#define FC_PLANS	64	/* field plans, direct-mapped by (type, name) */
#define FC_NAME		48	/* longest name kept (with its NUL) */

/* what a value of a type needs at a hit: see mdb_tv_push_fast() */
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
	const void *kid;	/* the name's string object (see mdb_tv_fast_index()), or NULL */
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

/* where the first six parameters are at a function's entry (fc_param's slot < 6) */
static const unsigned int mdb_arg_reg_off[6] = {
	offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
	offsetof(struct pt_regs, dx), offsetof(struct pt_regs, cx),
	offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
};

/* This state's fast cache, made at its first use (a Lua error if no memory). */
struct fcache *mdb_fc_get(struct lua_State *L);

/* What a value of @type needs at a hit. */
void mdb_fc_val_fill(const struct mdb_btf *b, u32 type, int cls, u32 size, bool sgn,
		     struct fc_val *v);

/* The entry of the function at @ip, made (empty) if there is none. */
struct fc_func *mdb_fc_func_add(struct fcache *fc, unsigned long ip, u32 gen,
				unsigned int nr, u32 func);

/*
 * The fast cache's plan of field @key (@klen bytes) of type @type in handle
 * @nr under generation @gen, or NULL. @kid: the key's short string object
 * (mdb_lua_shortstr()), or NULL: the same object as the entry's is the
 * same name (the entry's is a key of this generation's Lua cache, so it
 * lives, and no other string has its address); else the bytes decide.
 */
struct fc_plan *mdb_fc_plan_find(struct fcache *fc, u32 gen, unsigned int nr, u32 type,
				 const char *key, size_t klen, const void *kid);

/*
 * Keep @plan, the Lua cache's plan of field @key of @type (made under
 * generation @gen), in the fast cache, if the name fits.
 */
void mdb_fc_plan_put(struct fcache *fc, const struct mdb_btf *b, u32 gen, unsigned int nr,
		     u32 type, const char *key, size_t klen, const void *kid,
		     const struct mdb_btf_plan *plan);

static __always_inline struct fc_func *fc_func_find(struct fcache *fc, unsigned long ip, u32 gen)
{
	int i;

	for (i = 0; i < FC_FUNCS; i++)
		if (fc->f[i].ip == ip && fc->f[i].gen == gen)
			return &fc->f[i];
	return NULL;
}

/*
 * The fast cache's parameter (or "param.path") @name of the function at
 * @ip, met before, or NULL; *@fep: its function. The one probe of the
 * fast form (mdb_ltype_arg_fast()) and of the slow path (mdb_ltype_arg()).
 */
static __always_inline const struct fc_param *
fc_param_find(struct fcache *fc, unsigned long ip, u32 gen, const char *name, size_t len,
	      const struct fc_func **fep)
{
	const struct fc_func *fe = fc_func_find(fc, ip, gen);
	int i;

	for (i = 0; fe && i < fe->nparams; i++) {
		const struct fc_param *fp = &fe->p[i];

		if (fp->len != len || memcmp(fp->name, name, len))
			continue;
		*fep = fe;
		return fp;
	}
	return NULL;
}

/*
 * The entry of the function at @ip whose return value is known
 * (FC_RET_TYPED, _VOID or _RAW), or NULL. The one probe of the fast form
 * (mdb_ltype_retval_fast()) and of the slow path (mdb_ltype_retval()).
 */
static __always_inline const struct fc_func *fc_ret_find(struct fcache *fc, unsigned long ip,
							 u32 gen)
{
	const struct fc_func *fe = fc_func_find(fc, ip, gen);

	return fe && fe->has_ret != FC_RET_UNKNOWN ? fe : NULL;
}

#endif
