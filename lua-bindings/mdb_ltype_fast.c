// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype_fast.c - the fast forms of typed values for the VM (patch
 * 0011's luai_fastindex, mdb_lua_fast.h): p.field (mdb_tv_fast_index()),
 * ctx.args.NAME (mdb_ltype_arg_fast()) and ctx.retval
 * (mdb_ltype_retval_fast()) of what a hit met before, answered from the
 * fast cache (mdb_ltype_cache.h) without the Lua API: no call, no
 * allocation but the VM's own result, no error. Anything else - a first
 * use, a fault, an error to report - they decline, and the slow path
 * (mdb_ltype_value.c, mdb_ltype_args.c) runs as before, with every message
 * and count where it was.
 *
 * Context: the hit's, NMI included (inside the VM's instruction).
 */
#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/ptrace.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_lua_fast.h"
#include "mdb_ltype.h"
#include "mdb_ltype_value.h"

/*
 * mdb_tv_push_fast() without the API, for the VM's fast form of __index: the
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
	/* what mdb_tv_new() makes: a struct, union or array at x */
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

/* mdb_tv_index()'s fast form: a field met before, found in the fast cache. */
__mdb_hot int mdb_tv_fast_index(lua_State *L, void *obj, const char *key, unsigned long klen,
				 const void *kid, struct mdb_lua_fastval *out)
{
	const struct mdb_tv *tv = obj;
	struct fcache *fc = *(struct fcache **)mdb_lua_ext(L);
	u32 gen = mdb_btfidx_gen();
	struct fc_plan *e;
	u64 addr;

	if (!fc || (tv->nr != MDB_BTF_VMLINUX && tv->gen != gen))
		return 0;
	e = mdb_fc_plan_find(fc, gen, tv->nr, tv->type, key, klen, kid);
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
	const struct fc_param *fp;
	const struct fc_func *fe;
	u64 v, a;

	if (!fc || !regs)
		return false;
	fp = fc_param_find(fc, ip, mdb_btfidx_gen(), name, len, &fe);
	if (!fp)
		return false;
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

/**
 * mdb_ltype_retval_fast - mdb_ltype_retval()'s fast form, for the VM (ctx.retval)
 *
 * The return value @v of the function at @ip, typed as its return type
 * met before (the fast cache), into @out; false for the slow path.
 */
bool mdb_ltype_retval_fast(lua_State *L, unsigned long ip, u64 v, struct mdb_lua_fastval *out)
{
	struct fcache *fc = *(struct fcache **)mdb_lua_ext(L);
	const struct fc_func *fe = fc ? fc_ret_find(fc, ip, mdb_btfidx_gen()) : NULL;

	if (!fe)
		return false;
	switch (fe->has_ret) {
	case FC_RET_TYPED:
		return fast_value(fc, fe->nr, &fe->ret, 0, &v, 0, 0, out);
	case FC_RET_VOID:
		out->kind = MDB_FV_NIL;
		return true;
	}
	out->kind = MDB_FV_INT;		/* FC_RET_RAW */
	out->i = (long long)v;
	return true;
}

/* Registers the typed values' fast __index (module init, before any script). */
int mdb_ltype_setup(void)
{
	return mdb_lua_set_fastindex(mdb_tv_index, mdb_tv_fast_index);
}
