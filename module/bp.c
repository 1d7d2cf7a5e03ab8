// SPDX-License-Identifier: GPL-2.0
/*
 * The engine: the table of breakpoints and their life cycle (break,
 * watch, delete, enable, disable, reset, a module going away, the hit
 * path's disarm requests), and the breakpoints and aggr files.
 *
 * It knows no probe kind: how a breakpoint is installed is its kind's
 * (kind.h), chosen here from mdb_kinds[] in order - the first kind that
 * matches the command and arms it. Arming and disarming happen in process
 * context under mdb_lock; the hit path only reads a breakpoint, and asks
 * for a disarm through defer.c (irq_work -> work item -> here).
 *
 * States: a bp is created ARMED (or the command fails and nothing is
 * kept); disable/limit -> DISABLED; its module going away -> GONE; enable
 * prepares it again (a symbol may have moved) and arms it.
 */
#include <linux/kernel.h>
#include <linux/cpumask.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "mdb.h"
#include "bp.h"
#include "kind.h"

/*
 * The probe kinds, in the order they are tried: the first whose match()
 * takes the command and whose arm() does not answer MDB_KIND_NEXT holds
 * the breakpoint. A new kind is a file and a line here.
 */
static const struct mdb_kind *const mdb_kinds[] = {
	&mdb_kind_tp,		/* break tp:SUBSYSTEM:NAME */
	&mdb_kind_ret,		/* break FN ret */
	&mdb_kind_watch,	/* watch */
	&mdb_kind_ftrace,	/* break at a function's entry: its ftrace call */
	&mdb_kind_hw,		/* else a debug register while one is free */
	&mdb_kind_kprobe,	/* else (or sw) an int3 kprobe */
};

static struct mdb_bp *mdb_bps[MDB_MAX_BPS];
static unsigned int mdb_next_id = 1;
static size_t mdb_bp_size;	/* struct mdb_bp and the largest kind's state */

#define for_each_mdb_bp(bp, i) \
	for ((i) = 0; (i) < MDB_MAX_BPS; (i)++) \
		if (((bp) = mdb_bps[i]) != NULL)

static struct mdb_bp *mdb_bp_find(unsigned int id)
{
	struct mdb_bp *bp;
	int i;

	for_each_mdb_bp(bp, i)
		if (bp->id == id)
			return bp;
	return NULL;
}

/* ---- arming ----------------------------------------------------------- */

/* Install @bp with kind @k; it counts hits from the moment this starts. */
static int mdb_arm(struct mdb_bp *bp, const struct mdb_kind *k, char *err, size_t len)
{
	int ret;

	/* must precede register: the first hit may come at once */
	atomic_set(&bp->disable_req, 0);
	atomic_set(&bp->script_errors, 0);
	/*
	 * ... except with step=: stepping needs the kind's state (the debug
	 * registers' events), set when arm() returns, while the other CPUs'
	 * debug registers are already armed; a hit before that could not step
	 * (make sweep saw __run_timers hit so). Such a breakpoint is live
	 * from then on: earlier hits, before the command returned, are not its.
	 */
	WRITE_ONCE(bp->live, !bp->step);
	/*
	 * `count` and nothing else: the handlers count such a hit without
	 * calling mdb_hit() (hit.h). Read by the hit path: set before
	 * registering, like the fields it is made of.
	 */
	bp->count_only = (bp->flags & MDB_F_COUNT) && !(bp->flags & MDB_F_TRACE) &&
			 !bp->pid && bp->cpu < 0 && !bp->comm[0] && !bp->limit &&
			 !bp->step && !bp->lua && !bp->ifn && !bp->aggr;
	bp->kind = k;
	/* until arm() returns, a hit may not step (the kind's state is not set) */
	bp->no_step = MDB_STEP_NEEDS_HW;
	ret = k->arm(bp, err, len);
	if (ret) {
		WRITE_ONCE(bp->live, 0);
		return ret;
	}
	bp->no_step = k->no_step ? k->no_step(bp) : NULL;
	bp->state = MDB_BP_ARMED;
	if (bp->step)
		smp_store_release(&bp->live, 1);	/* after the kind's state */
	return 0;
}

/*
 * Prepare and arm @bp with the first kind that takes it. Kinds that serve
 * the same commands share their prepare(): it runs once.
 */
static int mdb_install(struct mdb_bp *bp, char *err, size_t len)
{
	int (*prepared)(struct mdb_bp *bp, char *err, size_t errlen) = NULL;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(mdb_kinds); i++) {
		const struct mdb_kind *k = mdb_kinds[i];

		if (!k->match(&bp->cmd))
			continue;
		if (k->prepare != prepared) {
			ret = k->prepare(bp, err, len);
			if (ret)
				return ret;
			prepared = k->prepare;
		}
		ret = mdb_arm(bp, k, err, len);
		if (ret != MDB_KIND_NEXT)
			return ret;
		err[0] = '\0';
	}
	scnprintf(err, len, "no probe kind can hold this breakpoint");
	return -EINVAL;
}

/* Remove @bp from the CPUs; when this returns, no handler runs on it. */
static void mdb_disarm(struct mdb_bp *bp, enum mdb_bp_state state)
{
	if (bp->state == MDB_BP_ARMED) {
		WRITE_ONCE(bp->live, 0);
		bp->kind->disarm(bp);
	}
	bp->state = state;
}

/* Frees @bp, which no handler can see any more. */
static void mdb_bp_kfree(struct mdb_bp *bp)
{
	mdb_aggr_free(bp);
	free_percpu(bp->pc);
	kfree(bp);
}

static void mdb_bp_free(struct mdb_bp *bp)
{
	/* NMI handlers are RCU readers: none can still see @bp after this */
	synchronize_rcu();
	mdb_bp_kfree(bp);
}

/* ---- commands ---------------------------------------------------------- */

static int mdb_bp_slot(void)
{
	int i;

	for (i = 0; i < MDB_MAX_BPS; i++)
		if (!mdb_bps[i])
			return i;
	return -1;
}

/* break and watch */
int mdb_bp_break(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	bool watch = cmd->op == MDB_OP_WATCH;
	struct mdb_bp *bp, *b;
	char *text, *other;
	int slot, ret, i;

	if ((cmd->lua[0] || cmd->ifn[0]) && !mdb_script_loaded()) {
		scnprintf(err, errlen, "%s=%s: no script loaded (cat probe.lua > script)",
			  cmd->lua[0] ? "lua" : "if", cmd->lua[0] ? cmd->lua : cmd->ifn);
		return -ENOENT;
	}
	if (cmd->cpu >= 0 && (cmd->cpu >= nr_cpu_ids || !cpu_possible(cmd->cpu))) {
		scnprintf(err, errlen, "cpu=%d: no such CPU (0-%u)", cmd->cpu, nr_cpu_ids - 1);
		return -EINVAL;
	}
	/* the same command twice is a mistake; different filters are not */
	text = kmalloc(2 * MDB_CMD_TEXT_MAX, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	other = text + MDB_CMD_TEXT_MAX;
	mdb_cmd_format(text, MDB_CMD_TEXT_MAX, cmd);
	ret = 0;
	for_each_mdb_bp(b, i) {
		mdb_cmd_format(other, MDB_CMD_TEXT_MAX, &b->cmd);
		if (!strcmp(text, other)) {
			scnprintf(err, errlen, "same as breakpoint %u", b->id);
			ret = -EEXIST;
			break;
		}
	}
	kfree(text);
	if (ret)
		return ret;
	slot = mdb_bp_slot();
	if (slot < 0) {
		scnprintf(err, errlen, "too many breakpoints (at most %d); delete some", MDB_MAX_BPS);
		return -ENOSPC;
	}
	if (mdb_next_id > MDB_ID_MAX) {
		scnprintf(err, errlen, "breakpoint ids exhausted; 'reset' starts again at 1");
		return -ENOSPC;
	}

	bp = kzalloc(mdb_bp_size, GFP_KERNEL);
	if (!bp)
		return -ENOMEM;
	bp->pc = alloc_percpu(struct mdb_bp_pcpu);
	if (!bp->pc) {
		kfree(bp);
		return -ENOMEM;
	}
	bp->cmd = *cmd;
	if (mdb_aggr_alloc(bp)) {
		mdb_bp_kfree(bp);
		return -ENOMEM;
	}
	bp->pid = cmd->pid;
	bp->cpu = cmd->cpu;
	strscpy(bp->comm, cmd->comm, sizeof(bp->comm));
	bp->limit = cmd->limit;
	bp->flags = (cmd->count ? MDB_F_COUNT : 0) | (cmd->regs ? MDB_F_REGS : 0) |
		    (cmd->bt ? MDB_F_BT : 0) | (watch ? MDB_F_WATCH : 0) |
		    (cmd->over ? MDB_F_OVER : 0) | (cmd->unsafe ? MDB_F_UNSAFE : 0) |
		    (cmd->args ? MDB_F_ARGS : 0) | (cmd->ret ? MDB_F_RET : 0) |
		    (cmd->loc.tp ? MDB_F_TP : 0) | (cmd->trace ? MDB_F_TRACE : 0);
	bp->step = cmd->step;
	if (cmd->lua[0])
		bp->lua = bp->cmd.lua;
	if (cmd->ifn[0])
		bp->ifn = bp->cmd.ifn;
	bp->state = MDB_BP_DISABLED;
	bp->id = mdb_next_id;
	ret = mdb_install(bp, err, errlen);
	if (ret)
		goto err_free;
	mdb_next_id++;
	mdb_bps[slot] = bp;
	return 0;

err_free:
	mdb_bp_kfree(bp);	/* never armed: no handler can see it */
	return ret;
}

/* Apply @fn to breakpoint cmd->id, or to all of them. */
static int mdb_bp_each(const struct mdb_cmd *cmd, char *err, size_t errlen,
		       int (*fn)(struct mdb_bp *bp, char *err, size_t errlen))
{
	struct mdb_bp *bp;
	int i, ret, first = 0;

	if (!cmd->all) {
		bp = mdb_bp_find(cmd->id);
		if (!bp) {
			scnprintf(err, errlen, "no breakpoint %u", cmd->id);
			return -ENOENT;
		}
		return fn(bp, err, errlen);
	}
	for_each_mdb_bp(bp, i) {
		ret = fn(bp, err, errlen);
		if (ret && !first)
			first = ret;
	}
	return first;
}

static int __mdb_bp_delete(struct mdb_bp *bp, char *err, size_t errlen)
{
	int i;

	mdb_disarm(bp, MDB_BP_DISABLED);
	for (i = 0; i < MDB_MAX_BPS; i++)
		if (mdb_bps[i] == bp)
			mdb_bps[i] = NULL;
	mdb_bp_free(bp);
	return 0;
}

int mdb_bp_delete(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_bp_each(cmd, err, errlen, __mdb_bp_delete);
}

static int __mdb_bp_enable(struct mdb_bp *bp, char *err, size_t errlen)
{
	s64 hits;
	int ret;

	if (bp->state == MDB_BP_ARMED)
		return 0;
	/* enabling restarts the count toward limit= */
	hits = atomic64_read(&bp->hits);
	if (bp->limit && hits >= bp->limit)
		atomic64_set(&bp->hits, 0);
	/* a symbol may have moved, a tracepoint come back (its module reloaded) */
	ret = mdb_install(bp, err, errlen);
	if (ret)
		atomic64_set(&bp->hits, hits);
	else
		bp->why[0] = '\0';
	return ret;
}

/*
 * enable all: every breakpoint or none. Arming may fail late (no free
 * debug register), so the ones this command armed are put back as they
 * were when a later one fails: a failed line changes nothing.
 */
int mdb_bp_enable(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	struct mdb_bp_saved {
		enum mdb_bp_state state;
		s64 hits;
		char why[sizeof(((struct mdb_bp *)0)->why)];
	} *saved;
	struct mdb_bp *bp;
	int i, ret = 0;

	if (!cmd->all)
		return mdb_bp_each(cmd, err, errlen, __mdb_bp_enable);
	saved = kmalloc_array(MDB_MAX_BPS, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	for_each_mdb_bp(bp, i) {
		saved[i].state = bp->state;
		saved[i].hits = atomic64_read(&bp->hits);
		memcpy(saved[i].why, bp->why, sizeof(saved[i].why));
	}
	for_each_mdb_bp(bp, i) {
		ret = __mdb_bp_enable(bp, err, errlen);
		if (ret)
			break;
	}
	if (ret) {
		for_each_mdb_bp(bp, i) {
			if (saved[i].state == MDB_BP_ARMED || bp->state != MDB_BP_ARMED)
				continue;
			mdb_disarm(bp, saved[i].state);
			atomic64_set(&bp->hits, saved[i].hits);
			memcpy(bp->why, saved[i].why, sizeof(bp->why));
		}
	}
	kfree(saved);
	return ret;
}

static int __mdb_bp_disable(struct mdb_bp *bp, char *err, size_t errlen)
{
	if (bp->state == MDB_BP_ARMED) {
		mdb_disarm(bp, MDB_BP_DISABLED);
		strscpy(bp->why, "by user", sizeof(bp->why));
	}
	return 0;
}

int mdb_bp_disable(const struct mdb_cmd *cmd, char *err, size_t errlen)
{
	return mdb_bp_each(cmd, err, errlen, __mdb_bp_disable);
}

/* Delete everything; ids start at 1 again. */
void mdb_bp_reset(void)
{
	struct mdb_bp *bp;
	int i;

	for_each_mdb_bp(bp, i)
		mdb_disarm(bp, MDB_BP_DISABLED);
	synchronize_rcu();
	for_each_mdb_bp(bp, i) {
		mdb_bps[i] = NULL;
		mdb_bp_kfree(bp);
	}
	mdb_next_id = 1;
}

/*
 * mdb.watch() from a script: a watchpoint with lua=FN, made by the work
 * item under mdb_lock.
 */
static int mdb_bp_add_watch(const struct mdb_watch_req *r, char *err, size_t errlen)
{
	struct mdb_cmd *cmd;
	int ret;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->op = MDB_OP_WATCH;
	cmd->loc.addr = r->addr;
	cmd->impl = MDB_IMPL_AUTO;
	cmd->cpu = -1;
	cmd->len = r->len;
	cmd->wmode = r->rw ? MDB_WMODE_RW : MDB_WMODE_W;
	cmd->opts_seen = MDB_OPT_BIT(MDB_OPT_LEN) |
			 MDB_OPT_BIT(r->rw ? MDB_OPT_RW : MDB_OPT_W);
	if (r->fn[0]) {
		strscpy(cmd->lua, r->fn, sizeof(cmd->lua));
		cmd->opts_seen |= MDB_OPT_BIT(MDB_OPT_LUA);
	}
	ret = mdb_bp_break(cmd, err, errlen);
	kfree(cmd);
	return ret;
}

/* ---- the hit path's requests (defer.c), done in process context -------- */

static void mdb_bp_disable_requested(struct mdb_bp *bp, int why)
{
	mdb_disarm(bp, MDB_BP_DISABLED);
	switch (why) {
	case MDB_DIS_LIMIT:
		scnprintf(bp->why, sizeof(bp->why), "limit=%u reached", bp->limit);
		mdb_log_msg(bp->id, "disabled: limit of %u hits reached", bp->limit);
		break;
	case MDB_DIS_ERRORS:
		scnprintf(bp->why, sizeof(bp->why), "%d script errors",
			  atomic_read(&bp->script_errors));
		mdb_log_msg(bp->id, "disabled: its script failed %d times",
			    atomic_read(&bp->script_errors));
		break;
	default:
		strscpy(bp->why, "mdb.disable() in its script", sizeof(bp->why));
		mdb_log_msg(bp->id, "disabled: mdb.disable() in its script");
		break;
	}
}

static void mdb_bp_workfn(void)
{
	struct mdb_watch_req req;
	struct mdb_bp *bp;
	char err[256];
	int i, ret;

	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i) {
		int why = atomic_read(&bp->disable_req);

		if (bp->state == MDB_BP_ARMED && why)
			mdb_bp_disable_requested(bp, why);
	}
	while (mdb_script_watch_take(&req)) {
		/* an allocation that fails gives no message: say so (mdb_failnth_test) */
		err[0] = '\0';
		ret = mdb_bp_add_watch(&req, err, sizeof(err));
		if (ret)
			mdb_log_msg(0, "mdb.watch(0x%lx): %s", req.addr,
				    err[0] ? err : ret == -ENOMEM ? "out of memory" : "cannot arm it");
	}
	mutex_unlock(&mdb_lock);
	mdb_script_gc();
}

/* ---- modules going away ------------------------------------------------ */

/*
 * @mod goes away: its breakpoints go "gone" (enable brings them back once
 * it is loaded again). From the module notifier and from the kinds' own
 * (a tracepoint's module must leave no probe on it: kind_tp.c).
 */
static void mdb_bp_module_going(struct module *mod)
{
	struct mdb_bp *bp;
	int i;

	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i) {
		if (bp->state != MDB_BP_ARMED || !bp->kind->in_module(bp, mod))
			continue;
		mdb_disarm(bp, MDB_BP_GONE);
		scnprintf(bp->why, sizeof(bp->why), "module %s unloaded", mod->name);
		mdb_log_msg(bp->id, "disabled: module %s unloaded", mod->name);
	}
	mutex_unlock(&mdb_lock);
}

static int mdb_module_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	if (action == MODULE_STATE_GOING)
		mdb_bp_module_going(data);
	return NOTIFY_DONE;
}

static struct notifier_block mdb_module_nb = {
	.notifier_call = mdb_module_notify,
};

/* ---- the breakpoints file ---------------------------------------------- */

static const char *const mdb_state_names[] = {
	[MDB_BP_ARMED] = "armed",
	[MDB_BP_DISABLED] = "disabled",
	[MDB_BP_GONE] = "gone",
};

/* The per-CPU counts of @bp, summed (process context). */
static void mdb_bp_counts(const struct mdb_bp *bp, s64 *hits, s64 *filtered)
{
	int cpu;

	*hits = atomic64_read(&bp->hits);
	*filtered = 0;
	for_each_possible_cpu(cpu) {
		const struct mdb_bp_pcpu *pc = per_cpu_ptr(bp->pc, cpu);

		*hits += READ_ONCE(pc->hits);
		*filtered += READ_ONCE(pc->filtered);
	}
}

/* The via column: how it is installed (hw, sw = int3, ft = ftrace, tp), or -. */
static const char *mdb_bp_via(const struct mdb_bp *bp)
{
	return bp->state == MDB_BP_ARMED ? bp->kind->via(bp) : "-";
}

/* Hits the kernel's layer (kprobes) could not hand to mdb, while armed. */
static u64 mdb_bp_nmissed(const struct mdb_bp *bp)
{
	return bp->state == MDB_BP_ARMED && bp->kind->nmissed ? bp->kind->nmissed(bp) : 0;
}

/* The aggr file: each breakpoint with by= or hist=, its command and its map. */
int mdb_aggr_show(struct seq_file *m)
{
	struct mdb_bp *bp;
	char *text;
	void *scratch;
	int i;

	scratch = kvmalloc(MDB_AGGR_SCRATCH, GFP_KERNEL);
	text = kmalloc(MDB_CMD_TEXT_MAX, GFP_KERNEL);
	if (!scratch || !text) {
		kvfree(scratch);
		kfree(text);
		return -ENOMEM;
	}
	mutex_lock(&mdb_lock);
	for_each_mdb_bp(bp, i)
		mdb_aggr_show_one(m, bp, text, scratch);
	mutex_unlock(&mdb_lock);
	kvfree(scratch);
	kfree(text);
	return 0;
}

/* 0, or -ENOMEM: the read fails rather than show an empty table */
int mdb_bp_show(struct seq_file *m)
{
	char *text, *sym;
	struct mdb_bp *bp;
	s64 hits, filtered;
	int i;

	text = kmalloc(MDB_CMD_TEXT_MAX + KSYM_SYMBOL_LEN, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	sym = text + MDB_CMD_TEXT_MAX;
	mutex_lock(&mdb_lock);
	seq_printf(m, "%-4s %-5s %-2s %-18s %-32s %10s %8s %8s %-8s %s\n",
		   "# id", "kind", "via", "address", "location", "hits", "missed",
		   "filtered", "state", "command");
	for_each_mdb_bp(bp, i) {
		mdb_cmd_format(text, MDB_CMD_TEXT_MAX, &bp->cmd);
		if (bp->cmd.loc.tp)
			scnprintf(sym, KSYM_SYMBOL_LEN, "%s:%s", bp->cmd.loc.module, bp->cmd.loc.sym);
		else
			mdb_sprint_loc(sym, bp->addr);
		mdb_bp_counts(bp, &hits, &filtered);
		seq_printf(m, "%-4u %-5s %-2s 0x%016lx %-32s %10lld %8lld %8lld %-8s %s",
			   bp->id, bp->kind->name, mdb_bp_via(bp),
			   bp->addr, sym, hits, atomic64_read(&bp->missed) + mdb_bp_nmissed(bp),
			   filtered, mdb_state_names[bp->state], text);
		if (bp->flags & MDB_F_WATCH && !bp->cmd.len)
			seq_printf(m, " # len=%u", bp->site.len);
		if (atomic_read(&bp->script_errors))
			seq_printf(m, " # script errors: %d", atomic_read(&bp->script_errors));
		if (bp->why[0])
			seq_printf(m, " # %s", bp->why);
		seq_putc(m, '\n');
	}
	mutex_unlock(&mdb_lock);
	kfree(text);
	return 0;
}

int mdb_bp_init(void)
{
	size_t priv = 0;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(mdb_kinds); i++)
		priv = max(priv, mdb_kinds[i]->priv_size);
	mdb_bp_size = sizeof(struct mdb_bp) + priv;
	mdb_defer_init(mdb_bp_workfn);
	ret = register_module_notifier(&mdb_module_nb);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(mdb_kinds); i++) {
		if (!mdb_kinds[i]->init)
			continue;
		ret = mdb_kinds[i]->init(mdb_bp_module_going);
		if (ret)
			goto err;
	}
	return 0;
err:
	while (i--)
		if (mdb_kinds[i]->exit)
			mdb_kinds[i]->exit();
	unregister_module_notifier(&mdb_module_nb);
	return ret;
}

/* Module exit: after the files are gone, so no command races with this. */
void mdb_bp_exit(void)
{
	int i;

	unregister_module_notifier(&mdb_module_nb);
	mutex_lock(&mdb_lock);
	mdb_bp_reset();
	mutex_unlock(&mdb_lock);
	for (i = ARRAY_SIZE(mdb_kinds) - 1; i >= 0; i--)
		if (mdb_kinds[i]->exit)
			mdb_kinds[i]->exit();
	mdb_defer_exit();
}
