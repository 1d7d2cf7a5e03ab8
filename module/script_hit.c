// SPDX-License-Identifier: GPL-2.0
/*
 * The script at a hit: lua=/if= run by the hit path, the ctx object a
 * call sees (ctx.args, ctx.regs, ctx.retval ...), and the parts of the
 * `mdb` library that act on the hit (mdb.step, mdb.disable, mdb.watch,
 * mdb.disasm, mdb.write_*, mdb.trace). The runtime itself is
 * lua-bindings/ (mdb_lua.h); loading a script is script.c's.
 *
 * Hit path (NMI context): mdb_script_hit() reads the current state with
 * READ_ONCE and calls the function on the CPU's script stack, with the
 * per-call instruction budget; another CPU using the state makes it wait
 * up to lua_wait_us, then the hit is counted as missed. A failing call is
 * logged; after lua_max_errors failures the breakpoint is disabled.
 */
#include <linux/kernel.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "lua.h"
#include "lauxlib.h"
#include "mdb_lua.h"
#include "mdb.h"
#include "bp.h"
#include "zydis/mdb_dis.h"
#include "mdb_ltype.h"
#include "mdb_lua_fast.h"
#include "btfidx.h"
#include "nofault.h"
#include "script.h"

static_assert(MDB_SCRIPT_NONE == MDB_LUA_NONE && MDB_SCRIPT_FALSE == MDB_LUA_FALSE &&
	      MDB_SCRIPT_TRUE == MDB_LUA_TRUE);

unsigned int lua_budget = MDB_LUA_BUDGET_DEFAULT;
module_param(lua_budget, uint, 0644);
MODULE_PARM_DESC(lua_budget, "Lua instructions allowed per call (default 100000)");
static unsigned int lua_max_errors = 10;
module_param(lua_max_errors, uint, 0644);
MODULE_PARM_DESC(lua_max_errors, "script errors after which a breakpoint is disabled (default 10)");
static unsigned int lua_wait_us = 100;
module_param(lua_wait_us, uint, 0644);
MODULE_PARM_DESC(lua_wait_us, "how long a hit waits for a state another CPU uses (us, default 100)");
bool allow_write;
module_param(allow_write, bool, 0444);
MODULE_PARM_DESC(allow_write, "let scripts write kernel memory (mdb.write_u8..u64) and general registers (ctx.regs.NAME = v); default off");
/* allow_write=1 was refused: the kernel is locked down (mdb_script_check_write) */
bool allow_write_locked;

struct mdb_lua *mdb_script;		/* READ_ONCE in the hit path; script.c sets it */
atomic64_t mdb_script_errors;
DEFINE_PER_CPU(u64, mdb_script_calls);	/* per CPU: no shared line per hit */

/* What the ctx object of a call reads. */
struct mdb_hit_info {
	struct mdb_bp *bp;
	struct pt_regs *regs;
	unsigned long ip;
	u64 ts;
	const struct mdb_exit *ex;	/* break ret: the return; else NULL */
};

bool mdb_script_loaded(void)
{
	return READ_ONCE(mdb_script) != NULL;
}

/* ---- the hit path (NMI) ----------------------------------------------- */

/*
 * A failed call's message, per CPU: a hit's call cannot nest on its CPU
 * (mdb_hit's recursion guard), and a stack buffer would be cleared on
 * every hit (the kernel's INIT_STACK_ALL_ZERO).
 */
static DEFINE_PER_CPU(char [160], mdb_script_err);

__mdb_hot int mdb_script_hit(struct mdb_bp *bp, const char *fn, u64 *hint,
			     struct pt_regs *regs, unsigned long ip,
			     const struct mdb_exit *ex)
{
	struct mdb_lua *S = READ_ONCE(mdb_script);
	char *err = this_cpu_ptr(mdb_script_err);
	/* every field read is set (here or by mdb_lua_call_hit): no clearing */
	struct mdb_hit_info hi __mdb_noinit;
	struct mdb_lua_call c __mdb_noinit;
	int r;

	hi.bp = bp;
	hi.regs = regs;
	hi.ip = ip;
	hi.ts = 0;		/* read when first asked */
	hi.ex = ex;
	c.fn = fn;
	c.hit = &hi;
	c.regs = regs;
	c.budget = READ_ONCE(lua_budget);
	c.wait_ns = READ_ONCE(lua_wait_us) * 1000ULL;
	c.err = err;
	c.errlen = sizeof(mdb_script_err);
	c.hint = hint;

	if (!S) {
		strscpy(err, "no script loaded", sizeof(mdb_script_err));
		r = -ENOENT;
	} else {
		r = mdb_lua_call_hit(S, &c);	/* sets c.args, c.used */
		this_cpu_inc(mdb_script_calls);
	}
	if (r >= 0 || r == -EBUSY)
		return r;
	atomic64_inc(&mdb_script_errors);
	mdb_log_text(bp->id, "lua error: ", err, strlen(err));
	if (atomic_inc_return(&bp->script_errors) >= READ_ONCE(lua_max_errors))
		mdb_defer_disable(bp, MDB_DIS_ERRORS);
	return r;
}

/* print() and mdb.printf(): a log line of the breakpoint being run (0: none). */
static void mdb_script_log(void *priv, void *hit, const char *msg, size_t len)
{
	const struct mdb_hit_info *hi = hit;

	mdb_log_text(hi ? hi->bp->id : 0, "", msg, len);
}

/* mdb.dump(): the object's bytes into the log, under the hit's breakpoint id. */
static void mdb_script_dump(void *hit, unsigned int nr, u32 gen, u32 type,
			    unsigned int depth, const void *data, size_t len)
{
	const struct mdb_hit_info *hi = hit;

	mdb_log_dump(hi ? hi->bp->id : 0, nr, gen, type, depth, data, len);
}

/* ---- ctx: fields read lazily from the hit (runs in the call's context) - */

static const struct {
	const char *name, *alt;
	size_t off;
} mdb_regs_by_name[] = {
#define R(n, a, f) { n, a, offsetof(struct pt_regs, f) }
	R("ax", "rax", ax), R("bx", "rbx", bx), R("cx", "rcx", cx), R("dx", "rdx", dx),
	R("si", "rsi", si), R("di", "rdi", di), R("bp", "rbp", bp), R("sp", "rsp", sp),
	R("r8", NULL, r8), R("r9", NULL, r9), R("r10", NULL, r10), R("r11", NULL, r11),
	R("r12", NULL, r12), R("r13", NULL, r13), R("r14", NULL, r14), R("r15", NULL, r15),
	R("ip", "rip", ip), R("flags", "eflags", flags), R("orig_ax", NULL, orig_ax),
#undef R
};

static __mdb_hot struct mdb_hit_info *mdb_ctx_hit(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_lua_hit(L);

	if (!hi)
		luaL_error(L, "ctx is only valid during its hit");
	return hi;
}

/* The row of mdb_regs_by_name for register @k ("di" or "rdi"), or -1. */
static int mdb_reg_find(const char *k)
{
	int i;

	for (i = 0; k && i < ARRAY_SIZE(mdb_regs_by_name); i++)
		if (!strcmp(k, mdb_regs_by_name[i].name) ||
		    (mdb_regs_by_name[i].alt && !strcmp(k, mdb_regs_by_name[i].alt)))
			return i;
	return -1;
}

/* ctx.args.NAME: the probed function's parameters, typed (mdb_ltype.c) */
static const char mdb_args_tag;

static int mdb_sys_args_index(lua_State *L, struct mdb_hit_info *hi, const char *k, size_t n)
{
	const unsigned long v[6] = { hi->regs->di, hi->regs->si, hi->regs->dx,
				     hi->regs->cx, hi->regs->r8, hi->regs->r9 };
	bool cstr;
	int i = mdb_sys_arg(&hi->bp->site, k, n, &cstr);
	char names[96];

	if (i < 0) {
		mdb_sys_argnames(&hi->bp->site, names, sizeof(names));
		return luaL_error(L, "ctx.args: %s:%s has no argument '%s' (arguments: %s)",
				  hi->bp->cmd.loc.module, hi->bp->cmd.loc.sym, k, names);
	}
	/* a char pointer: a typed char * (p:str() reads the user string) */
	if (cstr)
		return mdb_ltype_cast_cstr(L, v[i]);
	lua_pushinteger(L, (lua_Integer)v[i]);
	return 1;
}

static int mdb_args_index(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_ctx_hit(L);
	size_t n = 0;
	const char *k = luaL_checklstring(L, 2, &n);

	/* a syscalls:sys_{enter,exit}_X event: its metadata names them */
	if (hi->bp->site.sys)
		return mdb_sys_args_index(L, hi, k, n);
	if (hi->bp->site.noproto)
		return luaL_error(L, "ctx.args: %s has no BTF prototype (__bpf_trace_*): use ctx.arg(n)",
				  hi->bp->site.name);
	/* at a return, the arguments are the entry's (kept by mdb_rp_entry) */
	return mdb_ltype_arg(L, hi->ex ? (struct pt_regs *)mdb_exit_entry_regs(hi->ex) : hi->regs,
			     hi->ip, hi->bp->flags & MDB_F_WATCH, k, n);
}

/*
 * ctx.regs.NAME: a light userdata whose metatable reads the registers.
 * ctx.args is a light userdata too (one metatable for all): its tag
 * sends it to mdb_args_index().
 */
static int mdb_regs_index(lua_State *L)
{
	struct mdb_hit_info *hi;
	int i;
	unsigned long v;

	if (lua_touserdata(L, 1) == (void *)&mdb_args_tag)
		return mdb_args_index(L);
	hi = mdb_ctx_hit(L);
	i = mdb_reg_find(lua_tostring(L, 2));

	if (i < 0) {
		lua_pushnil(L);
		return 1;
	}
	v = *(unsigned long *)((char *)hi->regs + mdb_regs_by_name[i].off);
	/* exec hits report the breakpoint, not int3's ip+1 */
	if (mdb_regs_by_name[i].off == offsetof(struct pt_regs, ip))
		v = hi->ip;
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

/*
 * ctx.regs.NAME = v: only with allow_write, and only the general registers
 * (the interrupted code's ip, sp, flags and orig_ax stay as they are:
 * changing them is a jump, a stack switch or a syscall number, not a value).
 */
static int mdb_regs_newindex(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_ctx_hit(L);
	const char *k = lua_tostring(L, 2);
	lua_Integer v;
	int i = mdb_reg_find(k);
	size_t off;

	if (lua_touserdata(L, 1) == (void *)&mdb_args_tag)
		return luaL_error(L, "ctx.args is read-only");
	v = luaL_checkinteger(L, 3);
	if (!allow_write)
		return luaL_error(L, "ctx.regs is read-only (%s)",
				  allow_write_locked ? "allow_write=1 refused: the kernel is locked down, integrity" :
				  "load mdb with allow_write=1 to change registers");
	if (i < 0)
		return luaL_error(L, "ctx.regs has no register '%s'", k ? k : "?");
	off = mdb_regs_by_name[i].off;
	if (off == offsetof(struct pt_regs, ip) || off == offsetof(struct pt_regs, sp) ||
	    off == offsetof(struct pt_regs, flags) || off == offsetof(struct pt_regs, orig_ax))
		return luaL_error(L, "ctx.regs.%s cannot be written: only ax bx cx dx si di bp r8..r15 can", k);
	*(unsigned long *)((char *)hi->regs + off) = (unsigned long)v;
	return 0;
}

static char mdb_regs_tag;

/* ctx.arg(n): argument n (1-based) by the System V ABI, at function entry. */
static __mdb_hot int mdb_ctx_arg(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_ctx_hit(L);
	/* n is the last argument: ctx.arg(n) and ctx:arg(n) */
	int top = lua_gettop(L), isnum = 0;
	lua_Integer n = top ? lua_tointegerx(L, top, &isnum) : 0;
	/* at a return, the entry's argument registers */
	const struct pt_regs *r = hi->ex ? mdb_exit_entry_regs(hi->ex) : hi->regs;
	unsigned long v;

	if (!isnum)	/* raises: no argument, or not an integer */
		n = luaL_checkinteger(L, top ? top : 1);
	/* a tracepoint's probe has __data first: ctx.arg(1) is its first argument */
	if ((hi->bp->flags & MDB_F_TP) && !hi->bp->site.sys && n >= 1)
		n++;

	switch (n) {
	case 1: v = r->di; break;
	case 2: v = r->si; break;
	case 3: v = r->dx; break;
	case 4: v = r->cx; break;
	case 5: v = r->r8; break;
	case 6: v = r->r9; break;
	default:
		/* beyond 6: on the stack, above the return address */
		if (n < 1 || n > 64 ||
		    !mdb_read_nofault(&v, r->sp + 8 * (n - 6), sizeof(v))) {
			lua_pushnil(L);
			return 1;
		}
	}
	lua_pushinteger(L, (lua_Integer)v);
	return 1;
}

static const luaL_Reg mdb_ctx_methods[] = {
	{ "arg", mdb_ctx_arg },
	{ NULL, NULL },
};

enum { K_NONE, K_BP, K_IP, K_CPU, K_PID, K_TID, K_COMM, K_TS, K_ADDR, K_ARG, K_REGS, K_ARGS,
       K_RETVAL, K_ELAPSED };

/* The field named @k (@n bytes): by length first, one comparison each. */
static int mdb_ctx_key(const char *k, size_t n)
{
	switch (n) {
	case 2:
		return !memcmp(k, "bp", 2) ? K_BP : !memcmp(k, "ip", 2) ? K_IP :
		       !memcmp(k, "ts", 2) ? K_TS : K_NONE;
	case 3:
		return !memcmp(k, "arg", 3) ? K_ARG : !memcmp(k, "pid", 3) ? K_PID :
		       !memcmp(k, "cpu", 3) ? K_CPU : !memcmp(k, "tid", 3) ? K_TID : K_NONE;
	case 4:
		return !memcmp(k, "comm", 4) ? K_COMM : !memcmp(k, "regs", 4) ? K_REGS :
		       !memcmp(k, "addr", 4) ? K_ADDR : !memcmp(k, "args", 4) ? K_ARGS : K_NONE;
	case 6:
		return !memcmp(k, "retval", 6) ? K_RETVAL : K_NONE;
	case 7:
		return !memcmp(k, "elapsed", 7) ? K_ELAPSED : K_NONE;
	}
	return K_NONE;
}

static __mdb_hot int mdb_ctx_index(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_ctx_hit(L);
	size_t n = 0;
	const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &n) : NULL;
	char comm[TASK_COMM_LEN];

	switch (k ? mdb_ctx_key(k, n) : K_NONE) {
	case K_BP:
		lua_pushinteger(L, hi->bp->id);
		break;
	case K_IP:
		lua_pushinteger(L, (lua_Integer)hi->ip);
		break;
	case K_CPU:
		lua_pushinteger(L, raw_smp_processor_id());
		break;
	case K_PID:
		lua_pushinteger(L, current->tgid);
		break;
	case K_TID:
		lua_pushinteger(L, current->pid);
		break;
	case K_COMM:
		memcpy(comm, current->comm, sizeof(comm));
		comm[TASK_COMM_LEN - 1] = '\0';
		lua_pushlstring(L, comm, strnlen(comm, sizeof(comm)));
		break;
	case K_TS:
		if (!hi->ts)
			hi->ts = ktime_get_mono_fast_ns();
		lua_pushinteger(L, (lua_Integer)hi->ts);
		break;
	case K_ADDR:
		if (hi->bp->flags & MDB_F_WATCH)
			lua_pushinteger(L, (lua_Integer)hi->bp->addr);
		else
			lua_pushnil(L);
		break;
	case K_ARG:
		lua_pushcfunction(L, mdb_ctx_arg);
		break;
	case K_RETVAL:
		/* typed from the function's BTF return type, else an integer */
		if (hi->ex)
			return mdb_ltype_retval(L, hi->ip, hi->ex->retval);
		lua_pushnil(L);
		break;
	case K_ELAPSED:
		if (hi->ex)
			lua_pushinteger(L, (lua_Integer)hi->ex->elapsed);
		else
			lua_pushnil(L);
		break;
	case K_REGS:
	case K_ARGS:
		/* light userdata share one metatable; its functions look at the tag */
		lua_pushlightuserdata(L, k[0] == 'a' ? (void *)&mdb_args_tag :
				      (void *)&mdb_regs_tag);
		if (!lua_getmetatable(L, -1)) {
			/* once per state: the metatable of light userdata */
			lua_createtable(L, 0, 2);
			lua_pushcfunction(L, mdb_regs_index);
			lua_setfield(L, -2, "__index");
			lua_pushcfunction(L, mdb_regs_newindex);
			lua_setfield(L, -2, "__newindex");
			lua_setmetatable(L, -2);
		} else {
			lua_pop(L, 1);
		}
		break;
	default:
		lua_pushnil(L);
	}
	return 1;
}

/*
 * The fast forms of ctx's and of ctx.args'/ctx.regs' __index, asked by the
 * VM before it calls them (mdb_lua_fast.h): the common fields, without a
 * call and without the API. What they leave (ctx.arg, ctx.retval, a
 * syscall event's args, first uses, faults, errors) the calls do.
 */
static __mdb_hot int mdb_ctx_fast(lua_State *L, void *obj, const char *k, unsigned long n,
				  const void *kid, struct mdb_lua_fastval *out)
{
	struct mdb_hit_info *hi = mdb_lua_hit(L);

	if (!hi)
		return 0;	/* the call raises the error */
	out->kind = MDB_FV_INT;
	switch (mdb_ctx_key(k, n)) {
	case K_BP:
		out->i = hi->bp->id;
		break;
	case K_IP:
		out->i = (long long)hi->ip;
		break;
	case K_CPU:
		out->i = raw_smp_processor_id();
		break;
	case K_PID:
		out->i = current->tgid;
		break;
	case K_TID:
		out->i = current->pid;
		break;
	case K_COMM:
		BUILD_BUG_ON(TASK_COMM_LEN > sizeof(out->data));
		memcpy(out->data, current->comm, TASK_COMM_LEN);
		((char *)out->data)[TASK_COMM_LEN - 1] = '\0';
		out->kind = MDB_FV_STR;
		out->len = strnlen((const char *)out->data, TASK_COMM_LEN);
		break;
	case K_TS:
		if (!hi->ts)
			hi->ts = ktime_get_mono_fast_ns();
		out->i = (long long)hi->ts;
		break;
	case K_ELAPSED:
		if (!hi->ex)
			return 0;
		out->i = (long long)hi->ex->elapsed;
		break;
	case K_RETVAL:
		return hi->ex && mdb_ltype_retval_fast(L, hi->ip, hi->ex->retval, out);
	case K_ARGS:
		out->kind = MDB_FV_LIGHT;
		out->p = &mdb_args_tag;
		break;
	case K_REGS:
		out->kind = MDB_FV_LIGHT;
		out->p = &mdb_regs_tag;
		break;
	default:
		return 0;
	}
	return 1;
}

static __mdb_hot int mdb_regs_fast(lua_State *L, void *obj, const char *k, unsigned long n,
				   const void *kid, struct mdb_lua_fastval *out)
{
	struct mdb_hit_info *hi = mdb_lua_hit(L);
	const struct mdb_bp *bp;
	int i;

	if (!hi)
		return 0;
	bp = hi->bp;
	if (obj == (void *)&mdb_args_tag) {
		if (bp->site.sys || bp->site.noproto || (bp->flags & MDB_F_WATCH))
			return 0;
		return mdb_ltype_arg_fast(L, hi->ex ? mdb_exit_entry_regs(hi->ex) : hi->regs,
					  hi->ip, k, n, out);
	}
	if (obj != (void *)&mdb_regs_tag)
		return 0;
	i = mdb_reg_find(k);
	if (i < 0)
		return 0;
	out->kind = MDB_FV_INT;
	out->i = *(unsigned long *)((char *)hi->regs + mdb_regs_by_name[i].off);
	if (mdb_regs_by_name[i].off == offsetof(struct pt_regs, ip))
		out->i = (long long)hi->ip;
	return 1;
}

/* ---- mdb.step, mdb.disable, mdb.watch, mdb.disasm ---------------------- */

/* mdb.step(n): single-step n instructions from this hit. */
static int mdb_l_step(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_ctx_hit(L);
	lua_Integer n = luaL_optinteger(L, 1, 10);
	const char *why;

	luaL_argcheck(L, n >= 1 && n <= MDB_STEP_MAX, 1, "steps must be 1..1000");
	if (mdb_step_begin(hi->bp, hi->regs, n, false, &why)) {
		lua_pushnil(L);
		lua_pushstring(L, why);
		return 2;
	}
	lua_pushboolean(L, 1);
	return 1;
}

/* mdb.disable(): disarm this breakpoint (from process context, soon). */
static int mdb_l_disable(lua_State *L)
{
	mdb_defer_disable(mdb_ctx_hit(L)->bp, MDB_DIS_SCRIPT);
	return 0;
}

/* mdb.watch(addr, len, mode, fn): requests, armed by the work item. */
#define MDB_WATCH_REQS 8
static struct mdb_watch_req mdb_watch_reqs[MDB_WATCH_REQS];

/* Queue one watch request for the work item; false when all are in use. */
static bool mdb_watch_queue(unsigned long addr, unsigned int len, bool rw,
			    const char *fn, size_t fnlen)
{
	int i;

	for (i = 0; i < MDB_WATCH_REQS; i++) {
		struct mdb_watch_req *r = &mdb_watch_reqs[i];

		if (atomic_cmpxchg(&r->state, 0, 1))
			continue;
		r->addr = addr;
		r->len = len;
		r->rw = rw;
		memcpy(r->fn, fn, fnlen + 1);
		atomic_set_release(&r->state, 2);
		return true;
	}
	return false;
}

/*
 * mdb.watch(p, "field.path" [, mode [, fn]]) or with a table {mode=, fn=}:
 * a watchpoint on that field of that object, with the field's size. A
 * field that is not 1, 2, 4 or 8 bytes and aligned is split into aligned
 * pieces of up to 8 bytes, one debug register each (at most 4).
 */
static int mdb_l_watch_typed(lua_State *L)
{
	unsigned long addrs[MDB_NR_DEBUG_REGS];
	unsigned int lens[MDB_NR_DEBUG_REGS];
	const char *mode = "w", *fn = "";
	size_t fnlen = 0;
	int n = 0, i;
	u64 addr, end;
	u32 size;

	if (lua_istable(L, 3)) {
		lua_getfield(L, 3, "mode");
		mode = luaL_optstring(L, -1, "w");
		lua_getfield(L, 3, "fn");
		fn = luaL_optlstring(L, -1, "", &fnlen);
	} else {
		mode = luaL_optstring(L, 3, "w");
		fn = luaL_optlstring(L, 4, "", &fnlen);
	}
	luaL_argcheck(L, !strcmp(mode, "w") || !strcmp(mode, "rw"), 3,
		      "mode must be 'w' or 'rw' (x86 cannot trap reads alone)");
	luaL_argcheck(L, fnlen <= MDB_FN_MAX, 4, "function name too long");
	if (!mdb_ltype_field(L, 1, 2, &addr, &size)) {
		lua_pushnil(L);
		lua_pushstring(L, "cannot read a pointer on the way to the field");
		return 2;
	}
	if (!size)
		return luaL_error(L, "mdb.watch: the field has no size");
	/* aligned pieces of 8, 4, 2, 1 bytes */
	for (end = addr + size; addr < end; n++) {
		unsigned int len = 8;

		while (len > 1 && ((addr & (len - 1)) || addr + len > end))
			len >>= 1;
		if (n == MDB_NR_DEBUG_REGS)
			return luaL_error(L, "mdb.watch: a field of %u bytes at this alignment needs more than %d debug registers",
					  size, MDB_NR_DEBUG_REGS);
		addrs[n] = addr;
		lens[n] = len;
		addr += len;
	}
	for (i = 0; i < n; i++)
		if (!mdb_watch_queue(addrs[i], lens[i], mode[0] == 'r', fn, fnlen)) {
			lua_pushnil(L);
			lua_pushstring(L, "too many pending watch requests");
			return 2;
		}
	mdb_defer_kick();
	lua_pushboolean(L, 1);
	return 1;
}

static int mdb_l_watch(lua_State *L)
{
	unsigned long addr;
	lua_Integer len;
	const char *mode;
	size_t fnlen = 0;
	const char *fn;

	if (lua_type(L, 1) == LUA_TUSERDATA)
		return mdb_l_watch_typed(L);
	addr = (unsigned long)luaL_checkinteger(L, 1);
	len = luaL_checkinteger(L, 2);
	mode = luaL_optstring(L, 3, "w");
	fn = luaL_optlstring(L, 4, "", &fnlen);
	luaL_argcheck(L, len == 1 || len == 2 || len == 4 || len == 8, 2,
		      "length must be 1, 2, 4 or 8");
	luaL_argcheck(L, !strcmp(mode, "w") || !strcmp(mode, "rw"), 3,
		      "mode must be 'w' or 'rw' (x86 cannot trap reads alone)");
	luaL_argcheck(L, fnlen <= MDB_FN_MAX, 4, "function name too long");
	if (mdb_watch_queue(addr, len, mode[0] == 'r', fn, fnlen)) {
		mdb_defer_kick();
		lua_pushboolean(L, 1);
		return 1;
	}
	lua_pushnil(L);
	lua_pushstring(L, "too many pending watch requests");
	return 2;
}

/* mdb.disasm(addr[, n]): n (1..16) instructions as text, one per line. */
static int mdb_l_disasm(lua_State *L)
{
	unsigned long a = (unsigned long)luaL_checkinteger(L, 1);
	lua_Integer n = luaL_optinteger(L, 2, 1);
	u8 bytes[MDB_INSN_MAX];
	char text[96];
	int i, len, ilen, parts = 0;

	luaL_argcheck(L, n >= 1 && n <= 16, 2, "count must be 1..16");
	luaL_checkstack(L, 2 * n, "disasm");
	for (i = 0; i < n; i++) {
		len = mdb_dis_read(a, bytes, sizeof(bytes));
		if (len <= 0)
			break;
		ilen = 1;
		mdb_dis_format(a, bytes, len, false, text, sizeof(text), &ilen);
		if (i) {
			lua_pushliteral(L, "\n");
			parts++;
		}
		lua_pushstring(L, text);
		parts++;
		a += ilen > 0 ? ilen : 1;
	}
	if (!parts)
		lua_pushnil(L);
	else
		lua_concat(L, parts);
	return 1;
}

/*
 * mdb.write_u8..u64(addr, v): store the low bytes of v at addr, only with
 * allow_write. true, or nil and why. The nofault copy refuses what is not
 * writable (text, rodata, unmapped, user addresses); mdb's own module image
 * is refused here (a script must not rewrite the engine running it).
 */
static int write_uint(lua_State *L, unsigned int size)
{
	unsigned long addr = (unsigned long)luaL_checkinteger(L, 1);
	u64 v = (u64)luaL_checkinteger(L, 2);
	char why[64];

	if (!allow_write)
		return luaL_error(L, "mdb.write_u%d: writing kernel memory is off (%s)", (int)size * 8,
				  allow_write_locked ? "allow_write=1 refused: the kernel is locked down, integrity" :
				  "load mdb with allow_write=1");
	if (within_module(addr, THIS_MODULE) || within_module(addr + size - 1, THIS_MODULE)) {
		scnprintf(why, sizeof(why), "0x%lx is mdb's own memory", addr);
		goto fail;
	}
	if (mdb_write_nofault(addr, v, size)) {	/* little-endian: the low bytes */
		scnprintf(why, sizeof(why), "cannot write %u bytes at 0x%lx", size, addr);
		goto fail;
	}
	lua_pushboolean(L, 1);
	return 1;
fail:
	lua_pushnil(L);
	lua_pushstring(L, why);
	return 2;
}

static int mdb_l_write_u8(lua_State *L) { return write_uint(L, 1); }
static int mdb_l_write_u16(lua_State *L) { return write_uint(L, 2); }
static int mdb_l_write_u32(lua_State *L) { return write_uint(L, 4); }
static int mdb_l_write_u64(lua_State *L) { return write_uint(L, 8); }

/*
 * mdb.trace(fmt, ...): string.format, then the mdb:mdb_print trace event
 * (not the log): beside the kernel's own events in trace_pipe, perf,
 * trace-cmd. Returns whether the event is enabled (false: nothing listens).
 */
static int mdb_l_trace(lua_State *L)
{
	struct mdb_hit_info *hi = mdb_lua_hit(L);
	const char *msg;
	size_t len;

	lua_getglobal(L, "string");
	lua_getfield(L, -1, "format");
	lua_remove(L, -2);
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	msg = lua_tolstring(L, -1, &len);
	if (msg && len && msg[len - 1] == '\n')
		len--;
	if (msg)
		mdb_trace_print(hi ? hi->bp->id : 0, msg, min_t(size_t, len, 256));
	lua_pushboolean(L, mdb_trace_print_enabled());
	return 1;
}

static const luaL_Reg mdb_engine_lib[] = {
	{ "trace", mdb_l_trace },
	{ "write_u8", mdb_l_write_u8 },
	{ "write_u16", mdb_l_write_u16 },
	{ "write_u32", mdb_l_write_u32 },
	{ "write_u64", mdb_l_write_u64 },
	{ "step", mdb_l_step },
	{ "disable", mdb_l_disable },
	{ "watch", mdb_l_watch },
	{ "disasm", mdb_l_disasm },
	{ NULL, NULL },
};

/* ---- the engine's side (process context) --------------------------------- */

/**
 * mdb_script_watch_take - one mdb.watch() request a hit made, for the engine
 * @req: the request, copied out; its slot is free again
 *
 * Return: false when none is waiting.
 */
bool mdb_script_watch_take(struct mdb_watch_req *req)
{
	int i;

	for (i = 0; i < MDB_WATCH_REQS; i++) {
		struct mdb_watch_req *r = &mdb_watch_reqs[i];

		if (atomic_read_acquire(&r->state) != 2)
			continue;
		req->addr = r->addr;
		req->len = r->len;
		req->rw = r->rw;
		memcpy(req->fn, r->fn, sizeof(req->fn));
		atomic_set_release(&r->state, 0);
		return true;
	}
	return false;
}

/* A step of the script's garbage collector, asked for by the hit path. */
void mdb_script_gc(void)
{
	mutex_lock(&mdb_lock);
	if (mdb_script)
		mdb_lua_gc_step(mdb_script, false);
	mutex_unlock(&mdb_lock);
}

/* At load: the hooks and the functions of the library that act on a hit. */
int mdb_script_hit_init(void)
{
	int ret;

	mdb_lua_set_log(mdb_script_log, NULL);
	mdb_ltype_set_dump(mdb_script_dump);
	mdb_lua_set_lookup(mdb_lookup_name);
	mdb_lua_set_ctx_index(mdb_ctx_index);
	if (mdb_lua_set_fastindex(mdb_ctx_index, mdb_ctx_fast) ||
	    mdb_lua_set_fastindex(mdb_regs_index, mdb_regs_fast) || mdb_ltype_setup())
		return -ENOSPC;
	mdb_lua_set_gc_kick(mdb_defer_kick);
	mdb_lua_set_ctx_methods(mdb_ctx_methods);
	ret = mdb_lua_register(mdb_engine_lib);
	if (!ret)
		ret = mdb_lua_register(mdb_ltype_lib);	/* after the library: its mdb.addr wins */
	return ret;
}
