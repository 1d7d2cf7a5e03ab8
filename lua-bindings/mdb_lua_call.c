// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua_call.c - calling a state's global functions: mdb_lua_call() (any
 * function, any arguments) and the hit path's mdb_lua_call_hit() (c->fn(ctx)).
 *
 * A call enters the state and switches to the script stack (mdb_lua_run.h).
 * Its usual case, a Lua function whose name this state has called before,
 * is done there in line, before the panic jmpbuf is armed: the name is in
 * the state's cache of interned names (fn_find()), and mdb_lua_fast_call()
 * (lua_all.c) makes one raw lookup and one protected call. Anything else
 * (a first call, a C function, other arguments, a failure whose message
 * may need converting) is a job (mdb_lua_run_job()) that goes through the
 * Lua API.
 *
 * Context: any, NMI included (a #DB handler's hit).
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/string.h>
#include <asm/ptrace.h>
#include <asm/segment.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua_gc.h"
#include "mdb_lua_run.h"

#define MDB_LUA_MAX_ARGS	16

/* Numbers the fillings of every state's cache (the callers' hints). */
static atomic64_t mdb_lua_fn_seq;

/*
 * The cache entry of @name, or NULL. @hint (may be NULL): the id of the
 * entry that had the name last. An id is never reused, by any state, so
 * a hint that matches an entry's id names that entry without comparing
 * names.
 */
static __always_inline struct mdb_lua_fn *fn_find(struct mdb_lua *S,
						  const char *name, u64 *hint)
{
	u64 h = hint ? READ_ONCE(*hint) : 0;
	unsigned int i = h & 0xff;

	if (h && i < MDB_LUA_FNCACHE && S->fns[i].id == h)
		return &S->fns[i];
	for (i = 0; i < MDB_LUA_FNCACHE; i++) {
		if (S->fns[i].ref != LUA_NOREF && !strcmp(S->fns[i].name, name)) {
			if (hint)
				WRITE_ONCE(*hint, S->fns[i].id);
			return &S->fns[i];
		}
	}
	return NULL;
}

/* Protected (luaL_ref may allocate): keep @name's string in the registry. */
static void fn_remember(lua_State *L, struct mdb_lua *S, const char *name)
{
	unsigned int i;
	struct mdb_lua_fn *f;

	if (strlen(name) >= MDB_LUA_FNLEN || fn_find(S, name, NULL))
		return;
	i = S->fn_next++ % MDB_LUA_FNCACHE;
	f = &S->fns[i];
	lua_pushstring(L, name);
	luaL_unref(L, LUA_REGISTRYINDEX, f->ref);
	f->ref = LUA_NOREF;
	f->id = 0;
	f->obj = mdb_lua_gcobj(L, -1);
	f->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	strscpy(f->name, name, sizeof(f->name));
	f->id = (u64)atomic64_inc_return(&mdb_lua_fn_seq) << 8 | i;
}

/*
 * A call of c->fn(ctx) whose name is cached (seen before): the raw lookup
 * and the protected call of mdb_lua_fast_call(), which touch only objects
 * the cache and ctx_ref keep alive, and raise nothing outside their own
 * protection (so this runs without the panic jmpbuf). .status -1 when that
 * does not apply (first call of the name, not a Lua function: the general
 * path runs instead), else the Lua status, with .res when it is LUA_OK.
 */
static __always_inline struct mdb_lua_fast fast_call(struct mdb_lua *S,
						      struct mdb_lua_call *c)
{
	struct mdb_lua_fn *f = fn_find(S, c->fn, c->hint);

	if (!f || !S->ctx_obj)
		return (struct mdb_lua_fast){ .status = -1 };
	return mdb_lua_fast_call(S->L, f->obj, S->ctx_obj, !in_task());
}

/* Protected: look the function up, push the arguments, call it. */
static int mdb_lua_do_call(lua_State *L)
{
	struct mdb_lua_call *c = lua_touserdata(L, 1);
	struct mdb_lua *S = mdb_lua_of(L);
	unsigned int i;
	int base, nres;

	if (lua_getglobal(L, c->fn) != LUA_TFUNCTION) {
		S->call_err = -ENOENT;
		return luaL_error(L, "no function '%s'", c->fn);
	}
	if (c->hit)
		fn_remember(L, S, c->fn);
	for (i = 0; i < c->nargs; i++) {
		const struct mdb_lua_arg *a = &c->args[i];

		switch (a->type) {
		case MDB_LUA_ARG_BOOL:
			lua_pushboolean(L, a->i != 0);
			break;
		case MDB_LUA_ARG_INT:
			lua_pushinteger(L, a->i);
			break;
		case MDB_LUA_ARG_STR:
			lua_pushlstring(L, a->s, a->len);
			break;
		case MDB_LUA_ARG_CTX:
			lua_rawgeti(L, LUA_REGISTRYINDEX, S->ctx_ref);
			break;
		default:
			lua_pushnil(L);
			break;
		}
	}
	base = 1;	/* slot 1 is the call descriptor */
	lua_call(L, c->nargs, LUA_MULTRET);
	nres = lua_gettop(L) - base;
	if (nres == 0 || lua_isnil(L, base + 1))
		lua_pushinteger(L, MDB_LUA_NONE);
	else if (lua_isboolean(L, base + 1) && !lua_toboolean(L, base + 1))
		lua_pushinteger(L, MDB_LUA_FALSE);
	else
		lua_pushinteger(L, MDB_LUA_TRUE);
	return 1;
}

/* A call's budget: the caller's, or the state's default. */
static void call_begin(struct mdb_lua *S, struct mdb_lua_call *c)
{
	mdb_lua_arm_budget(S, c->budget ? c->budget : S->default_budget);
	c->used = S->h.budget;	/* until call_end() */
	S->call_err = 0;
}

static void call_end(struct mdb_lua *S, struct mdb_lua_call *c)
{
	c->used -= S->h.budget > 0 ? S->h.budget : 0;
}

/*
 * The general path (a job, under the panic jmpbuf): any function, any
 * arguments, first calls; or the failure of mdb_lua_fast_call() (job->fast
 * > 0), whose message may need converting. call_begin() is done.
 */
static void job_call(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	struct mdb_lua_call *c = job->call;
	lua_State *L = S->L;
	int status;

	if (job->fast > 0) {
		job->ret = mdb_lua_failure(S, job->fast, c->err, c->errlen);
		call_end(S, c);
		return;
	}
	/* the collector stays off; in a hit, emergency collections too */
	lua_gc(L, LUA_GCSTOP);
	mdb_lua_hold_emergency_gc(L, !in_task());
	lua_pushcfunction(L, mdb_lua_do_call);
	lua_pushlightuserdata(L, c);
	status = lua_pcall(L, 1, 1, 0);
	if (status == LUA_OK)
		job->ret = (int)lua_tointeger(L, -1);
	else
		job->ret = mdb_lua_failure(S, status, c->err, c->errlen);
	lua_settop(L, 0);
	mdb_lua_hold_emergency_gc(L, 0);
	call_end(S, c);
}

/* mdb_lua_call() on the script stack; its only caller is the asm in switch_run_call(). */
static void run_call(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	struct mdb_lua_call *c = job->call;
	struct mdb_lua_fast r = { .status = -1 };

	mdb_lua_stack_marks(S);
	/* the usual case, done before arming the panic jmpbuf */
	call_begin(S, c);
	if (c->nargs == 1 && c->args[0].type == MDB_LUA_ARG_CTX)
		r = fast_call(S, c);
	if (r.status == LUA_OK) {
		job->ret = r.res;	/* MDB_LUA_NONE, _FALSE, _TRUE */
		call_end(S, c);
		return;
	}
	job->fast = r.status;
	mdb_lua_run_job(job);
}

/* A hit's one argument (mdb_lua_call_hit()). */
static const struct mdb_lua_arg mdb_lua_ctx_arg = { .type = MDB_LUA_ARG_CTX };

/* mdb_lua_run_hit()'s other cases, as a job (out of the usual path). */
static noinline int run_hit_general(struct mdb_lua *S,
				    struct mdb_lua_call *c, int fast)
{
	struct mdb_lua_job job = { .fn = job_call, .S = S, .call = c,
				   .fast = fast, .ret = -EIO, .err = c->err,
				   .errlen = c->errlen };

	c->args = &mdb_lua_ctx_arg;
	c->nargs = 1;
	mdb_lua_run_job(&job);
	return job.ret;
}

/*
 * A hit's call on the script stack; its only caller is the asm in
 * switch_run_hit(). The usual case (mdb_lua_fast_call() of a name seen
 * before) in line, without a job; anything else goes the general way.
 */
static __mdb_hot long mdb_lua_run_hit(struct mdb_lua *S, struct mdb_lua_call *c)
{
	struct mdb_lua_fast r;
	long ret;

	mdb_lua_stack_marks(S);
	call_begin(S, c);
	r = fast_call(S, c);
	if (r.status == LUA_OK) {
		call_end(S, c);
		ret = r.res;	/* MDB_LUA_NONE, _FALSE, _TRUE */
	} else {
		ret = run_hit_general(S, c, r.status);
	}
	if (unlikely(S->arena.used > S->gc_mark))
		mdb_lua_gc_hit(S);
	return ret;
}

/* A call's job on this CPU's script stack (run_call()). */
static noinline void switch_run_call(struct mdb_lua_job *job)
{
	mdb_lua_on_script_stack(run_call, job, NULL);
}
MDB_STACK_SWITCHER(switch_run_call);

/* A hit's call on this CPU's script stack (mdb_lua_run_hit()). */
static noinline __mdb_hot long switch_run_hit(struct mdb_lua *S,
					      struct mdb_lua_call *c)
{
	return mdb_lua_on_script_stack(mdb_lua_run_hit, S, c);
}
MDB_STACK_SWITCHER(switch_run_hit);

/* A call's start: @S entered and alive, or an error with its message. */
static __always_inline int call_enter(struct mdb_lua *S,
				      struct mdb_lua_call *c)
{
	int ret = mdb_lua_enter(S, c->wait_ns);

	if (ret) {
		mdb_lua_set_err(c->err, c->errlen, "busy");
		return ret;
	}
	if (S->dead) {
		mdb_lua_leave(S);
		mdb_lua_set_err(c->err, c->errlen, "the Lua state is unusable");
		return -EIO;
	}
	return 0;
}

int mdb_lua_call(struct mdb_lua *S, struct mdb_lua_call *c)
{
	struct mdb_lua_job job = { .fn = job_call, .S = S, .call = c,
				   .ret = -EIO, .err = c->err,	/* a panic's */
				   .errlen = c->errlen };
	struct pt_regs *r;
	int ret;

	c->used = 0;
	if (c->nargs > MDB_LUA_MAX_ARGS) {
		mdb_lua_set_err(c->err, c->errlen, "too many arguments");
		return -EINVAL;
	}
	ret = call_enter(S, c);
	if (ret)
		return ret;
	S->hit = c->hit;
	if (c->regs) {
		S->regs = c->regs;
		S->regs_hit = true;
	} else {
		/* where mdb.backtrace() starts: here, for our caller */
		r = this_cpu_ptr(&mdb_lua_cpus.caller);
		asm volatile("leaq	0(%%rip), %0\n\t"
			     "movq	%%rsp, %1\n\t"
			     "movq	%%rbp, %2\n\t"
			     : "=r" (r->ip), "=r" (r->sp), "=r" (r->bp));
		r->cs = __KERNEL_CS;
		r->ss = __KERNEL_DS;
		r->flags = X86_EFLAGS_FIXED;
		S->regs = r;
		S->regs_hit = false;
	}
	switch_run_call(&job);
	S->hit = NULL;
	S->regs = NULL;
	mdb_lua_leave(S);
	return job.ret;
}

__mdb_hot int mdb_lua_call_hit(struct mdb_lua *S, struct mdb_lua_call *c)
{
	int ret;

	c->used = 0;
	if (unlikely(!c->regs)) {	/* no hit registers: the general way */
		c->args = &mdb_lua_ctx_arg;
		c->nargs = 1;
		return mdb_lua_call(S, c);
	}
	ret = call_enter(S, c);
	if (ret)
		return ret;
	S->hit = c->hit;
	S->regs = c->regs;
	S->regs_hit = true;
	ret = switch_run_hit(S, c);
	S->hit = NULL;
	S->regs = NULL;
	mdb_lua_leave(S);
	return ret;
}
