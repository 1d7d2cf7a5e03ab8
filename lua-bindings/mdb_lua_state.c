// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua_state.c - a script state's life cycle: creating it (Lua's
 * libraries, the base library's changes, the ctx object), loading a chunk,
 * destroying it; what the core sets at module init (the log, ctx's
 * __index and methods); and what C functions called by Lua ask of their
 * state (its hit, registers, log, a binding's data).
 *
 * Context: create, load and destroy run in process context (on the script
 * stack, as every Lua run: mdb_lua_run.c); the accessors, print() and
 * warnings run in the context of the call that reaches them, NMI
 * included.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

#include "mdb_lua_gc.h"
#include "mdb_lua_run.h"

/* Global hooks, set at module init (process context) before any state. */
static void (*mdb_lua_log_fn)(void *priv, void *hit, const char *msg,
			      size_t len);
static void *mdb_lua_log_priv;
static int (*mdb_lua_ctx_index_fn)(lua_State *L);
static const luaL_Reg *mdb_lua_ctx_methods;

void mdb_lua_set_log(void (*log)(void *priv, void *hit, const char *msg,
				 size_t len),
		     void *priv)
{
	mdb_lua_log_priv = priv;
	mdb_lua_log_fn = log;
}

void mdb_lua_set_ctx_index(int (*index)(lua_State *L))
{
	mdb_lua_ctx_index_fn = index;
}

void mdb_lua_set_ctx_methods(const luaL_Reg *fns)
{
	mdb_lua_ctx_methods = fns;
}

/* ---- for C functions Lua calls -------------------------------------------- */

__mdb_hot struct mdb_lua *mdb_lua_state(lua_State *L)
{
	return mdb_lua_of(L);
}

__mdb_hot void *mdb_lua_hit(lua_State *L)
{
	return mdb_lua_of(L)->hit;
}

struct pt_regs *mdb_lua_regs(lua_State *L)
{
	struct mdb_lua *S = mdb_lua_of(L);

	return S->regs_hit ? S->regs : NULL;
}

struct pt_regs *mdb_lua_walk_regs(lua_State *L, bool *hit)
{
	struct mdb_lua *S = mdb_lua_of(L);

	*hit = S->regs_hit;
	return S->regs;
}

void mdb_lua_log(lua_State *L, const char *msg, size_t len)
{
	if (mdb_lua_log_fn)
		mdb_lua_log_fn(mdb_lua_log_priv, mdb_lua_of(L)->hit, msg, len);
}

void **mdb_lua_ext(lua_State *L)
{
	return &mdb_lua_of(L)->ext;
}

/* ---- print, warnings, panics, load ------------------------------------------ */

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

/* Last resort: an error with no handler. Back to mdb_lua_run_job(). */
static int mdb_lua_atpanic(lua_State *L)
{
	struct mdb_lua *S = mdb_lua_of(L);
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
	if (!mdb_lua_of(L)->hit)
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

/* ---- creating and loading -------------------------------------------------- */

/*
 * Protected (argument: the job): the libraries, the job's own (@open), the
 * base-library changes, the ctx object.
 */
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
	struct mdb_lua_job *job = lua_touserdata(L, 1);
	struct mdb_lua *S = mdb_lua_of(L);
	const luaL_Reg *lib;

	lua_settop(L, 0);
	for (lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	if (job->open)
		job->open(L);

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

static void job_create(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;
	lua_State *L;
	int status;

	L = lua_newstate(mdb_lua_alloc, S);
	if (!L) {
		mdb_lua_set_err(job->err, job->errlen, "arena too small for a Lua state");
		job->ret = -ENOMEM;
		return;
	}
	*(struct mdb_lua **)lua_getextraspace(L) = S;
	S->L = L;
	S->mem_bare = S->arena.used;
	lua_atpanic(L, mdb_lua_atpanic);
	lua_setwarnf(L, mdb_lua_warnf, S);
	lua_gc(L, LUA_GCSTOP);	/* collections: mdb_lua_gc_step(), mdb_lua_gc_hit() */
	mdb_lua_arm_budget(S, MDB_LUA_LOAD_BUDGET);
	lua_pushcfunction(L, mdb_lua_open);
	lua_pushlightuserdata(L, job);
	status = lua_pcall(L, 1, 0, 0);
	if (status != LUA_OK) {
		job->ret = mdb_lua_failure(S, status, job->err, job->errlen);
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

	mdb_lua_arm_budget(S, MDB_LUA_LOAD_BUDGET);
	S->call_err = 0;
	lua_pushcfunction(L, mdb_lua_do_load);
	lua_pushlightuserdata(L, job);
	status = lua_pcall(L, 1, 0, 0);
	job->ret = status == LUA_OK ? 0 :
		   mdb_lua_failure(S, status, job->err, job->errlen);
	lua_settop(L, 0);
}

static void job_close(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;

	mdb_lua_arm_budget(S, S->default_budget);
	lua_close(S->L);
	S->L = NULL;
	job->ret = 0;
}

/* ---- the API ------------------------------------------------------------ */

struct mdb_lua *mdb_lua_new(size_t arena_bytes, int (*open)(lua_State *L),
			    char *err, size_t errlen)
{
	struct mdb_lua_job job = { .fn = job_create, .open = open, .err = err,
				   .errlen = errlen };
	struct mdb_lua *S;
	int i;

	if (arena_bytes < MDB_LUA_ARENA_MIN) {
		mdb_lua_set_err(err, errlen, "arena too small");
		return NULL;
	}
	S = kzalloc(sizeof(*S), GFP_KERNEL);
	if (!S) {
		mdb_lua_set_err(err, errlen, "out of memory");
		return NULL;
	}
	if (mdb_arena_init(&S->arena, arena_bytes)) {
		kfree(S);
		mdb_lua_set_err(err, errlen, "cannot reserve the arena");
		return NULL;
	}
	atomic_set(&S->owner, -1);
	S->default_budget = MDB_LUA_BUDGET_DEFAULT;
	S->ctx_ref = LUA_NOREF;
	for (i = 0; i < MDB_LUA_FNCACHE; i++)
		S->fns[i].ref = LUA_NOREF;
	job.S = S;

	mdb_lua_enter_wait(S);
	mdb_lua_switch_run(&job);
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
	struct mdb_lua_job job = { .fn = job_load, .S = S, .src = src,
				   .len = len, .name = name, .err = err,
				   .errlen = errlen };

	mdb_lua_enter_wait(S);
	if (S->dead) {
		job.ret = -EIO;
		mdb_lua_set_err(err, errlen, "the Lua state is unusable");
	} else {
		mdb_lua_switch_run(&job);
	}
	mdb_lua_leave(S);
	return job.ret;
}

void mdb_lua_destroy(struct mdb_lua *S)
{
	struct mdb_lua_job job = { .fn = job_close, .S = S };

	if (!S)
		return;
	mdb_lua_enter_wait(S);
	/* a dead state is inconsistent: drop its arena without closing */
	if (!S->dead && S->L)
		mdb_lua_switch_run(&job);
	mdb_lua_leave(S);
	mdb_arena_destroy(&S->arena);
	kfree(S);
}

void mdb_lua_set_budget(struct mdb_lua *S, u64 budget)
{
	WRITE_ONCE(S->default_budget, budget ? budget : MDB_LUA_BUDGET_DEFAULT);
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
