// SPDX-License-Identifier: GPL-2.0
/*
 * The event log: /sys/kernel/debug/mdb/log.
 *
 * The hit path writes small binary records into the kernel's lockless,
 * NMI-safe ring buffer (one per CPU, overwrite mode); formatting, symbol
 * lookups and merging the CPUs by timestamp happen on read, in process
 * context. Reading consumes, like trace_pipe: it blocks until there is a
 * line (EAGAIN under O_NONBLOCK), poll() works. When the buffer overflowed,
 * the reader gets a "lost N events" line where the events went missing.
 *
 * The hit path cannot take the wait-queue lock (NMI): it queues an
 * irq_work, which wakes the readers, and only when one is waiting.
 */
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/irq_work.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/ring_buffer.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "mdb.h"
#include "bp.h"
#include "compat.h"
#include "zydis/mdb_dis.h"
#include "btfidx.h"

static unsigned int log_kb = 512;
module_param(log_kb, uint, 0444);
MODULE_PARM_DESC(log_kb, "event log size per CPU in KiB (default 512)");

enum mdb_rec_type { MDB_REC_HIT = 1, MDB_REC_MSG, MDB_REC_STEP, MDB_REC_STEPMSG, MDB_REC_DUMP };
#define MDB_REC_REGS	BIT(0)
#define MDB_REC_WATCH	BIT(1)
#define MDB_REC_ARGS	BIT(2)	/* a struct mdb_args_rec after the regs and bt */
#define MDB_REC_RET	BIT(3)	/* a function's return: a struct mdb_ret_rec last */
#define MDB_REC_TP	BIT(4)	/* a tracepoint: its "SUBSYSTEM:NAME" last (msglen bytes) */

/* The end of a return hit's record. */
struct mdb_ret_rec {
	u64 retval;
	u64 elapsed;		/* ns since the call's entry */
	u8 fmt, size;		/* enum mdb_ret_fmt, bytes */
};
#define MDB_MSG_MAX	160

/* One log record; formatted on read. */
struct mdb_rec {
	u16 type;
	u16 flags;
	u16 nbt;		/* backtrace entries after the regs */
	u16 msglen;
	u32 id;			/* breakpoint id */
	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
	unsigned long ip;	/* exec: the breakpoint; watch: after the access */
	unsigned long addr;	/* watch: the watched address */
	unsigned long data[];	/* [struct pt_regs] [nbt entries] | message */
};

static struct trace_buffer *mdb_rb;
static DECLARE_WAIT_QUEUE_HEAD(mdb_log_wq);
static bool mdb_log_closing;
static DEFINE_MUTEX(mdb_log_read_lock);

static void mdb_log_wake(struct irq_work *w)
{
	wake_up_interruptible_all(&mdb_log_wq);
}
static struct irq_work mdb_log_wake_work = IRQ_WORK_INIT(mdb_log_wake);

/*
 * Waking a reader costs an irq_work (a self-interrupt) and two context
 * switches: per hit, that was most of a logged hit's cost. Hits wake
 * readers once per MDB_LOG_BATCH records per CPU; a sleeping reader also
 * looks every MDB_LOG_POLL_MS, so a lone hit shows up within that. A wake
 * measured ~5 us under TCG (make bench, row 5: 1.51x the limit with 32
 * records per wake, 1.41x with 128); 128 records of a plain hit are
 * ~8 KiB, 1/64 of the default log_kb.
 */
#define MDB_LOG_BATCH 128
#define MDB_LOG_POLL_MS 10
static DEFINE_PER_CPU(unsigned int, mdb_log_unwoken);

/* After a record: any context, NMI included. */
static void mdb_log_kick(void)
{
	if (this_cpu_inc_return(mdb_log_unwoken) < MDB_LOG_BATCH)
		return;
	this_cpu_write(mdb_log_unwoken, 0);
	if (wq_has_sleeper(&mdb_log_wq))
		irq_work_queue(&mdb_log_wake_work);
}

/* poll() sleepers have no timeout of their own: this timer looks for them. */
static void mdb_log_poll_timer_fn(struct timer_list *t)
{
	if (!ring_buffer_empty(mdb_rb))
		wake_up_interruptible_all(&mdb_log_wq);
	else if (wq_has_sleeper(&mdb_log_wq) && !READ_ONCE(mdb_log_closing))
		mod_timer(t, jiffies + msecs_to_jiffies(MDB_LOG_POLL_MS));
}
static DEFINE_TIMER(mdb_log_poll_timer, mdb_log_poll_timer_fn);

/* Scratch for the backtrace, used under the hit path's per-CPU guard. */
static DEFINE_PER_CPU(unsigned long [MDB_BT_MAX + 8], mdb_bt_scratch);

/*
 * Backtrace of the interrupted code. Runs in NMI context: the unwinder
 * walks from this handler through the exception frame; the entries up to
 * the interrupted ip are mdb's and the trap's own, and are dropped.
 */
/*
 * Is backtrace entry @a the hit itself: the trapping ip, or, on an ftrace
 * hook, the return address of the function's call to __fentry__ (a few
 * bytes past the entry; the frames before it are ftrace's and kprobes').
 */
static __always_inline bool mdb_bt_is_hit(unsigned long a, const struct pt_regs *regs,
					  unsigned long ip)
{
	return a == regs->ip || (a >= ip && a - ip < 16);
}

static unsigned int mdb_capture_bt(struct pt_regs *regs, unsigned long ip,
				   unsigned long **out)
{
	unsigned long *e = *this_cpu_ptr(&mdb_bt_scratch);
	unsigned int n, i;

	n = stack_trace_save(e, MDB_BT_MAX + 8, 0);
	for (i = 0; i < n; i++)
		if (mdb_bt_is_hit(e[i], regs, ip))
			break;
	if (i == n)	/* not found: drop at least mdb's own frames */
		for (i = 0; i < n && within_module(e[i], THIS_MODULE); i++)
			;
	/* the first entry is the hit itself, printed as ip already */
	if (i < n && mdb_bt_is_hit(e[i], regs, ip))
		i++;
	*out = e + i;
	return min_t(unsigned int, n - i, MDB_BT_MAX);
}

/*
 * The registers of a return hit's entry, as far as the arguments go: for
 * `args` and ctx.args at the return. Per CPU, under the hit path's guard.
 */
static DEFINE_PER_CPU(struct pt_regs, mdb_entry_regs);

const struct pt_regs *mdb_exit_entry_regs(const struct mdb_exit *ex)
{
	struct pt_regs *r = this_cpu_ptr(&mdb_entry_regs);
	const struct mdb_ret_data *d = ex->entry;

	r->di = d->di;
	r->si = d->si;
	r->dx = d->dx;
	r->cx = d->cx;
	r->r8 = d->r8;
	r->r9 = d->r9;
	r->sp = d->sp;
	return r;
}

/* Runs in NMI context, under the hit path's per-CPU guard. */
__mdb_hot void mdb_log_hit(struct mdb_bp *bp, struct pt_regs *regs,
			   unsigned long ip, const struct mdb_exit *ex)
{
	struct ring_buffer_event *ev;
	unsigned long *bt = NULL;
	unsigned int nbt = 0;
	struct mdb_rec *r;
	size_t len = sizeof(*r), tplen = 0;

	if (bp->flags & MDB_F_REGS)
		len += sizeof(struct pt_regs);
	if (bp->flags & MDB_F_BT) {
		nbt = mdb_capture_bt(regs, ip, &bt);
		len += nbt * sizeof(unsigned long);
	}
	if (bp->flags & MDB_F_ARGS)
		len += mdb_args_rec_size(&bp->args);
	if (ex)
		len += sizeof(struct mdb_ret_rec);
	if (bp->flags & MDB_F_TP) {
		tplen = strnlen(bp->site.name, sizeof(bp->site.name));
		len += tplen;
	}
	ev = ring_buffer_lock_reserve(mdb_rb, len);
	if (!ev) {
		atomic64_inc(&bp->missed);
		return;
	}
	r = ring_buffer_event_data(ev);
	r->type = MDB_REC_HIT;
	r->flags = (bp->flags & MDB_F_WATCH) ? MDB_REC_WATCH : 0;
	r->nbt = nbt;
	r->msglen = 0;
	r->id = bp->id;
	r->pid = current->pid;
	r->tgid = current->tgid;
	memcpy(r->comm, current->comm, TASK_COMM_LEN);
	r->ip = ip;
	r->addr = bp->addr;
	if (bp->flags & MDB_F_REGS) {
		struct pt_regs *saved = (struct pt_regs *)r->data;

		*saved = *regs;
		saved->ip = ip;		/* kprobes report addr+1 */
		r->flags |= MDB_REC_REGS;
		if (nbt)
			memcpy(saved + 1, bt, nbt * sizeof(unsigned long));
	} else if (nbt) {
		memcpy(r->data, bt, nbt * sizeof(unsigned long));
	}
	if (bp->flags & (MDB_F_ARGS | MDB_F_TP) || ex) {
		char *a = (char *)r->data + nbt * sizeof(unsigned long);

		if (bp->flags & MDB_F_REGS)
			a += sizeof(struct pt_regs);
		if (bp->flags & MDB_F_ARGS) {
			mdb_args_fetch(&bp->args, ex ? mdb_exit_entry_regs(ex) : regs,
				       (struct mdb_args_rec *)a);
			r->flags |= MDB_REC_ARGS;
			a += mdb_args_rec_size(&bp->args);
		}
		if (ex) {
			struct mdb_ret_rec *rr = (struct mdb_ret_rec *)a;

			rr->retval = ex->retval;
			rr->elapsed = ex->elapsed;
			rr->fmt = bp->site.ret_fmt;
			rr->size = bp->site.ret_size;
			r->flags |= MDB_REC_RET;
			a += sizeof(*rr);
		}
		if (tplen) {
			memcpy(a, bp->site.name, tplen);
			r->msglen = tplen;
			r->flags |= MDB_REC_TP;
		}
	}
	mdb_rb_commit(mdb_rb, ev);
	mdb_log_kick();
}

/* Registers a step line reports when they change, in this order. */
#define MDB_NR_STEP_REGS 17
static const char *const mdb_step_reg_names[MDB_NR_STEP_REGS] = {
	"ax", "bx", "cx", "dx", "si", "di", "bp", "sp", "r8", "r9", "r10",
	"r11", "r12", "r13", "r14", "r15", "flags",
};

static void mdb_step_regs(const struct pt_regs *r, unsigned long *v)
{
	v[0] = r->ax; v[1] = r->bx; v[2] = r->cx; v[3] = r->dx;
	v[4] = r->si; v[5] = r->di; v[6] = r->bp; v[7] = r->sp;
	v[8] = r->r8; v[9] = r->r9; v[10] = r->r10; v[11] = r->r11;
	v[12] = r->r12; v[13] = r->r13; v[14] = r->r14; v[15] = r->r15;
	/* TF and RF are mdb's own doing */
	v[16] = r->flags & ~(X86_EFLAGS_TF | X86_EFLAGS_RF);
}

/* Step record payload, after struct mdb_rec. */
struct mdb_step_rec {
	u8 bytes[16];
	u32 changed;		/* bit i: mdb_step_reg_names[i] changed */
	u32 pad;
	unsigned long val[];	/* the new values of the changed registers */
};

/*
 * One step: the instruction at @ip (@len bytes) ran, taking the registers
 * from @before to @after. Runs in NMI context (#DB, DR_STEP).
 */
void mdb_log_step(unsigned int id, unsigned long ip, const u8 *bytes, int len,
		  const struct pt_regs *before, const struct pt_regs *after)
{
	unsigned long b[MDB_NR_STEP_REGS], a[MDB_NR_STEP_REGS];
	struct ring_buffer_event *ev;
	struct mdb_step_rec *sr;
	struct mdb_rec *r;
	u32 changed = 0;
	int i, n = 0;

	mdb_step_regs(before, b);
	mdb_step_regs(after, a);
	for (i = 0; i < MDB_NR_STEP_REGS; i++)
		if (a[i] != b[i]) {
			changed |= BIT(i);
			n++;
		}
	ev = ring_buffer_lock_reserve(mdb_rb, sizeof(*r) + sizeof(*sr) + n * sizeof(long));
	if (!ev)
		return;
	r = ring_buffer_event_data(ev);
	memset(r, 0, sizeof(*r));
	r->type = MDB_REC_STEP;
	r->id = id;
	r->pid = current->pid;
	r->tgid = current->tgid;
	memcpy(r->comm, current->comm, TASK_COMM_LEN);
	r->ip = ip;
	r->msglen = len;
	sr = (struct mdb_step_rec *)r->data;
	memcpy(sr->bytes, bytes, min_t(int, len, sizeof(sr->bytes)));
	sr->changed = changed;
	for (i = 0, n = 0; i < MDB_NR_STEP_REGS; i++)
		if (changed & BIT(i))
			sr->val[n++] = a[i];
	mdb_rb_commit(mdb_rb, ev);
	mdb_log_kick();
}

/*
 * A text record: "<prefix><msg>", @at printed as sym+0xoff on read (for
 * step messages). Any context, NMI included: copying only.
 */
static void mdb_log_put_text(int type, unsigned int id, unsigned long at,
			     const char *prefix, const char *msg, size_t len)
{
	struct ring_buffer_event *ev;
	size_t plen = strlen(prefix);
	struct mdb_rec *r;

	len = min_t(size_t, len, MDB_MSG_MAX * 2);
	ev = ring_buffer_lock_reserve(mdb_rb, sizeof(*r) + plen + len + 1);
	if (!ev)
		return;
	r = ring_buffer_event_data(ev);
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->id = id;
	r->ip = at;
	r->msglen = plen + len;
	r->pid = current->pid;
	r->tgid = current->tgid;
	memcpy(r->comm, current->comm, TASK_COMM_LEN);
	memcpy(r->data, prefix, plen);
	memcpy((char *)r->data + plen, msg, len);
	((char *)r->data)[plen + len] = '\0';
	mdb_rb_commit(mdb_rb, ev);
	mdb_log_kick();
}

/*
 * A stepping message: "stopped before ...", "stepping over the call".
 * @fmt has one %s for @arg. Runs in NMI context: no symbol lookup here,
 * the reader prints @at as sym+0xoff.
 */
void mdb_log_step_msg(unsigned int id, unsigned long at, const char *fmt,
		      const char *arg)
{
	char msg[MDB_MSG_MAX];
	int n = scnprintf(msg, sizeof(msg), fmt, arg);

	mdb_log_put_text(MDB_REC_STEPMSG, id, at, "", msg, n);
}

/*
 * A line of text from any context, NMI included (Lua's print, script
 * errors): "<prefix><msg>". No formatting beyond copying.
 */
void mdb_log_text(unsigned int id, const char *prefix, const char *msg,
		  size_t len)
{
	mdb_log_put_text(MDB_REC_MSG, id, 0, prefix, msg, len);
}

/* mdb.dump()'s payload: the object's raw bytes, formatted on read. */
struct mdb_dump_rec {
	u32 type, gen;
	u8 nr, depth;
	u8 bytes[];
};

/*
 * mdb.dump(): @len bytes of an object of BTF type @type (handle @nr,
 * generation @gen), named and formatted when the log is read. Any
 * context, NMI included: copying only.
 */
void mdb_log_dump(unsigned int id, unsigned int nr, u32 gen, u32 type, unsigned int depth,
		  const void *data, size_t len)
{
	struct ring_buffer_event *ev;
	struct mdb_dump_rec *d;
	struct mdb_rec *r;

	len = min_t(size_t, len, 0xffff);
	ev = ring_buffer_lock_reserve(mdb_rb, sizeof(*r) + sizeof(*d) + len);
	if (!ev)
		return;
	r = ring_buffer_event_data(ev);
	memset(r, 0, sizeof(*r));
	r->type = MDB_REC_DUMP;
	r->id = id;
	r->msglen = len;
	r->pid = current->pid;
	r->tgid = current->tgid;
	memcpy(r->comm, current->comm, TASK_COMM_LEN);
	d = (struct mdb_dump_rec *)r->data;
	d->type = type;
	d->gen = gen;
	d->nr = nr;
	d->depth = depth;
	memcpy(d->bytes, data, len);
	mdb_rb_commit(mdb_rb, ev);
	mdb_log_kick();
}

/* A message line, from process context (e.g. "disabled: limit reached"). */
void mdb_log_msg(unsigned int id, const char *fmt, ...)
{
	char msg[MDB_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mdb_log_put_text(MDB_REC_MSG, id, 0, "", msg, n);
	if (wq_has_sleeper(&mdb_log_wq))	/* rare: at once */
		irq_work_queue(&mdb_log_wake_work);
}

/* ---- reading: process context ---------------------------------------- */

#define MDB_LINE_BUF 4096

struct mdb_reader {
	char *buf;		/* formatted, not yet copied out */
	size_t len, pos;
};

static int mdb_fmt_sym(char *s, size_t size, unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];

	mdb_sprint_sym(sym, addr);
	return scnprintf(s, size, "%s", sym);
}

static size_t mdb_fmt_regs(char *s, size_t size, const struct pt_regs *r)
{
	return scnprintf(s, size,
		" regs: ip=%lx sp=%lx flags=%lx ax=%lx bx=%lx cx=%lx dx=%lx si=%lx di=%lx bp=%lx r8=%lx r9=%lx r10=%lx r11=%lx r12=%lx r13=%lx r14=%lx r15=%lx cs=%lx ss=%lx",
		r->ip, r->sp, r->flags, r->ax, r->bx, r->cx, r->dx, r->si,
		r->di, r->bp, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13,
		r->r14, r->r15, (unsigned long)r->cs, (unsigned long)r->ss);
}

/* " = VALUE (N ns)" of a return hit; " (N ns)" for a void function. */
static size_t mdb_fmt_retval(char *s, size_t size, const struct mdb_ret_rec *rr)
{
	u64 v = rr->retval;
	unsigned int bits = rr->size ? rr->size * 8 : 64;
	size_t n = 0;

	if (bits < 64)
		v &= (1ULL << bits) - 1;
	switch (rr->fmt) {
	case MDB_RET_VOID:
		break;
	case MDB_RET_SIGNED:
		if (bits < 64 && (v & (1ULL << (bits - 1))))
			v |= ~0ULL << bits;
		n = scnprintf(s, size, " = %lld", (long long)v);
		break;
	case MDB_RET_UNSIGNED:
		n = scnprintf(s, size, " = %llu", v);
		break;
	case MDB_RET_PTR:
		n = scnprintf(s, size, " = 0x%llx", v);
		break;
	case MDB_RET_BOOL:
		n = scnprintf(s, size, " = %s", (v & 0xff) ? "true" : "false");
		break;
	default:
		n = scnprintf(s, size, " = %lld (0x%llx)", (long long)rr->retval, rr->retval);
		break;
	}
	n += scnprintf(s + n, size - n, " (%llu ns)", rr->elapsed);
	return n;
}

static size_t mdb_fmt_rec(char *s, size_t size, int cpu, u64 ts,
			  const struct mdb_rec *r)
{
	unsigned long rem = do_div(ts, NSEC_PER_SEC);
	const unsigned long *bt = r->data;
	size_t n;
	int i;

	n = scnprintf(s, size, "%5llu.%06lu cpu=%d pid=%d", ts, rem / 1000, cpu, r->tgid);
	if (r->pid != r->tgid)
		n += scnprintf(s + n, size - n, " tid=%d", r->pid);
	n += scnprintf(s + n, size - n, " comm=%.*s bp=%u ", TASK_COMM_LEN, r->comm, r->id);
	if (r->type == MDB_REC_MSG) {
		n += scnprintf(s + n, size - n, "%.*s\n", r->msglen, (const char *)r->data);
		return n;
	}
	if (r->type == MDB_REC_STEPMSG) {
		n += scnprintf(s + n, size - n, "step %.*s at ", r->msglen, (const char *)r->data);
		n += mdb_fmt_sym(s + n, size - n, r->ip);
		n += scnprintf(s + n, size - n, "\n");
		return n;
	}
	if (r->type == MDB_REC_DUMP) {
		const struct mdb_dump_rec *d = (const void *)r->data;
		const struct mdb_btf *b = mdb_btf_handle(d->nr);
		int w;

		n += scnprintf(s + n, size - n, "dump ");
		if (!b || (d->nr != MDB_BTF_VMLINUX && d->gen != mdb_btfidx_gen())) {
			n += scnprintf(s + n, size - n, "(the type's BTF is gone)\n");
			return n;
		}
		/* leave room for "...\n" when the text is cut */
		w = mdb_btf_snprint(b, d->type, d->bytes, r->msglen, d->depth, 0,
				    s + n, size - n - 4);
		if (w >= 0 && w < size - n - 4) {
			n += w;
		} else if (w >= 0) {
			n = size - 5;
			n += scnprintf(s + n, size - n, "...");
		}
		n += scnprintf(s + n, size - n, "\n");
		return n;
	}
	if (r->type == MDB_REC_STEP) {
		const struct mdb_step_rec *sr = (const void *)r->data;
		char text[96];
		int ilen, j, k = 0;

		n += scnprintf(s + n, size - n, "step ");
		n += mdb_fmt_sym(s + n, size - n, r->ip);
		if (mdb_dis_format(r->ip, sr->bytes, r->msglen, false, text, sizeof(text), &ilen) < 0)
			strscpy(text, "(?)", sizeof(text));
		n += scnprintf(s + n, size - n, ": %s |", text);
		for (j = 0; j < MDB_NR_STEP_REGS; j++)
			if (sr->changed & BIT(j))
				n += scnprintf(s + n, size - n, " %s=%lx",
					       mdb_step_reg_names[j], sr->val[k++]);
		n += scnprintf(s + n, size - n, "\n");
		return n;
	}
	if (r->flags & (MDB_REC_RET | MDB_REC_TP)) {
		const char *a = (const char *)r->data + r->nbt * sizeof(unsigned long);

		if (r->flags & MDB_REC_REGS)
			a += sizeof(struct pt_regs);
		if (r->flags & MDB_REC_ARGS)
			a += mdb_args_rec_size(&((const struct mdb_args_rec *)a)->spec);
		if (r->flags & MDB_REC_TP) {
			n += scnprintf(s + n, size - n, "tp %.*s", r->msglen, a);
		} else {
			n += scnprintf(s + n, size - n, "ret %ps", (void *)r->ip);
			n += mdb_fmt_retval(s + n, size - n, (const struct mdb_ret_rec *)a);
		}
	} else {
		n += scnprintf(s + n, size - n, "%s ", (r->flags & MDB_REC_WATCH) ? "watch" : "break");
		n += mdb_fmt_sym(s + n, size - n, r->ip);
	}
	if (r->flags & MDB_REC_WATCH) {
		n += scnprintf(s + n, size - n, " addr=0x%lx ", r->addr);
		n += mdb_fmt_sym(s + n, size - n, r->addr);
	}
	if (r->flags & MDB_REC_ARGS) {
		const char *a = (const char *)r->data + r->nbt * sizeof(unsigned long);

		if (r->flags & MDB_REC_REGS)
			a += sizeof(struct pt_regs);
		n += mdb_args_format(s + n, size - n, (const struct mdb_args_rec *)a);
	}
	if (r->flags & MDB_REC_REGS) {
		n += mdb_fmt_regs(s + n, size - n, (const struct pt_regs *)r->data);
		bt = (const unsigned long *)((const struct pt_regs *)r->data + 1);
	}
	if (r->nbt) {
		n += scnprintf(s + n, size - n, " bt:");
		for (i = 0; i < r->nbt; i++) {
			n += scnprintf(s + n, size - n, i ? " <- " : " ");
			n += mdb_fmt_sym(s + n, size - n, bt[i]);
		}
	}
	n += scnprintf(s + n, size - n, "\n");
	return n;
}

/*
 * Take the oldest record of all CPUs and format it (with a "lost" line
 * first if events were lost before it). 0 when the log is empty.
 */
static size_t mdb_log_next(char *s, size_t size)
{
	struct ring_buffer_event *ev;
	unsigned long lost = 0;
	int cpu, best = -1;
	u64 ts, best_ts = U64_MAX;
	size_t n = 0;

	for_each_possible_cpu(cpu) {
		if (ring_buffer_empty_cpu(mdb_rb, cpu))
			continue;
		ev = ring_buffer_peek(mdb_rb, cpu, &ts, NULL);
		if (ev && ts < best_ts) {
			best_ts = ts;
			best = cpu;
		}
	}
	if (best < 0)
		return 0;
	ev = ring_buffer_consume(mdb_rb, best, &ts, &lost);
	if (!ev)
		return 0;
	if (lost) {
		u64 t = ts;
		unsigned long rem = do_div(t, NSEC_PER_SEC);

		n = scnprintf(s, size, "%5llu.%06lu cpu=%d lost %lu events\n",
			      t, rem / 1000, best, lost);
	}
	n += mdb_fmt_rec(s + n, size - n, best, ts, ring_buffer_event_data(ev));
	return n;
}

static int mdb_log_open(struct inode *inode, struct file *file)
{
	struct mdb_reader *rd;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	rd = kzalloc(sizeof(*rd), GFP_KERNEL);
	if (!rd)
		return -ENOMEM;
	rd->buf = kmalloc(MDB_LINE_BUF, GFP_KERNEL);
	if (!rd->buf) {
		kfree(rd);
		return -ENOMEM;
	}
	file->private_data = rd;
	return nonseekable_open(inode, file);
}

static int mdb_log_release(struct inode *inode, struct file *file)
{
	struct mdb_reader *rd = file->private_data;

	kfree(rd->buf);
	kfree(rd);
	return 0;
}

static ssize_t mdb_log_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct mdb_reader *rd = file->private_data;
	ssize_t done = 0;
	int ret;

	if (!count)
		return 0;
	if (mutex_lock_interruptible(&mdb_log_read_lock))
		return -ERESTARTSYS;
	while (done < count) {
		size_t n;

		if (rd->pos == rd->len) {
			rd->pos = 0;
			rd->len = mdb_log_next(rd->buf, MDB_LINE_BUF);
		}
		if (!rd->len) {
			if (done || READ_ONCE(mdb_log_closing))
				break;
			if (file->f_flags & O_NONBLOCK) {
				done = -EAGAIN;
				break;
			}
			mutex_unlock(&mdb_log_read_lock);
			ret = wait_event_interruptible_timeout(mdb_log_wq,
					!ring_buffer_empty(mdb_rb) ||
					READ_ONCE(mdb_log_closing),
					msecs_to_jiffies(MDB_LOG_POLL_MS));
			if (ret < 0)
				return ret;
			if (mutex_lock_interruptible(&mdb_log_read_lock))
				return -ERESTARTSYS;
			continue;
		}
		n = min_t(size_t, count - done, rd->len - rd->pos);
		if (copy_to_user(ubuf + done, rd->buf + rd->pos, n)) {
			if (!done)
				done = -EFAULT;
			break;
		}
		rd->pos += n;
		done += n;
	}
	mutex_unlock(&mdb_log_read_lock);
	return done;
}

static __poll_t mdb_log_poll(struct file *file, poll_table *wait)
{
	struct mdb_reader *rd = file->private_data;

	poll_wait(file, &mdb_log_wq, wait);
	if (!timer_pending(&mdb_log_poll_timer))
		mod_timer(&mdb_log_poll_timer, jiffies + msecs_to_jiffies(MDB_LOG_POLL_MS));
	if (rd->pos < rd->len || !ring_buffer_empty(mdb_rb))
		return EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(mdb_log_closing))
		return EPOLLHUP;
	return 0;
}

const struct file_operations mdb_log_fops = {
	.owner = THIS_MODULE,
	.open = mdb_log_open,
	.read = mdb_log_read,
	.poll = mdb_log_poll,
	.release = mdb_log_release,
};

/* Events overwritten before anyone read them (status "lost"). */
u64 mdb_log_lost(void)
{
	return ring_buffer_overruns(mdb_rb);
}

/* Process context: drop everything not yet read. */
void mdb_log_reset(void)
{
	ring_buffer_reset(mdb_rb);
}

int mdb_log_init(void)
{
	if (log_kb < 16 || log_kb > 65536) {
		pr_err("log_kb=%u out of range 16..65536\n", log_kb);
		return -EINVAL;
	}
	mdb_rb = ring_buffer_alloc((unsigned long)log_kb * 1024, RB_FL_OVERWRITE);
	if (!mdb_rb)
		return -ENOMEM;
	return 0;
}

/* Before the files go: let blocked readers return. */
void mdb_log_shutdown(void)
{
	WRITE_ONCE(mdb_log_closing, true);
	wake_up_interruptible_all(&mdb_log_wq);
}

/* After every breakpoint is gone: nothing writes any more. */
void mdb_log_exit(void)
{
	mdb_timer_delete_sync(&mdb_log_poll_timer);
	irq_work_sync(&mdb_log_wake_work);
	ring_buffer_free(mdb_rb);
	mdb_rb = NULL;
}
