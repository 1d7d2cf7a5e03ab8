// SPDX-License-Identifier: GPL-2.0
/*
 * mdb_lua_run.c - running Lua: the per-CPU script stacks, jobs run on them
 * under the panic jmpbuf, the instruction budget, and the other hooks
 * luaconf.h names (mdb_lua_run.h).
 *
 * Every Lua run - create, load, call, GC step, close - goes the same way:
 *   1. enter: preemption off, claim this CPU's script stack (a per-CPU
 *      nesting count: an NMI arriving while this CPU already runs Lua gets
 *      -EBUSY at once, never spins), then claim the state (an owner word
 *      taken with cmpxchg; another CPU's owner is waited for at most
 *      wait_ns, then -EBUSY): mdb_lua_enter();
 *   2. switch to the script stack (the kernel's call_on_stack pattern) and
 *      run the job there, under a last-resort jmpbuf that Lua's panic
 *      function returns to (the state is then marked dead);
 *   3. leave in reverse order.
 * So a state is only ever touched by one CPU, from one context, at a time:
 * the arena allocator and everything else here need no lock.
 *
 * Context: any, NMI included (the script stacks are set up and freed in
 * process context, at module init and exit). This is the runtime's lowest
 * layer: it calls nothing of the runtime but Lua.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/timex.h>

#include "lua.h"
#include "lauxlib.h"

#include "mdb_lua_run.h"

/* Fill of unused script stack, to measure the deepest use. */
#define MDB_LUA_STACK_POISON	0x5a

DEFINE_PER_CPU(struct mdb_lua_cpu, mdb_lua_cpus);

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
	struct mdb_lua *S = mdb_lua_of(L);

	S->h.budget -= n;
	if (S->h.budget < 0)
		budget_error(L);
}

/* ---- failures ---------------------------------------------------------- */

void mdb_lua_set_err(char *err, size_t errlen, const char *msg)
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
	mdb_lua_set_err(err, errlen, msg);
}

int mdb_lua_failure(struct mdb_lua *S, int status, char *err, size_t errlen)
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

/* ---- jobs, run on the script stack --------------------------------------- */

/*
 * On the script stack, under the panic jmpbuf: @job->fn. A call comes here
 * only when mdb_lua_fast_call() did not finish it (job->fast), with its
 * budget armed.
 */
noinline void mdb_lua_run_job(struct mdb_lua_job *job)
{
	struct mdb_lua *S = job->S;

	if (mdb_lua_setjmp(S->panic_jb)) {
		/* Lua panicked (an error outside any protected call) */
		S->dead = true;
		job->ret = -EIO;
		if (job->call)
			job->call->used = 0;
		if (job->err && job->errlen)
			snprintf(job->err, job->errlen, "Lua panic: %s",
				 S->panic_msg);
		return;
	}
	job->fn(job);
}

/* Runs on the script stack; its only caller is the asm in mdb_lua_switch_run(). */
static void mdb_lua_run(struct mdb_lua_job *job)
{
	mdb_lua_stack_marks(job->S);
	mdb_lua_run_job(job);
}

noinline void mdb_lua_switch_run(struct mdb_lua_job *job)
{
	mdb_lua_on_script_stack(mdb_lua_run, job, NULL);
}
MDB_STACK_SWITCHER(mdb_lua_switch_run);

void mdb_lua_enter_wait(struct mdb_lua *S)
{
	while (mdb_lua_enter(S, NSEC_PER_MSEC))
		cond_resched();
}

/* ---- the script stacks (the API) ---------------------------------------- */

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
