// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_ltype_args.c - a function's arguments and return value as typed
 * values (mdb_ltype.h): ctx.args.NAME, ctx.args["param.path"] and
 * ctx.retval on the slow path, the one that uses the Lua API, finds the
 * function, its parameters and its return type in BTF, and fills the
 * caches (mdb_ltype_cache.h) that the fast forms (mdb_ltype_fast.c) and
 * later slow calls answer from.
 *
 * Context: the hit's (NMI included) or a call's: no lock, no slab
 * allocation, reads only through the nofault copies.
 */
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/ptrace.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua.h"
#include "mdb_ltype.h"
#include "mdb_ltype_value.h"
#include "mdb.h"

/* sprint_symbol()'s buffer is too big for the script stack: one per CPU */
static DEFINE_PER_CPU(char[KSYM_SYMBOL_LEN], mdb_tv_symbuf);

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

	mdb_tv_cache_sub(L, C_FUNCS);
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
		snprintf(mdb_tv_msg(), MDB_BTF_MSG_MAX, "ctx.args: no function at 0x%lx", ip);
		lua_pushstring(L, mdb_tv_msg());
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
		snprintf(mdb_tv_msg(), MDB_BTF_MSG_MAX,
			 "ctx.args: the breakpoint is at %s+0x%lx, not at the entry of %s: arguments are known only at a function's first instruction",
			 buf, off, buf);
		lua_pushstring(L, mdb_tv_msg());
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
	id = mdb_btf_find_func(b, buf, strlen(buf), mdb_tv_msg(), MDB_BTF_MSG_MAX);
	if (id < 0) {
		lua_pushfstring(L, "ctx.args: %s has no BTF (%s)", buf, mdb_tv_msg());
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
	const struct fc_param *fp;
	const struct fc_func *fe;
	u64 v, a;

	fp = fc_param_find(mdb_fc_get(L), ip, mdb_btfidx_gen(), name, len, &fe);
	if (!fp)
		return -1;
	if (fp->plan) {		/* a path: from the object the parameter points to */
		if (fp->slot >= 6) {
			if (!tv_read(&a, regs->sp + 8 + 8 * (u64)(fp->slot - 6), 8))
				return mdb_tv_fault(L);
		} else {
			a = *(unsigned long *)((char *)regs + reg_off[fp->slot]);
		}
		if (!a) {
			lua_pushnil(L);
			return 1;
		}
		if (!plan_walk(fp->plan, &a))
			return mdb_tv_fault(L);
		return mdb_tv_push_fast(L, fe->nr, &fp->v, a, NULL, fp->plan->bit_off,
					fp->plan->bits);
	}
	/* on the stack: the value (or a struct passed there) is at a */
	if (fp->slot >= 6)
		return mdb_tv_push_fast(L, fe->nr, &fp->v, regs->sp + 8 + 8 * (u64)(fp->slot - 6),
					NULL, 0, 0);
	v = *(unsigned long *)((char *)regs + reg_off[fp->slot]);
	if (fp->v.cls == MDB_BTF_C_STRUCT || fp->v.cls == MDB_BTF_C_UNION) {
		lua_pushinteger(L, (lua_Integer)v);	/* a small struct by value: its bytes */
		return 1;
	}
	return mdb_tv_push_fast(L, fe->nr, &fp->v, 0, &v, 0, 0);
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
	tv = mdb_tv_check(L, -1);
	if (!tv) {
		lua_pushlstring(L, name, plen);
		return luaL_error(L, "ctx.args: '%s' is not a pointer to a struct or union",
				  lua_tostring(L, -1));
	}
	b = mdb_tv_btf(L, tv);
	lua_pushlstring(L, name + rest, len - rest);
	plan = mdb_tv_plan(L, b, tv, -1);
	/* into the fast cache, beside the parameter */
	fc = mdb_fc_get(L);
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
			mdb_fc_val_fill(b, plan->type, plan->cls, plan->size, plan->is_signed, &np->v);
			fe->nparams++;
		}
		break;
	}
	addr = tv->addr;
	lua_settop(L, top);
	if (!plan_walk(plan, &addr))
		return mdb_tv_fault(L);
	return mdb_tv_push_value(L, b, tv->nr, plan->type, plan->cls, addr, plan->size,
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
	struct fcache *fc = mdb_fc_get(L);
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
	mdb_tv_cache_sub(L, C_PARAMS);
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
		idx = mdb_btf_param_find(b, func, name, len, mdb_tv_msg(), MDB_BTF_MSG_MAX);
		if (idx < 0)
			return luaL_error(L, "%s", mdb_tv_msg());
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
	fe = mdb_fc_func_add(fc, ip, gen, nr, func);
	if (fe->nparams < FC_PARAMS && len < FC_NAME) {
		struct fc_param *fp = &fe->p[fe->nparams];

		fp->slot = slot;
		fp->plan = NULL;
		fp->len = len;
		memcpy(fp->name, name, len);
		mdb_fc_val_fill(b, type, cls, size, mdb_tv_signed(b, type), &fp->v);
		fe->nparams++;
	}
	if (slot >= 6) {
		a = regs->sp + 8 + 8 * (u64)(slot - 6);
		/* a struct passed on the stack: the object is there */
		if (cls == MDB_BTF_C_STRUCT || cls == MDB_BTF_C_UNION || size > 8)
			return mdb_tv_push_value(L, b, nr, type, cls, a, size, 0, 0, false);
		if (!tv_read(&v, a, 8))
			return mdb_tv_fault(L);
	} else {
		v = *(unsigned long *)((char *)regs + reg_off[slot]);
		if (cls == MDB_BTF_C_STRUCT || cls == MDB_BTF_C_UNION) {
			lua_pushinteger(L, (lua_Integer)v);	/* a small struct by value: its bytes */
			return 1;
		}
	}
	return mdb_tv_push_scalar(L, b, nr, type, cls, v, size, 0, 0, mdb_tv_signed(b, type));
}

int mdb_ltype_retval(lua_State *L, unsigned long ip, u64 v)
{
	const struct mdb_btf *b;
	struct mdb_btf_func f;
	lua_Integer packed;
	unsigned int nr;
	u32 size = 8, gen = mdb_btfidx_gen();
	int cls;
	struct fcache *fc = mdb_fc_get(L);
	const struct fc_func *known = fc_ret_find(fc, ip, gen);
	struct fc_func *fe;

	/* the fast cache: this function's return met before */
	if (known) {
		switch (known->has_ret) {
		case FC_RET_TYPED:
			return mdb_tv_push_fast(L, known->nr, &known->ret, 0, &v, 0, 0);
		case FC_RET_VOID:
			lua_pushnil(L);
			return 1;
		}
		lua_pushinteger(L, (lua_Integer)v);	/* FC_RET_RAW */
		return 1;
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
	fe = mdb_fc_func_add(fc, ip, gen, nr, (u32)packed);
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
	mdb_fc_val_fill(b, f.ret, cls, size > 8 ? 8 : size, mdb_tv_signed(b, f.ret), &fe->ret);
	fe->has_ret = FC_RET_TYPED;
	return mdb_tv_push_scalar(L, b, nr, f.ret, cls, v, size > 8 ? 8 : size, 0, 0,
			   mdb_tv_signed(b, f.ret));
raw:
	/*
	 * Kept in the fast cache too, so that the next hits of a function
	 * without BTF (a module built without it) do no lookup: an entry with
	 * no parameters, which ctx.args never fills (arg_one() raises first).
	 */
	fe = mdb_fc_func_add(fc, ip, gen, 0, 0);
	fe->has_ret = FC_RET_RAW;
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}
