/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua.h - mdb's kernel Lua runtime.
 *
 * A script state (struct mdb_lua) is Lua 5.4, integers only, with its own
 * memory arena, an instruction budget per call, and the libraries base
 * (no file access, text chunks only), string, table, utf8, coroutine, an
 * integer math and mdb's own 'mdb'. Calls run on a per-CPU script stack,
 * from any context including NMI (a #DB handler); everything else runs in
 * process context.
 *
 * This header needs no Lua header: the core includes it as it is. Code
 * that also uses Lua's API (library functions, the ctx object) includes
 * "lua.h"/"lauxlib.h" next to it; see mdb_lualib.c.
 *
 * Contexts, as named below:
 *   process - may sleep; the caller serialises create/load/destroy/gc of a
 *             state (e.g. under the core's mutex).
 *   any     - process, softirq, hardirq or NMI; never sleeps, never takes a
 *             lock that the interrupted code could hold, bounded in time.
 */
#ifndef _MDB_LUA_H
#define _MDB_LUA_H

#include <linux/types.h>

/*
 * The hit path's functions: in .text.hot, next to each other and to the
 * Lua VM's (lua_all.c), so a hit runs in a few pages of code.
 */
#ifndef __mdb_hot
#define __mdb_hot	__attribute__((__hot__))
#endif

/*
 * For the hit path's locals that are assigned field by field before use:
 * no automatic clearing (CONFIG_INIT_STACK_ALL_ZERO clears every
 * automatic variable without an initializer, a `rep stosq` each).
 */
#if __has_attribute(__uninitialized__)
#define __mdb_noinit	__attribute__((__uninitialized__))
#else
#define __mdb_noinit
#endif

struct mdb_lua;
struct lua_State;
struct luaL_Reg;
struct pt_regs;

/*
 * The per-CPU script stack every Lua run uses (vmalloc'ed, so it has guard
 * pages). Lua's C recursion (C calling Lua, metamethods, coroutine
 * resumes, parser nesting, pattern matching) is stopped by the stack left:
 * with less than MDB_LUA_STACK_SOFT bytes left a deeper level is the Lua
 * error "C stack overflow" ("pattern too complex" in a pattern); with less
 * than MDB_LUA_STACK_HARD left, "error in error handling" is thrown at once
 * (the room in between is for error handlers). MDB_LUA_STACK_HARD is more
 * than any path between two checks uses, kernel calls included (a nofault
 * copy taking a page fault, an interrupt arriving in process context, the
 * unwinder): the deepest use measured by lua-bindings/test is in
 * lua-bindings/README.md. What this allows: ~18 levels of string.gsub
 * calling back into Lua (the most expensive, ~1.2 KB each), ~90 levels of
 * __index functions, ~100 levels of parser nesting.
 */
#define MDB_LUA_STACK_SIZE	(32 * 1024)
#define MDB_LUA_STACK_SOFT	(10 * 1024)
#define MDB_LUA_STACK_HARD	(6 * 1024)

/* Smallest arena that holds an empty state with its libraries. */
#define MDB_LUA_ARENA_MIN	(32 * 1024)

/* Default instruction budget of a call (see struct mdb_lua_call). */
#define MDB_LUA_BUDGET_DEFAULT	100000
/* Budget of a chunk's main body run by mdb_lua_load(). */
#define MDB_LUA_LOAD_BUDGET	10000000

/**
 * mdb_lua_init() - allocate the per-CPU script stacks
 *
 * Context: process. Call once at module init, before any other function
 * here. Returns 0 or -ENOMEM.
 */
int mdb_lua_init(void);

/**
 * mdb_lua_exit() - free the per-CPU script stacks
 *
 * Context: process, after every state was destroyed and no call can run.
 */
void mdb_lua_exit(void);

/**
 * mdb_lua_set_log() - where print(), mdb.printf() and Lua warnings go
 * @log:  called with one message (no trailing newline) per print/printf
 *        call, and the running call's hit (struct mdb_lua_call's @hit,
 *        NULL outside a hit); NULL drops messages. It runs in the context
 *        of the call that printed, which may be NMI: it must be NMI-safe
 *        (e.g. the core's lockless ring buffer), and it must not call back
 *        into this state.
 * @priv: passed to @log.
 *
 * Context: process, before states are created (module init).
 */
void mdb_lua_set_log(void (*log)(void *priv, void *hit, const char *msg,
				 size_t len),
		     void *priv);

/**
 * mdb_lua_set_lookup() - the symbol lookup behind mdb.addr(name)
 * @lookup: returns the address of a kernel symbol or 0 (the core's
 *          kallsyms_lookup_name). It may be called from any context a
 *          script runs in. NULL: mdb.addr() returns nil.
 *
 * Context: process, before states are created.
 */
void mdb_lua_set_lookup(unsigned long (*lookup)(const char *name));

/**
 * mdb_lua_register() - add functions to the 'mdb' table
 * @fns: a luaL_Reg array ending with {NULL, NULL}; it must stay valid
 *       while states exist (static const). Each function runs in the
 *       context of the call that reaches it (possibly NMI).
 *
 * Applies to states created afterwards. Up to 8 arrays.
 *
 * Context: process, before states are created. Returns 0 or -ENOSPC.
 */
int mdb_lua_register(const struct luaL_Reg *fns);

/**
 * mdb_lua_set_ctx_index() - the __index of the per-hit ctx object
 * @index: a lua_CFunction called as __index(ctx, key) for the fields that
 *         are not methods (below); mdb_lua_hit(L) gives the running
 *         call's hit. It is ctx's metamethod itself (no call in between),
 *         so it runs whenever ctx is indexed: outside the call that pushed
 *         ctx (a script kept it), mdb_lua_hit(L) is NULL and @index must
 *         raise an error. NULL: indexing ctx outside its call is an error,
 *         every field is nil during it.
 *
 * Each state has one ctx userdata, made at create time and pushed again
 * for every hit: a hit costs no allocation, fields are read lazily.
 *
 * Context: process, before states are created.
 */
void mdb_lua_set_ctx_index(int (*index)(struct lua_State *L));

/**
 * mdb_lua_set_gc_kick() - who to ask for a collection
 * @kick: called (any context, NMI included: it must only queue work) when
 *        a state's memory in use passes half of what was free after its
 *        last collection, or an allocation fails; the owner then calls
 *        mdb_lua_gc_step(), which does a full collection. Once per
 *        collection. Context: process (module init), before any state.
 */
void mdb_lua_set_gc_kick(void (*kick)(void));

/**
 * mdb_lua_set_ctx_methods() - functions ctx offers as fields (ctx.arg)
 * @fns: NULL-terminated; found without a call to the __index function
 *       (they sit in a table that is ctx's __index, whose own __index is
 *       @index above), so `ctx.arg(1)` is one C call, not two. They run
 *       whenever called: one that needs the hit must check mdb_lua_hit().
 *
 * Context: process, before states are created.
 */
void mdb_lua_set_ctx_methods(const struct luaL_Reg *fns);

/**
 * mdb_lua_create() - make a script state
 * @arena_bytes: the state's memory, reserved now (vmalloc) and never grown;
 *               at least MDB_LUA_ARENA_MIN. All of the state's allocations
 *               come from it: running out is a Lua memory error.
 * @err, @errlen: a message on failure.
 *
 * Opens base (without dofile, loadfile; load takes text chunks only;
 * print goes to the log hook), string, table, utf8, coroutine, math
 * (integers) and mdb.
 *
 * Context: process. Returns the state or NULL.
 */
struct mdb_lua *mdb_lua_create(size_t arena_bytes, char *err, size_t errlen);

/**
 * mdb_lua_load() - compile a chunk and run it
 * @S:      the state
 * @src:    Lua source text (bytecode is refused)
 * @len:    its length
 * @name:   the chunk's name in messages ("script" gives "script:12: ...")
 * @err, @errlen: the Lua message on failure, with the line number
 *
 * Runs the chunk's main body once (it usually defines functions and
 * tables), with a budget of MDB_LUA_LOAD_BUDGET.
 *
 * Context: process. Returns 0, -EINVAL (compile or runtime error),
 * -ENOMEM (arena full), -ETIME (budget), -EBUSY or -EIO (state unusable).
 */
int mdb_lua_load(struct mdb_lua *S, const char *src, size_t len,
		 const char *name, char *err, size_t errlen);

/* Argument kinds for mdb_lua_call(). */
enum mdb_lua_arg_type {
	MDB_LUA_ARG_NIL,
	MDB_LUA_ARG_BOOL,	/* .i != 0 */
	MDB_LUA_ARG_INT,	/* .i */
	/* .s, .len: short strings are interned, one seen before is free */
	MDB_LUA_ARG_STR,
	MDB_LUA_ARG_CTX,	/* the state's ctx object, reading .hit */
};

struct mdb_lua_arg {
	enum mdb_lua_arg_type type;
	s64 i;
	const char *s;
	size_t len;
};

/**
 * struct mdb_lua_call - one call of a global Lua function
 * @fn:      name of the global function
 * @args:    arguments, pushed in order (may be NULL if @nargs is 0)
 * @nargs:   how many (at most 16)
 * @hit:     what the ctx object and mdb_lua_hit() give during the call
 * @regs:    registers of the hit, for mdb.backtrace(); NULL: the caller's
 * @budget:  VM instructions + C calls + pattern steps allowed; 0: the
 *           state's (mdb_lua_set_budget, default MDB_LUA_BUDGET_DEFAULT)
 * @wait_ns: how long to wait when another CPU is using the state; 0: do
 *           not wait. The same CPU re-entering (an NMI inside a script)
 *           never waits.
 * @err:     buffer for the message on error (may be NULL)
 * @errlen:  its size
 * @hint:    (may be NULL) a word the caller keeps for @fn, 0 at first:
 *           where the state's cache of function names had it last, so a
 *           repeated call needs no name comparison. The caller must not
 *           use the same word for another name.
 * @used:    out: budget used by the call
 */
struct mdb_lua_call {
	const char *fn;
	const struct mdb_lua_arg *args;
	unsigned int nargs;
	void *hit;
	struct pt_regs *regs;
	u64 budget;
	u64 wait_ns;
	char *err;
	size_t errlen;
	u64 *hint;
	u64 used;
};

/* Non-negative results of mdb_lua_call(). */
enum mdb_lua_result {
	MDB_LUA_NONE = 0,	/* returned nothing, or nil */
	MDB_LUA_FALSE = 1,	/* returned false */
	MDB_LUA_TRUE = 2,	/* returned any other value */
};

/**
 * mdb_lua_call() - call a global Lua function
 * @S: the state
 * @c: what to call and how (see struct mdb_lua_call)
 *
 * The call runs on this CPU's script stack with the collector held off
 * (no GC work, no emergency collection: a full arena is an immediate
 * memory error); a hit that left the state over its mark does one
 * incremental step after the call, and mdb_lua_gc_step() collects in
 * process context.
 *
 * Context: any, including NMI.
 *
 * Return: an enum mdb_lua_result, or
 *   -EBUSY     the state is in use (another CPU beyond @wait_ns, or this CPU
 *              re-entered), or this CPU's script stack is in use
 *   -ENOENT    no global function @fn
 *   -EINVAL    the function raised an error (error(), a bad operation,
 *              "C stack overflow", ...)
 *   -ENOMEM    the arena is full
 *   -ETIME     the budget ran out ("instruction budget exceeded")
 *   -EIO       the state is unusable (an internal error; destroy it)
 * with a message in @c->err for every error.
 */
int mdb_lua_call(struct mdb_lua *S, struct mdb_lua_call *c);

/**
 * mdb_lua_call_hit() - mdb_lua_call() for a hit: @c->fn(ctx)
 * @S: the state
 * @c: as for mdb_lua_call(), except @c->args and @c->nargs, which are
 *     set here: the one argument is the state's ctx object
 *     (MDB_LUA_ARG_CTX, reading @c->hit)
 *
 * The hit path's call. The same results as mdb_lua_call(), with the usual
 * case (a Lua function whose name this state has called before, @c->hint
 * set) done in line: no job, one raw lookup of the name, one protected
 * call (mdb_lua_fast_call()).
 *
 * Context: any, including NMI.
 */
int mdb_lua_call_hit(struct mdb_lua *S, struct mdb_lua_call *c);

/**
 * mdb_lua_set_budget() - default budget of mdb_lua_call()
 * Context: any.
 */
void mdb_lua_set_budget(struct mdb_lua *S, u64 budget);

/**
 * mdb_lua_gc_step() - do some garbage collection
 * @S:    the state
 * @full: a full collection (then cached free blocks are returned to the
 *        arena) instead of one incremental step
 *
 * Context: process. Returns 1 when a collection cycle finished, 0 if not,
 * -EBUSY if the state is in use.
 */
int mdb_lua_gc_step(struct mdb_lua *S, bool full);

/**
 * mdb_lua_destroy() - free a state
 *
 * Closes the state (pending __gc finalizers run, within the default
 * budget) and frees its arena. The caller guarantees no call can start.
 *
 * Context: process.
 */
void mdb_lua_destroy(struct mdb_lua *S);

/**
 * mdb_lua_mem_used() - bytes the state's Lua objects occupy now
 * Context: any (a racy snapshot while a call runs).
 */
size_t mdb_lua_mem_used(const struct mdb_lua *S);

/**
 * mdb_lua_mem_size() - bytes reserved for the state (arena + bookkeeping)
 * Context: any.
 */
size_t mdb_lua_mem_size(const struct mdb_lua *S);

/**
 * struct mdb_lua_stats - what a state uses (for status files and tests)
 * @mem_used:  bytes Lua holds now (what it asked for; blocks are rounded
 *             up to 16 bytes in the arena)
 * @mem_peak:  most bytes ever held
 * @mem_size:  bytes reserved (the arena, including its bitmap)
 * @mem_bare:  bytes of the state right after lua_newstate()
 * @mem_libs:  bytes after the libraries were opened (the "empty state")
 * @alloc_fails: allocations the arena refused
 * @arena_used: bytes of the arena's granules in use (rounded blocks and
 *             small free blocks kept for reuse)
 */
struct mdb_lua_stats {
	size_t mem_used;
	size_t mem_peak;
	size_t mem_size;
	size_t mem_bare;
	size_t mem_libs;
	unsigned long alloc_fails;
	size_t arena_used;
};

/**
 * mdb_lua_get_stats() - fill @st for @S
 * Context: any (a racy snapshot while a call runs).
 */
void mdb_lua_get_stats(const struct mdb_lua *S, struct mdb_lua_stats *st);

/**
 * mdb_lua_stack_used() - deepest use of a CPU's script stack so far, bytes
 * Context: process (scans the stack).
 */
size_t mdb_lua_stack_used(int cpu);

/**
 * mdb_lua_stack_range() - a CPU's script stack, [*start, *end)
 *
 * For the core's vetoes (no watchpoint on a script stack) and for tests.
 * Context: any, after mdb_lua_init().
 */
void mdb_lua_stack_range(int cpu, unsigned long *start, unsigned long *end);

/*
 * For C functions called by Lua (the mdb library, the core's ctx __index):
 * they run in the context of the call, possibly NMI.
 */

/* The state a Lua thread belongs to. */
struct mdb_lua *mdb_lua_state(struct lua_State *L);

/*
 * mdb_lua_ext() - one pointer per state for a binding's own data (NULL at
 * creation; whatever it points to must live in the state, e.g. a userdata
 * anchored in the registry). Context: any, by the state's owner.
 */
void **mdb_lua_ext(struct lua_State *L);
/* The running call's @hit, or NULL outside mdb_lua_call(). */
void *mdb_lua_hit(struct lua_State *L);
/* The running call's @regs (for backtraces), or NULL. */
struct pt_regs *mdb_lua_regs(struct lua_State *L);
/* Send a message to the log hook. */
void mdb_lua_log(struct lua_State *L, const char *msg, size_t len);

#endif /* _MDB_LUA_H */
