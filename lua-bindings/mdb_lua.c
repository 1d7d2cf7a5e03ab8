// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua.c - the kernel Lua runtime: states, the per-CPU script stacks,
 * calls from any context, the instruction budget.
 *
 * Every Lua run - create, load, call, GC step, close - goes the same way:
 *   1. enter: preemption off, claim this CPU's script stack (a per-CPU
 *      nesting count: an NMI arriving while this CPU already runs Lua gets
 *      -EBUSY at once, never spins), then claim the state (an owner word
 *      taken with cmpxchg; another CPU's owner is waited for at most
 *      wait_ns, then -EBUSY);
 *   2. switch to the script stack (the kernel's call_on_stack pattern) and
 *      run the job there, under a last-resort jmpbuf that Lua's panic
 *      function returns to (the state is then marked dead);
 *   3. leave in reverse order.
 * So a state is only ever touched by one CPU, from one context, at a time:
 * the arena allocator and everything else here need no lock.
 */
#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <asm/asm.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <asm/timex.h>
#include "compat.h"

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "mdb_arena.h"
#include "mdb_lua.h"
#include "mdb_lua_internal.h"

#define MDB_LUA_MAX_ARGS	16
#define MDB_LUA_MAX_LIBS	8
/* Fill of unused script stack, to measure the deepest use. */
#define MDB_LUA_STACK_POISON	0x5a

/*
 * Function names the hit path called, each with a registry reference to
 * its interned Lua string, so a hit finds the function with one raw lookup
 * that neither allocates nor raises (fast_call(), mdb_lua_fast_call()).
 */
#define MDB_LUA_FNCACHE		8
#define MDB_LUA_FNLEN		64

struct mdb_lua_fn {
	int ref;			/* LUA_NOREF: empty */
	void *obj;			/* the string object the ref keeps */
	u64 id;				/* this filling: sequence << 8 | index */
	char name[MDB_LUA_FNLEN];
};

/* Numbers the fillings of every state's cache (the callers' hints). */
static atomic64_t mdb_lua_fn_seq;

struct mdb_lua {
	/* First: the budget and the stack marks that luaconf.h reads via L. */
	struct mdb_lua_head h;
	lua_State *L;
	struct mdb_arena arena;
	atomic_t owner;		/* CPU running this state, or -1 */
	bool dead;		/* Lua panicked: only destroy is allowed */
	u64 default_budget;
	/* The running call (valid while owned). */
	void *hit;
	struct pt_regs *regs;
	bool regs_hit;		/* regs are the hit's, not the caller's */
	int call_err;		/* errno chosen inside the protected call */
	int ctx_ref;		/* registry ref of the ctx userdata */
	void *ctx_obj;		/* that userdata (mdb_lua_gcobj) */
	mdb_lua_jmpbuf panic_jb;
	char panic_msg[96];
	char warn[128];		/* a warning being assembled */
	size_t warnlen;
	bool warn_cont;
	void *ext;		/* a binding's per-state data (mdb_lua_ext()) */
	size_t gc_mark;		/* arena bytes in use that ask for a collection */
	bool gc_kicked;		/* asked (mdb_lua_gc_kick_fn), not yet collected */
	size_t mem_bare;	/* after lua_newstate() */
	size_t mem_libs;	/* after the libraries */
	struct mdb_lua_fn fns[MDB_LUA_FNCACHE];
	unsigned int fn_next;	/* the entry to replace next */
};

struct mdb_lua_cpu {
	void *stack;		/* MDB_LUA_STACK_SIZE, vmalloc'ed */
	void *tos;		/* where the old %rsp is kept, 16-aligned */
	int busy;		/* >0 while this CPU runs Lua */
	struct pt_regs caller;	/* a call's caller, for backtraces */
};

static DEFINE_PER_CPU(struct mdb_lua_cpu, mdb_lua_cpus);

/* Global hooks, set at module init (process context) before any state. */
static void (*mdb_lua_log_fn)(void *priv, void *hit, const char *msg,
			      size_t len);
static void *mdb_lua_log_priv;
static unsigned long (*mdb_lua_lookup_fn)(const char *name);
static int (*mdb_lua_ctx_index_fn)(lua_State *L);
static void (*mdb_lua_gc_kick_fn)(void);
static const luaL_Reg *mdb_lua_ctx_methods;
static const luaL_Reg *mdb_lua_libs[MDB_LUA_MAX_LIBS];
static int mdb_lua_nlibs;

enum mdb_lua_op { OP_CREATE, OP_LOAD, OP_CALL, OP_GC, OP_CLOSE };

struct mdb_lua_job {
	enum mdb_lua_op op;
	struct mdb_lua *S;
	int ret;
	const char *src;	/* OP_LOAD */
	size_t len;
	const char *name;
	struct mdb_lua_call *call;	/* OP_CALL */
	bool full;		/* OP_GC */
	char *err;
	size_t errlen;
};

/* ---- hooks named by luaconf.h ---------------------------------------- */

/* Process context (lua_newstate). */
unsigned int mdb_lua_seed(void)
{
	return get_random_u32();
}

/* Any context: table.sort's pivot only needs to be unpredictable enough. */
unsigned int mdb_lua_pivot(void)
{
	return (unsigned int)get_cycles();
}

/* ---- small helpers ----------------------------------------------------- */

__mdb_hot struct mdb_lua *mdb_lua_state(lua_State *L)
{
	return *(struct mdb_lua **)lua_getextraspace(L);
}

__mdb_hot void *mdb_lua_hit(lua_State *L)
{
	return mdb_lua_state(L)->hit;
}

struct pt_regs *mdb_lua_regs(lua_State *L)
{
	struct mdb_lua *S = mdb_lua_state(L);

	return S->regs_hit ? S->regs : NULL;
}

struct pt_regs *mdb_lua_walk_regs(lua_State *L, bool *hit)
{
	struct mdb_lua *S = mdb_lua_state(L);

	*hit = S->regs_hit;
	return S->regs;
}

void mdb_lua_log(lua_State *L, const char *msg, size_t len)
{
	if (mdb_lua_log_fn)
		mdb_lua_log_fn(mdb_lua_log_priv, mdb_lua_state(L)->hit, msg, len);
}

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		strscpy(err, msg, errlen);
}

/* Copy the error object on top of the stack into @err. */
static void copy_lua_err(lua_State *L, char *err, size_t errlen)
{
	const char *msg = lua_tostring(L, -1);	/* strings and numbers */

	if (!msg) {
		if (err && errlen)
			snprintf(err, errlen, "(error object is a %s value)",
				 luaL_typename(L, -1));
		return;
	}
	set_err(err, errlen, msg);
}

/* ---- the instruction budget ------------------------------------------- */

/* Raise "instruction budget exceeded" at the innermost Lua line. */
static void budget_error(lua_State *L)
{
	lua_Debug ar;
	int level;

	for (level = 0; level < 4 && lua_getstack(L, level, &ar); level++) {
		if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
			lua_pushfstring(L, "%s:%d: instruction budget exceeded",
					ar.short_src, ar.currentline);
			lua_error(L);
		}
	}
	lua_pushliteral(L, "instruction budget exceeded");
	lua_error(L);
}

/* luai_budget() (luaconf.h): C calls and pattern steps went over. */
void mdb_lua_over_budget(lua_State *L)
{
	budget_error(L);
}

void mdb_lua_charge(lua_State *L, long long n)
{
	struct mdb_lua *S = mdb_lua_state(L);

	S->h.budget -= n;
	if (S->h.budget < 0)
		budget_error(L);
}

static void arm_budget(struct mdb_lua *S, u64 budget)
{
	if (budget > LLONG_MAX / 2)
		budget = LLONG_MAX / 2;
	S->h.budget = budget;	/* charged by Lua itself: patches 0004, 0005, 0009 */
}

/* ---- memory, print, warnings, panics ----------------------------------- */

/*
 * No full collection runs in a hit, and the collector is stopped: a hit
 * that allocates (a typed value, a string, a table) leaves garbage. When
 * the memory in use passes the mark (half of what was free after the last
 * collection), or an allocation fails, the owner is asked once
 * (mdb_lua_gc_kick_fn, NMI-safe) for a full collection, and the hit itself
 * does an incremental step (hit_gc_step()). Before the mark, a script
 * allocating at every NMI hit ran the 256 KiB arena out after ~670 hits
 * (mdb_lua_test).
 */
static void mdb_lua_gc_mark(struct mdb_lua *S)
{
	S->gc_mark = S->arena.used + (S->arena.size - S->arena.used) / 2;
	WRITE_ONCE(S->gc_kicked, false);
}

static void *mdb_lua_alloc(void *ud, void *p, size_t osize, size_t nsize)
{
	struct mdb_lua *S = ud;
	void *r = mdb_arena_realloc(&S->arena, p, osize, nsize);

	if (unlikely((S->arena.used > S->gc_mark || (!r && nsize)) && !S->gc_kicked &&
		     S->gc_mark)) {
		WRITE_ONCE(S->gc_kicked, true);
		if (mdb_lua_gc_kick_fn)
			mdb_lua_gc_kick_fn();
	}
	return r;
}

/* print(...): one log message, arguments separated by tabs. */
static int mdb_lua_print(lua_State *L)
{
	int n = lua_gettop(L);
	luaL_Buffer b;
	const char *s;
	size_t len;
	int i;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &len);
	mdb_lua_log(L, s, len);
	return 0;
}

/* warn(...) and errors in __gc: "warning: ..." to the log. */
static void mdb_lua_warnf(void *ud, const char *msg, int tocont)
{
	struct mdb_lua *S = ud;
	size_t room, n;

	if (!S->warn_cont && !tocont && msg[0] == '@')
		return;		/* a control message ("@on"/"@off"): always on */
	if (!S->warn_cont)
		S->warnlen = scnprintf(S->warn, sizeof(S->warn), "warning: ");
	room = sizeof(S->warn) - 1 - S->warnlen;
	n = min(strlen(msg), room);
	memcpy(S->warn + S->warnlen, msg, n);
	S->warnlen += n;
	S->warn[S->warnlen] = '\0';
	S->warn_cont = tocont;
	if (!tocont && mdb_lua_log_fn)
		mdb_lua_log_fn(mdb_lua_log_priv, S->hit, S->warn, S->warnlen);
}

#ifdef CONFIG_KASAN_GENERIC
/*
 * mm/kasan/generic.c, exported: the compiler's helper for allocas, declared
 * as GCC's builtin has it (the kernel's second argument is a pointer).
 */
void __asan_allocas_unpoison(void *stack_top, long stack_bottom);

/*
 * A longjmp to @b is about to skip frames of the script stack: clear the
 * shadow of everything below its target (found by the 6.1-debug lane: a
 * compile error, then the next load's get_random_u32() ran into the
 * redzones of a frame the error had skipped). Clearing never hides a live
 * object: below the target nothing of this call survives the jump.
 */
void mdb_lua_unwind(mdb_lua_jmpbuf b)
{
	void *lo = this_cpu_read(mdb_lua_cpus.stack);

	__asan_allocas_unpoison(lo, (long)b[6]);	/* b[6]: %rsp */
}
#endif

/* Last resort: an error with no handler. Back to mdb_lua_run(). */
static int mdb_lua_atpanic(lua_State *L)
{
	struct mdb_lua *S = mdb_lua_state(L);
	const char *msg = lua_tostring(L, -1);

	strscpy(S->panic_msg, msg ? msg : "?", sizeof(S->panic_msg));
	mdb_lua_unwind(S->panic_jb);
	mdb_lua_longjmp(S->panic_jb, 1);
	return 0;
}

/* load(chunk [, name [, mode [, env]]]): text chunks only. */
static int mdb_lua_load_text(lua_State *L)
{
	size_t len;

	if (lua_type(L, 1) == LUA_TSTRING) {
		lua_tolstring(L, 1, &len);
		mdb_lua_charge(L, len);		/* compiling is work too */
	}
	if (lua_gettop(L) < 3)
		lua_settop(L, 3);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* ---- the ctx object ---------------------------------------------------- */

/* ctx's fields without a registered __index (mdb_lua_set_ctx_index). */
static int mdb_lua_ctx_index(lua_State *L)
{
	if (!mdb_lua_state(L)->hit)
		return luaL_error(L, "ctx is only valid during its hit");
	return 0;
}

static int mdb_lua_ctx_newindex(lua_State *L)
{
	return luaL_error(L, "ctx is read-only");
}

static const luaL_Reg mdb_lua_ctx_meta[] = {
	{ "__newindex", mdb_lua_ctx_newindex },
	{ NULL, NULL }
};

/* ---- jobs, run on the script stack --------------------------------------- */

/* Protected: the libraries, the base-library changes, the ctx object. */
static int mdb_lua_open(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_COLIBNAME, luaopen_coroutine },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ NULL, NULL }
	};
	struct mdb_lua *S = mdb_lua_state(L);
	const luaL_Reg *lib;

	for (lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	mdb_lualib_open(L, mdb_lua_libs, mdb_lua_nlibs);

	/* base: no files, text chunks only, print to the log */
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_pushcfunction(L, mdb_lua_print);
	lua_setglobal(L, "print");
	lua_getglobal(L, "load");
	lua_pushcclosure(L, mdb_lua_load_text, 1);
	lua_setglobal(L, "load");

	/*
	 * ctx: a userdata whose __index is a table of the methods (found by a
	 * raw lookup), whose own __index is the field function (per hit),
	 * called directly by the VM.
	 */
	lua_newuserdatauv(L, 0, 0);
	luaL_newmetatable(L, "mdb.ctx");
	luaL_setfuncs(L, mdb_lua_ctx_meta, 0);
	lua_newtable(L);
	if (mdb_lua_ctx_methods)
		luaL_setfuncs(L, mdb_lua_ctx_methods, 0);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, mdb_lua_ctx_index_fn ? mdb_lua_ctx_index_fn :
			  mdb_lua_ctx_index);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, -2);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");	/* keep it out of reach */
	lua_setmetatable(L, -2);
	S->ctx_obj = mdb_lua_gcobj(L, -1);
	S->ctx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

/* Classify a failed protected call and fetch its message. */
static int lua_failure(struct mdb_lua *S, int status, char *err, size_t errlen)
{
	int ret;

	copy_lua_err(S->L, err, errlen);
	if (S->h.budget < 0)
		ret = -ETIME;
	else if (status == LUA_ERRMEM)
		ret = -ENOMEM;
	else if (S->call_err)
		ret = S->call_err;
	else
		ret = -EINVAL;
	lua_settop(S->L, 0);
	return ret;
}

static void job_create(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	lua_State *L;
	int status;

	L = lua_newstate(mdb_lua_alloc, S);
	if (!L) {
		set_err(job->err, job->errlen, "arena too small for a Lua state");
		job->ret = -ENOMEM;
		return;
	}
	*(struct mdb_lua **)lua_getextraspace(L) = S;
	S->L = L;
	S->mem_bare = S->arena.used;
	lua_atpanic(L, mdb_lua_atpanic);
	lua_setwarnf(L, mdb_lua_warnf, S);
	lua_gc(L, LUA_GCSTOP);	/* collections: mdb_lua_gc_step(), hit_gc_step() */
	arm_budget(S, MDB_LUA_LOAD_BUDGET);
	lua_pushcfunction(L, mdb_lua_open);
	status = lua_pcall(L, 0, 0, 0);
	if (status != LUA_OK) {
		job->ret = lua_failure(S, status, job->err, job->errlen);
		return;
	}
	S->mem_libs = S->arena.used;
	mdb_lua_gc_mark(S);
	job->ret = 0;
}

/* Protected: compile the chunk (upvalue: the job) and run it. */
static int mdb_lua_do_load(lua_State *L)
{
	struct mdb_lua_job *job = lua_touserdata(L, 1);
	char chunkname[LUA_IDSIZE];
	int status;

	/* "=name": messages say "name:12:", not "[string "name"]:12:" */
	snprintf(chunkname, sizeof(chunkname), "=%s",
		 job->name ? job->name : "script");
	status = luaL_loadbufferx(L, job->src, job->len, chunkname, "t");
	if (status != LUA_OK) {
		if (status == LUA_ERRMEM)
			job->S->call_err = -ENOMEM;
		return lua_error(L);
	}
	lua_call(L, 0, 0);
	return 0;
}

static void job_load(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	lua_State *L = S->L;
	int status;

	arm_budget(S, MDB_LUA_LOAD_BUDGET);
	S->call_err = 0;
	lua_pushcfunction(L, mdb_lua_do_load);
	lua_pushlightuserdata(L, job);
	status = lua_pcall(L, 1, 0, 0);
	job->ret = status == LUA_OK ? 0 :
		   lua_failure(S, status, job->err, job->errlen);
	lua_settop(L, 0);
}

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
	struct mdb_lua *S = mdb_lua_state(L);
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
	arm_budget(S, c->budget ? c->budget : S->default_budget);
	c->used = S->h.budget;	/* until call_end() */
	S->call_err = 0;
}

static void call_end(struct mdb_lua *S, struct mdb_lua_call *c)
{
	c->used -= S->h.budget > 0 ? S->h.budget : 0;
}

/* The general path: any function, any arguments, first calls. */
static void job_call(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	struct mdb_lua_call *c = job->call;
	lua_State *L = S->L;
	int status;

	/* the collector stays off; in a hit, emergency collections too */
	lua_gc(L, LUA_GCSTOP);
	mdb_lua_hold_emergency_gc(L, !in_task());
	lua_pushcfunction(L, mdb_lua_do_call);
	lua_pushlightuserdata(L, c);
	status = lua_pcall(L, 1, 1, 0);
	if (status == LUA_OK)
		job->ret = (int)lua_tointeger(L, -1);
	else
		job->ret = lua_failure(S, status, c->err, c->errlen);
	lua_settop(L, 0);
	mdb_lua_hold_emergency_gc(L, 0);
}

/* Protected: one GC step or a full collection. */
static int mdb_lua_do_gc(lua_State *L)
{
	struct mdb_lua_job *job = lua_touserdata(L, 1);

	if (job->full) {
		lua_gc(L, LUA_GCCOLLECT);
		job->ret = 1;
	} else {
		job->ret = lua_gc(L, LUA_GCSTEP, 0);
	}
	return 0;
}

static void job_gc(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	lua_State *L = S->L;
	int status;

	arm_budget(S, S->default_budget);	/* for __gc finalizers */
	lua_pushcfunction(L, mdb_lua_do_gc);
	lua_pushlightuserdata(L, job);
	status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK)
		job->ret = lua_failure(S, status, NULL, 0);
	lua_settop(L, 0);
	if (job->full)
		mdb_arena_trim(&S->arena);
	if (job->full || job->ret == 1)
		mdb_lua_gc_mark(S);
}

/* On the script stack: where deeper C recursion becomes a Lua error. */
static __always_inline void set_stack_marks(struct mdb_lua *S)
{
	unsigned long lo = (unsigned long)this_cpu_read(mdb_lua_cpus.stack);

	S->h.stack_soft = lo + MDB_LUA_STACK_SOFT;	/* luaconf.h */
	S->h.stack_hard = lo + MDB_LUA_STACK_HARD;
}

/*
 * On the script stack, under the panic jmpbuf: a job, or a call that
 * fast_call() did not finish (@fast: its status, or -1 when it did not
 * apply; OP_CALL's call_begin() is done).
 */
static noinline void run_job(struct mdb_lua_job *job, int fast)
{
	struct mdb_lua *S = job->S;

	if (mdb_lua_setjmp(S->panic_jb)) {
		/* Lua panicked (an error outside any protected call) */
		S->dead = true;
		job->ret = -EIO;
		if (job->op == OP_CALL)
			job->call->used = 0;
		if (job->err && job->errlen)
			snprintf(job->err, job->errlen, "Lua panic: %s",
				 S->panic_msg);
		return;
	}
	switch (job->op) {
	case OP_CREATE:
		job_create(job);
		break;
	case OP_LOAD:
		job_load(job);
		break;
	case OP_CALL:
		if (fast > 0)	/* failed: the message may need converting */
			job->ret = lua_failure(S, fast, job->call->err,
					       job->call->errlen);
		else
			job_call(job);
		call_end(S, job->call);
		break;
	case OP_GC:
		job_gc(job);
		break;
	case OP_CLOSE:
		arm_budget(S, S->default_budget);
		lua_close(S->L);
		S->L = NULL;
		job->ret = 0;
		break;
	}
}

/* Runs on the script stack; its only caller is the asm in switch_run(). */
static void mdb_lua_run(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	struct mdb_lua_call *c = job->call;
	struct mdb_lua_fast r = { .status = -1 };

	set_stack_marks(S);
	/* a call's usual case, done before arming the panic jmpbuf */
	if (job->op == OP_CALL) {
		call_begin(S, c);
		if (c->nargs == 1 && c->args[0].type == MDB_LUA_ARG_CTX)
			r = fast_call(S, c);
		if (r.status == LUA_OK) {
			job->ret = r.res;	/* MDB_LUA_NONE, _FALSE, _TRUE */
			call_end(S, c);
			return;
		}
	}
	run_job(job, r.status);
}

/* A hit's one argument (mdb_lua_call_hit()). */
static const struct mdb_lua_arg mdb_lua_ctx_arg = { .type = MDB_LUA_ARG_CTX };

/* mdb_lua_run_hit()'s other cases, as a job (out of the usual path). */
static noinline int run_hit_general(struct mdb_lua *S,
				    struct mdb_lua_call *c, int fast)
{
	struct mdb_lua_job job = { .op = OP_CALL, .S = S, .call = c,
				   .ret = -EIO, .err = c->err,
				   .errlen = c->errlen };

	c->args = &mdb_lua_ctx_arg;
	c->nargs = 1;
	run_job(&job, fast);
	return job.ret;
}

/*
 * A hit that left the state over its mark (mdb_lua_alloc) does one
 * incremental collection step before it returns: Lua's own amount of work
 * for one step (bounded, a few KiB of objects), with the call's budget for
 * any __gc finalizer. Hits that allocate then pay for their garbage as
 * they go, in any context: the worker mdb_lua_alloc() asks for may not
 * run soon enough (a loop of NMI hits, or single-threaded TCG, which
 * runs the other vCPU every 100 ms). Not __mdb_hot: the rare case.
 */
static noinline void hit_gc_step(struct mdb_lua *S)
{
	struct mdb_lua_job job = { .op = OP_GC, .S = S, .full = false };

	job_gc(&job);
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

	set_stack_marks(S);
	call_begin(S, c);
	r = fast_call(S, c);
	if (r.status == LUA_OK) {
		call_end(S, c);
		ret = r.res;	/* MDB_LUA_NONE, _FALSE, _TRUE */
	} else {
		ret = run_hit_general(S, c, r.status);
	}
	if (unlikely(S->arena.used > S->gc_mark))
		hit_gc_step(S);
	return ret;
}

/*
 * func(a, b) on this CPU's script stack: keep the old %rsp at the top of the
 * new stack, switch, call, pop it back (the kernel's call_on_stack, which
 * objtool and the ORC unwinder know). func's result, as a long. Caller:
 * preemption off, stack owned.
 */
#define call_on_script_stack(func, a, b)					\
({									\
	register void *tos_ asm("r11") = this_cpu_read(mdb_lua_cpus.tos); \
	register void *a_ asm("rdi") = (a);				\
	register void *b_ asm("rsi") = (b);				\
	long ret_;							\
									\
	asm_inline volatile(						\
		"movq	%%rsp, (%[tos])\n\t"				\
		"movq	%[tos], %%rsp\n\t"				\
		"call	%c[fn]\n\t"					\
		"popq	%%rsp\n\t"					\
		: "=a" (ret_), [tos] "+r" (tos_), "+r" (a_), "+r" (b_),	\
		  ASM_CALL_CONSTRAINT					\
		: [fn] "i" (func)					\
		: "cc", "rcx", "rdx", "r8", "r9", "r10", "memory");	\
	ret_;								\
})

/* Run @job on this CPU's script stack (mdb_lua_run()). */
static noinline void switch_run(struct mdb_lua_job *job)
{
	call_on_script_stack(mdb_lua_run, job, NULL);
}
MDB_STACK_SWITCHER(switch_run);

/* A hit's call on this CPU's script stack (mdb_lua_run_hit()). */
static noinline __mdb_hot long switch_run_hit(struct mdb_lua *S,
					      struct mdb_lua_call *c)
{
	return call_on_script_stack(mdb_lua_run_hit, S, c);
}
MDB_STACK_SWITCHER(switch_run_hit);

/* ---- entering and leaving a state ----------------------------------------- */

/* Any context. On success: preemption off, this CPU's stack and @S owned. */
static __always_inline int mdb_lua_enter(struct mdb_lua *S, u64 wait_ns)
{
	int cpu, old;
	u64 deadline = 0;

	preempt_disable();
	if (this_cpu_inc_return(mdb_lua_cpus.busy) != 1)
		goto busy;	/* this CPU already runs Lua: we interrupted it */
	cpu = smp_processor_id();
	for (;;) {
		old = atomic_cmpxchg_acquire(&S->owner, -1, cpu);
		if (old == -1)
			return 0;
		if (old == cpu || !wait_ns)
			break;
		if (!deadline)
			deadline = ktime_get_mono_fast_ns() + wait_ns;
		else if (ktime_get_mono_fast_ns() > deadline)
			break;
		cpu_relax();
	}
busy:
	this_cpu_dec(mdb_lua_cpus.busy);
	preempt_enable();
	return -EBUSY;
}

static void mdb_lua_leave(struct mdb_lua *S)
{
	atomic_set_release(&S->owner, -1);
	this_cpu_dec(mdb_lua_cpus.busy);
	preempt_enable();
}

/* Process context: wait as long as it takes (calls are bounded). */
static void mdb_lua_enter_wait(struct mdb_lua *S)
{
	while (mdb_lua_enter(S, NSEC_PER_MSEC))
		cond_resched();
}

/* ---- the API ------------------------------------------------------------ */

int mdb_lua_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mdb_lua_cpu *pc = per_cpu_ptr(&mdb_lua_cpus, cpu);

		pc->stack = vmalloc(MDB_LUA_STACK_SIZE);
		if (!pc->stack) {
			mdb_lua_exit();
			return -ENOMEM;
		}
		memset(pc->stack, MDB_LUA_STACK_POISON, MDB_LUA_STACK_SIZE);
		pc->tos = (char *)pc->stack + MDB_LUA_STACK_SIZE - 16;
	}
	return 0;
}

void mdb_lua_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mdb_lua_cpu *pc = per_cpu_ptr(&mdb_lua_cpus, cpu);

		vfree(pc->stack);
		pc->stack = NULL;
		pc->tos = NULL;
	}
}

size_t mdb_lua_stack_used(int cpu)
{
	const unsigned char *p = per_cpu_ptr(&mdb_lua_cpus, cpu)->stack;
	size_t i;

	if (!p)
		return 0;
	for (i = 0; i < MDB_LUA_STACK_SIZE; i++)
		if (p[i] != MDB_LUA_STACK_POISON)
			break;
	return MDB_LUA_STACK_SIZE - i;
}

void mdb_lua_stack_range(int cpu, unsigned long *start, unsigned long *end)
{
	struct mdb_lua_cpu *pc = per_cpu_ptr(&mdb_lua_cpus, cpu);

	*start = (unsigned long)pc->stack;
	*end = *start + (pc->stack ? MDB_LUA_STACK_SIZE : 0);
}

void mdb_lua_set_log(void (*log)(void *priv, void *hit, const char *msg,
				 size_t len),
		     void *priv)
{
	mdb_lua_log_priv = priv;
	mdb_lua_log_fn = log;
}

void mdb_lua_set_lookup(unsigned long (*lookup)(const char *name))
{
	mdb_lua_lookup_fn = lookup;
}

unsigned long mdb_lua_lookup(const char *name)
{
	return mdb_lua_lookup_fn ? mdb_lua_lookup_fn(name) : 0;
}

int mdb_lua_register(const luaL_Reg *fns)
{
	if (mdb_lua_nlibs >= MDB_LUA_MAX_LIBS)
		return -ENOSPC;
	mdb_lua_libs[mdb_lua_nlibs++] = fns;
	return 0;
}

void mdb_lua_set_ctx_index(int (*index)(lua_State *L))
{
	mdb_lua_ctx_index_fn = index;
}

void **mdb_lua_ext(lua_State *L)
{
	return &mdb_lua_state(L)->ext;
}

void mdb_lua_set_gc_kick(void (*kick)(void))
{
	mdb_lua_gc_kick_fn = kick;
}

void mdb_lua_set_ctx_methods(const luaL_Reg *fns)
{
	mdb_lua_ctx_methods = fns;
}

struct mdb_lua *mdb_lua_create(size_t arena_bytes, char *err, size_t errlen)
{
	struct mdb_lua_job job = { .op = OP_CREATE, .err = err,
				   .errlen = errlen };
	struct mdb_lua *S;
	int i;

	if (arena_bytes < MDB_LUA_ARENA_MIN) {
		set_err(err, errlen, "arena too small");
		return NULL;
	}
	S = kzalloc(sizeof(*S), GFP_KERNEL);
	if (!S) {
		set_err(err, errlen, "out of memory");
		return NULL;
	}
	if (mdb_arena_init(&S->arena, arena_bytes)) {
		kfree(S);
		set_err(err, errlen, "cannot reserve the arena");
		return NULL;
	}
	atomic_set(&S->owner, -1);
	S->default_budget = MDB_LUA_BUDGET_DEFAULT;
	S->ctx_ref = LUA_NOREF;
	for (i = 0; i < MDB_LUA_FNCACHE; i++)
		S->fns[i].ref = LUA_NOREF;
	job.S = S;

	mdb_lua_enter_wait(S);
	switch_run(&job);
	mdb_lua_leave(S);
	if (job.ret) {
		/* the arena holds everything Lua made: drop it whole */
		mdb_arena_destroy(&S->arena);
		kfree(S);
		return NULL;
	}
	return S;
}

int mdb_lua_load(struct mdb_lua *S, const char *src, size_t len,
		 const char *name, char *err, size_t errlen)
{
	struct mdb_lua_job job = { .op = OP_LOAD, .S = S, .src = src,
				   .len = len, .name = name, .err = err,
				   .errlen = errlen };

	mdb_lua_enter_wait(S);
	if (S->dead) {
		job.ret = -EIO;
		set_err(err, errlen, "the Lua state is unusable");
	} else {
		switch_run(&job);
	}
	mdb_lua_leave(S);
	return job.ret;
}

/* A call's start: @S entered and alive, or an error with its message. */
static __always_inline int call_enter(struct mdb_lua *S,
				      struct mdb_lua_call *c)
{
	int ret = mdb_lua_enter(S, c->wait_ns);

	if (ret) {
		set_err(c->err, c->errlen, "busy");
		return ret;
	}
	if (S->dead) {
		mdb_lua_leave(S);
		set_err(c->err, c->errlen, "the Lua state is unusable");
		return -EIO;
	}
	return 0;
}

int mdb_lua_call(struct mdb_lua *S, struct mdb_lua_call *c)
{
	struct mdb_lua_job job = { .op = OP_CALL, .S = S, .call = c,
				   .ret = -EIO, .err = c->err,	/* a panic's */
				   .errlen = c->errlen };
	struct pt_regs *r;
	int ret;

	c->used = 0;
	if (c->nargs > MDB_LUA_MAX_ARGS) {
		set_err(c->err, c->errlen, "too many arguments");
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
	switch_run(&job);
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

void mdb_lua_set_budget(struct mdb_lua *S, u64 budget)
{
	WRITE_ONCE(S->default_budget, budget ? budget : MDB_LUA_BUDGET_DEFAULT);
}

int mdb_lua_gc_step(struct mdb_lua *S, bool full)
{
	/*
	 * Asked by a hit (mdb_lua_alloc): a whole collection, and wait for
	 * the state - hits in a loop on another CPU hold it most of the time,
	 * and a step given up here would leave the arena to run out.
	 */
	bool kicked = READ_ONCE(S->gc_kicked);
	struct mdb_lua_job job = { .op = OP_GC, .S = S, .full = full || kicked };

	if (kicked)
		mdb_lua_enter_wait(S);
	else if (mdb_lua_enter(S, 0))
		return -EBUSY;
	if (!S->dead)
		switch_run(&job);
	mdb_lua_leave(S);
	return job.ret < 0 ? 0 : job.ret;
}

void mdb_lua_destroy(struct mdb_lua *S)
{
	struct mdb_lua_job job = { .op = OP_CLOSE, .S = S };

	if (!S)
		return;
	mdb_lua_enter_wait(S);
	/* a dead state is inconsistent: drop its arena without closing */
	if (!S->dead && S->L)
		switch_run(&job);
	mdb_lua_leave(S);
	mdb_arena_destroy(&S->arena);
	kfree(S);
}

size_t mdb_lua_mem_used(const struct mdb_lua *S)
{
	return READ_ONCE(S->arena.used);
}

size_t mdb_lua_mem_size(const struct mdb_lua *S)
{
	return S->arena.size + sizeof(*S);
}

void mdb_lua_get_stats(const struct mdb_lua *S, struct mdb_lua_stats *st)
{
	st->mem_used = READ_ONCE(S->arena.used);
	st->mem_peak = READ_ONCE(S->arena.peak);
	st->mem_size = S->arena.size;
	st->mem_bare = S->mem_bare;
	st->mem_libs = S->mem_libs;
	st->alloc_fails = READ_ONCE(S->arena.fails);
	st->arena_used = READ_ONCE(S->arena.gran_used) * MDB_ARENA_GRAN;
}
