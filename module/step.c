// SPDX-License-Identifier: GPL-2.0
/*
 * Single-stepping from a breakpoint hit: break ... step=N|branch [over].
 *
 * A hit of a hardware execution breakpoint with step= opens a stepping
 * session for the current task and sets TF in the saved flags: the CPU
 * executes one instruction and raises #DB with DR_STEP, which reaches the
 * DIE_DEBUG notifier below. Each step logs the instruction it executed and
 * the registers it changed, then checks the next instruction before
 * setting TF again. Stepping stops (TF cleared, reason logged):
 *   - before swapgs, sysret, iret, sysexit, pushf, popf, mov/pop ss, int*,
 *     hlt, sti, wrmsr, mov to/from dr/cr, ud* (mdb_dis classes);
 *   - before executing anything in a refused range (safety.c);
 *   - after N steps, or after the first taken branch (step=branch).
 * A call into a refused function, or any call with `over`, is stepped
 * over: the return address is replaced by mdb_step_landing
 * (step_landing.S), the callee runs untraced, its return traps into the
 * DIE_INT3 notifier, which restores the real return address and resumes.
 *
 * Sessions belong to a task, not a CPU: between two steps an interrupt may
 * preempt the task and it may resume on another CPU with TF still set in
 * its saved flags. A DR_STEP in kernel mode that no session claims is a
 * stray: TF is cleared and it is counted.
 *
 * A task that never comes back from a stepped-over call (do_exit) keeps its
 * session, and with it a reference on mdb, for good.
 *
 * Everything here but init/exit runs in NMI context (#DB, int3): no
 * locks, no allocation, bounded work.
 */
#include <linux/kernel.h>
#include <linux/kdebug.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <asm/debugreg.h>
#include <asm/ptrace.h>
#include "mdb.h"
#include "bp.h"
#include "zydis/mdb_dis.h"

#define MDB_STEP_SESSIONS 32

enum { MDB_SS_FREE, MDB_SS_STEP, MDB_SS_OVER };

struct mdb_step_session {
	struct task_struct *task;	/* owner; NULL when free (cmpxchg) */
	int state;
	unsigned int bp_id;
	u32 left;			/* steps still allowed */
	bool branch, over, unsafe, trace;
	unsigned long prev_ip;		/* the instruction being stepped */
	u8 prev_len, prev_cls;
	u16 prev_flags;
	u8 prev_bytes[MDB_INSN_MAX];
	unsigned long ret_ip;		/* OVER: the real return address */
	unsigned long over_sp;		/* OVER: the slot holding the landing */
	struct pt_regs snap;		/* registers before the stepped insn */
};

static struct mdb_step_session mdb_sessions[MDB_STEP_SESSIONS];
static atomic64_t mdb_steps, mdb_step_stray, mdb_step_busy;

/* step_landing.S: the landing, and the address its int3 reports */
extern void mdb_step_landing(void);
extern void mdb_step_landing_trap(void);

static struct mdb_step_session *mdb_step_find(struct task_struct *t)
{
	int i;

	for (i = 0; i < MDB_STEP_SESSIONS; i++)
		if (READ_ONCE(mdb_sessions[i].task) == t)
			return &mdb_sessions[i];
	return NULL;
}

/*
 * Each session holds a reference on mdb: TF may stay set in a preempted
 * task's saved flags for a while, and its next trap must find this
 * module's notifier (rmmod says EBUSY meanwhile).
 */
static struct mdb_step_session *mdb_step_claim(void)
{
	int i;

	if (!try_module_get(THIS_MODULE))
		return NULL;
	for (i = 0; i < MDB_STEP_SESSIONS; i++)
		if (!cmpxchg(&mdb_sessions[i].task, NULL, current))
			return &mdb_sessions[i];
	module_put(THIS_MODULE);
	return NULL;
}

static void mdb_step_release(struct mdb_step_session *s)
{
	s->state = MDB_SS_FREE;
	smp_store_release(&s->task, NULL);
	module_put(THIS_MODULE);
}

static void mdb_step_stop(struct mdb_step_session *s, struct pt_regs *regs,
			  unsigned long at, const char *fmt, const char *arg)
{
	regs->flags &= ~X86_EFLAGS_TF;
	mdb_log_step_msg(s->bp_id, at, fmt, arg);
	mdb_step_release(s);
}

/* Classes stepping never executes (see the top of this file). */
static bool mdb_step_stop_class(int cls)
{
	switch (cls) {
	case MDB_INSN_SWAPGS: case MDB_INSN_SYSRET: case MDB_INSN_IRET:
	case MDB_INSN_SYSEXIT: case MDB_INSN_SYSCALL: case MDB_INSN_SYSENTER:
	case MDB_INSN_PUSHF: case MDB_INSN_POPF: case MDB_INSN_MOV_SS:
	case MDB_INSN_POP_SS: case MDB_INSN_INT: case MDB_INSN_HLT:
	case MDB_INSN_STI: case MDB_INSN_WRMSR: case MDB_INSN_MOV_DR:
	case MDB_INSN_MOV_CR: case MDB_INSN_UD:
		return true;
	}
	return false;
}

/* Where memory reference @m of @in points, from the trap's registers. */
static unsigned long mdb_memref_addr(const struct mdb_insn *in, const struct mdb_memref *m,
				     const struct pt_regs *regs)
{
	const unsigned long *r = (const unsigned long *)regs;
	unsigned long a = (unsigned long)m->disp, seg = 0;

	if (m->base == MDB_REG_RIP)
		a += in->addr + in->len;
	else if (m->base != MDB_REG_NONE)
		a += r[m->base];
	if (m->index != MDB_REG_NONE && m->index != MDB_REG_RIP)
		a += r[m->index] * m->scale;
	/* the stepped code runs in kernel mode: the bases are the MSRs' now */
	if (m->seg == MDB_SEG_GS)
		mdb_rdmsr64(MSR_GS_BASE, seg);
	else if (m->seg == MDB_SEG_FS)
		mdb_rdmsr64(MSR_FS_BASE, seg);
	a += seg;
	return a;
}

/*
 * The hardware watchpoint (debug register number) that executing @in
 * would trigger, or -1.
 *
 * Why: QEMU's TCG (the VM of make check) delivers the single-step #DB and
 * a data breakpoint's #DB of one instruction as two exceptions, the second
 * at the first instruction of the #DB handler, on the IST frame of the
 * first: the handler then returns into itself forever (found by make
 * torture: a dead machine). Real x86 reports both in one #DB (DR6.BS and
 * DR6.Bn together). On any machine, stepping stops in front of such an
 * instruction instead. The watchpoints are every enabled data breakpoint
 * of this CPU's DR7 (mdb's, perf's, anyone's; mdb's are wide, the same on
 * every CPU). Accesses are taken generously: implicit stack accesses
 * cover 16 bytes either side of %rsp, rep string instructions their whole
 * %rcx count, an access of unknown size 64 bytes.
 */
static int mdb_step_watch_hit(const struct mdb_insn *in, const struct pt_regs *regs)
{
	static const u8 lens[4] = { 1, 2, 8, 4 };	/* DR7 LEN encoding */
	unsigned long dr7 = this_cpu_read(cpu_dr7);
	unsigned long wlo[HBP_NUM], whi[HBP_NUM];
	bool wwrite[HBP_NUM];
	int i, j, nw = 0, dr[HBP_NUM];

	for (i = 0; i < HBP_NUM; i++) {
		unsigned int rw = (dr7 >> (DR_CONTROL_SHIFT + i * DR_CONTROL_SIZE)) & 3;
		unsigned int len = (dr7 >> (DR_CONTROL_SHIFT + 2 + i * DR_CONTROL_SIZE)) & 3;
		unsigned long a;

		if (!(dr7 & (3UL << (i * DR_ENABLE_SIZE))) || (rw != DR_RW_WRITE && rw != DR_RW_READ))
			continue;	/* disabled, execution or I/O */
		get_debugreg(a, i);
		wlo[nw] = a;
		whi[nw] = a + lens[len];
		wwrite[nw] = rw == DR_RW_WRITE;	/* write-only: reads do not trap */
		dr[nw++] = i;
	}
	if (!nw)
		return -1;
	if (in->nmem > MDB_INSN_MEMREFS)
		return dr[0];		/* more accesses than decoded: assume the worst */
	for (j = 0; j < in->nmem; j++) {
		const struct mdb_memref *m = &in->memref[j];
		unsigned long lo = mdb_memref_addr(in, m, regs);
		unsigned long size = m->size ? m->size : 64, hi;

		if ((m->flags & MDB_MEM_HIDDEN) && m->base == offsetof(struct pt_regs, sp) / sizeof(long)) {
			lo = regs->sp - 16 - size;
			size += 32 + size;
		} else if (in->flags & MDB_INSN_REP) {
			unsigned long n = min(regs->cx, 1UL << 20) * size;

			if (regs->flags & X86_EFLAGS_DF)
				lo -= n;
			size += n;
		}
		hi = lo + size;
		for (i = 0; i < nw; i++)
			if (lo < whi[i] && wlo[i] < hi && (!wwrite[i] || (m->flags & MDB_MEM_WRITE)))
				return dr[i];
	}
	return -1;
}

/*
 * Look at the instruction at regs->ip, about to run under TF. Returns
 * false (and stops the session) when it must not be stepped.
 */
static bool mdb_step_prepare(struct mdb_step_session *s, struct pt_regs *regs,
			     bool first)
{
	struct mdb_insn insn;
	unsigned long ip = regs->ip;
	int rule, n;

	if (!first) {
		rule = mdb_veto_find(ip, s->unsafe);
		if (rule >= 0) {
			mdb_step_stop(s, regs, ip, "stopped before %s", mdb_rule_reason(rule));
			return false;
		}
	}
	n = mdb_dis_read(ip, s->prev_bytes, MDB_INSN_MAX);
	if (n <= 0 || mdb_dis_decode(ip, s->prev_bytes, n, &insn) < 0) {
		mdb_step_stop(s, regs, ip, "stopped: %s", "cannot decode the next instruction");
		return false;
	}
	if (mdb_step_stop_class(insn.cls)) {
		mdb_step_stop(s, regs, ip, "stopped before %s: stepping never executes it",
			      mdb_dis_mnemonic(insn.mnemonic));
		return false;
	}
	if (mdb_step_watch_hit(&insn, regs) >= 0) {
		mdb_step_stop(s, regs, ip, "stopped before %s: it would trigger a hardware watchpoint",
			      mdb_dis_mnemonic(insn.mnemonic));
		return false;
	}
	s->prev_ip = ip;
	s->prev_len = insn.len;
	s->prev_cls = insn.cls;
	s->prev_flags = insn.flags;
	s->snap = *regs;
	return true;
}

/**
 * mdb_step_start - open a stepping session at a breakpoint hit
 * @bp:   the breakpoint (hw exec, with step=)
 * @regs: the trap's registers: regs->ip is the breakpoint
 *
 * Context: NMI (#DB), under the hit path's recursion guard.
 */
void mdb_step_start(struct mdb_bp *bp, struct pt_regs *regs)
{
	const char *why;

	/* a hit that opens no trace says why, after its own line */
	if (mdb_step_begin(bp, regs, bp->step, bp->flags & MDB_F_OVER, &why) && why)
		mdb_log_step_msg(bp->id, regs->ip, "not stepped: %s", why);
}

/**
 * mdb_step_begin - open a stepping session at a hit of @bp
 * @bp:   the breakpoint that was hit
 * @regs: the trap's registers
 * @n:    steps, 1..MDB_STEP_MAX, or MDB_STEP_BRANCH
 * @over: step over calls
 * @why:  set to the reason when stepping cannot start
 *
 * Also what mdb.step(n) in a script calls. Context: NMI, under the hit
 * path's recursion guard. Return: 0 or -errno.
 */
int mdb_step_begin(struct mdb_bp *bp, struct pt_regs *regs, u32 n, bool over,
		   const char **why)
{
	struct mdb_step_session *s;

	*why = NULL;
	/* the kind says why it cannot (watch, kprobe, ftrace, ret, tp): kind.h */
	if (user_mode(regs) || bp->no_step) {
		*why = bp->no_step ?: MDB_STEP_NEEDS_HW;
		return -EINVAL;
	}
	if (mdb_step_find(current)) {
		/* already stepping this task (e.g. an irq hit a step= bp) */
		atomic64_inc(&mdb_step_busy);
		*why = "this task is already being stepped";
		return -EBUSY;
	}
	s = mdb_step_claim();
	if (!s) {
		atomic64_inc(&mdb_step_busy);
		*why = "all stepping sessions are in use";
		return -EBUSY;
	}
	s->bp_id = bp->id;
	s->trace = bp->flags & MDB_F_TRACE;
	s->branch = n == MDB_STEP_BRANCH;
	s->left = s->branch ? MDB_STEP_MAX : min_t(u32, n, MDB_STEP_MAX);
	s->over = over;
	s->unsafe = bp->flags & MDB_F_UNSAFE;
	s->state = MDB_SS_STEP;
	if (mdb_step_prepare(s, regs, true))
		regs->flags |= X86_EFLAGS_TF;
	return 0;
}

/* The callee of a call just entered: let it run, catch its return. */
static void mdb_step_over(struct mdb_step_session *s, struct pt_regs *regs,
			  int rule)
{
	unsigned long *slot = (unsigned long *)regs->sp;
	unsigned long ret, callee = regs->ip;

	if (copy_from_kernel_nofault(&ret, slot, sizeof(ret)) ||
	    ret != s->prev_ip + s->prev_len) {
		mdb_step_stop(s, regs, callee, "stopped: %s", "cannot find the return address to step over this call");
		return;
	}
	s->ret_ip = ret;
	s->over_sp = regs->sp;
	s->state = MDB_SS_OVER;
	WRITE_ONCE(*slot, (unsigned long)mdb_step_landing);
	regs->flags &= ~X86_EFLAGS_TF;
	mdb_log_step_msg(s->bp_id, callee, "stepping over the call: %s",
			 rule >= 0 ? mdb_rule_reason(rule) : "over");
}

/* One DR_STEP: the instruction at s->prev_ip has executed. */
static void mdb_step_one(struct mdb_step_session *s, struct pt_regs *regs)
{
	bool taken = regs->ip != s->prev_ip + s->prev_len;
	int rule;

	atomic64_inc(&mdb_steps);
	mdb_log_step(s->bp_id, s->prev_ip, s->prev_bytes, s->prev_len, &s->snap, regs);
	if (s->trace)
		mdb_trace_step(s->bp_id, s->prev_ip, s->prev_bytes, s->prev_len);
	s->left--;
	if (s->branch && taken && (s->prev_flags & MDB_INSN_BRANCH)) {
		mdb_step_stop(s, regs, regs->ip, "stopped after the taken branch to %s", "here");
		return;
	}
	if (!s->left) {
		mdb_step_stop(s, regs, regs->ip, "done: %s", s->branch ? "step limit reached" : "all steps taken");
		return;
	}
	if (s->prev_cls == MDB_INSN_CALL && taken) {
		rule = mdb_veto_find(regs->ip, s->unsafe);
		if (s->over || rule >= 0) {
			mdb_step_over(s, regs, rule);
			return;
		}
	}
	if (mdb_step_prepare(s, regs, false))
		regs->flags |= X86_EFLAGS_TF;
}

static int mdb_step_debug(struct die_args *args)
{
	struct pt_regs *regs = args->regs;
	unsigned long *dr6 = (unsigned long *)args->err;
	struct mdb_step_session *s;

	if (!(*dr6 & DR_STEP) || user_mode(regs))
		return NOTIFY_DONE;
	*dr6 &= ~DR_STEP;
	s = mdb_step_find(current);
	if (s && s->state == MDB_SS_STEP) {
		mdb_step_one(s, regs);
	} else {
		/* not mdb's: clear it so it does not fire again */
		regs->flags &= ~X86_EFLAGS_TF;
		atomic64_inc(&mdb_step_stray);
	}
	return (*dr6 & DR_TRAP_BITS) ? NOTIFY_DONE : NOTIFY_STOP;
}

/* int3 at mdb_step_landing: a stepped-over call returned. */
static int mdb_step_int3(struct die_args *args)
{
	struct pt_regs *regs = args->regs;
	struct mdb_step_session *s;

	if (user_mode(regs) || regs->ip != (unsigned long)mdb_step_landing_trap)
		return NOTIFY_DONE;
	s = mdb_step_find(current);
	if (!s || s->state != MDB_SS_OVER || regs->sp != s->over_sp + sizeof(long))
		return NOTIFY_DONE;	/* cannot happen: the kernel will say so */
	regs->ip = s->ret_ip;
	s->state = MDB_SS_STEP;
	if (mdb_step_prepare(s, regs, false))
		regs->flags |= X86_EFLAGS_TF;
	return NOTIFY_STOP;
}

static int mdb_step_notify(struct notifier_block *nb, unsigned long val,
			   void *data)
{
	if (val == DIE_DEBUG)
		return mdb_step_debug(data);
	if (val == DIE_INT3)
		return mdb_step_int3(data);
	return NOTIFY_DONE;
}

static struct notifier_block mdb_step_nb = {
	.notifier_call = mdb_step_notify,
	/* after hw_breakpoint's notifier, which claims the DR_TRAPn bits */
	.priority = 0,
};

void mdb_step_counters(u64 *steps, u64 *stray, u64 *busy)
{
	*steps = atomic64_read(&mdb_steps);
	*stray = atomic64_read(&mdb_step_stray);
	*busy = atomic64_read(&mdb_step_busy);
}

void mdb_step_reset(void)
{
	atomic64_set(&mdb_steps, 0);
	atomic64_set(&mdb_step_stray, 0);
	atomic64_set(&mdb_step_busy, 0);
}

int mdb_step_init(void)
{
	return register_die_notifier(&mdb_step_nb);
}

/*
 * Module exit: sessions hold module references, so none is left; no
 * breakpoint is armed, so none starts.
 */
void mdb_step_exit(void)
{
	unregister_die_notifier(&mdb_step_nb);
}
