/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb_lua_run.h - running Lua (mdb_lua_run.c): the per-CPU script stacks,
 * entering and leaving a state, jobs on the script stack, the budget.
 * Entering, leaving and the stack switch are in line here: the hit path
 * (mdb_lua_call.c) uses them without a call.
 *
 * Any context, NMI included, unless said otherwise.
 */
#ifndef _MDB_LUA_RUN_H
#define _MDB_LUA_RUN_H

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/errno.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <asm/asm.h>
#include <asm/ptrace.h>
#include "compat.h"
#include "mdb_lua_internal.h"

struct mdb_lua_cpu {
	void *stack;		/* MDB_LUA_STACK_SIZE, vmalloc'ed */
	void *tos;		/* where the old %rsp is kept, 16-aligned */
	int busy;		/* >0 while this CPU runs Lua */
	struct pt_regs caller;	/* a call's caller, for backtraces */
};

DECLARE_PER_CPU(struct mdb_lua_cpu, mdb_lua_cpus);

/*
 * A job: what runs on the script stack under the panic jmpbuf
 * (mdb_lua_run_job()). @fn does the work and sets @ret; the other fields
 * are its arguments.
 */
struct mdb_lua_job {
	void (*fn)(struct mdb_lua_job *job);
	struct mdb_lua *S;
	int ret;
	int fast;		/* a call: mdb_lua_fast_call()'s status, -1 not tried */
	const char *src;	/* a load */
	size_t len;
	const char *name;
	struct mdb_lua_call *call;	/* a call */
	int (*open)(struct lua_State *L);	/* a creation: mdb_lua_new()'s */
	bool full;		/* a collection */
	char *err;
	size_t errlen;
};

/* On the script stack, under the panic jmpbuf: @job->fn(@job). */
void mdb_lua_run_job(struct mdb_lua_job *job);
/* Process or any context, @job->S entered: mdb_lua_run_job() on the script stack. */
void mdb_lua_switch_run(struct mdb_lua_job *job);

/* Classify a failed protected call (@status) and fetch its message. */
int mdb_lua_failure(struct mdb_lua *S, int status, char *err, size_t errlen);

/* Arm @S's budget (charged by Lua itself: patches 0004, 0005, 0009). */
static __always_inline void mdb_lua_arm_budget(struct mdb_lua *S, u64 budget)
{
	if (budget > LLONG_MAX / 2)
		budget = LLONG_MAX / 2;
	S->h.budget = budget;
}

/* On the script stack: where deeper C recursion becomes a Lua error. */
static __always_inline void mdb_lua_stack_marks(struct mdb_lua *S)
{
	unsigned long lo = (unsigned long)this_cpu_read(mdb_lua_cpus.stack);

	S->h.stack_soft = lo + MDB_LUA_STACK_SOFT;	/* luaconf.h */
	S->h.stack_hard = lo + MDB_LUA_STACK_HARD;
}

/*
 * func(a, b) on this CPU's script stack: keep the old %rsp at the top of the
 * new stack, switch, call, pop it back (the kernel's call_on_stack, which
 * objtool and the ORC unwinder know). func's result, as a long. Caller:
 * preemption off, stack owned; a function of its own, marked
 * MDB_STACK_SWITCHER().
 */
#define mdb_lua_on_script_stack(func, a, b)				\
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

static __always_inline void mdb_lua_leave(struct mdb_lua *S)
{
	atomic_set_release(&S->owner, -1);
	this_cpu_dec(mdb_lua_cpus.busy);
	preempt_enable();
}

/* Process context: enter @S, waiting as long as it takes (calls are bounded). */
void mdb_lua_enter_wait(struct mdb_lua *S);

#endif
