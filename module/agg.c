// SPDX-License-Identifier: GPL-2.0
/*
 * agg.c - aggregations in the control language, without a script:
 * `by=comm|pid|tid|cpu` counts a breakpoint's hits per key (bpftrace's
 * `@[comm] = count()`), `hist=retval|elapsed|argN` makes a log2 histogram
 * (`@ = hist(retval)`). The `aggr` file prints them as bpftrace does.
 *
 * Each breakpoint with one has a per-CPU block (alloc_percpu at `break`,
 * process context): a hit updates its own CPU's block only, and mdb_hit()
 * runs once per CPU at a time (its recursion guard), so a block has one
 * writer and needs no atomics. A count block is an open-addressed table of
 * MDB_AGGR_SLOTS keys filled to 3/4 at most: a new key beyond that is
 * counted as dropped, never lost silently. The reader (the aggr file)
 * merges the CPUs' blocks; an entry becomes visible with a release store
 * of its `used` after its key is written.
 */
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <asm/ptrace.h>
#include "mdb.h"
#include "bp.h"
#include "agg_fmt.h"

#define MDB_AGGR_SLOTS	256	/* a power of two */
#define MDB_AGGR_FULL	(MDB_AGGR_SLOTS * 3 / 4)
#define MDB_AGGR_MERGE	(MDB_AGGR_SLOTS * 4)	/* distinct keys the file shows */


struct mdb_aggr_ent {
	u64 key[2];	/* a comm's 16 bytes, or a number in key[0] */
	u64 n;
	u32 used;	/* release-stored after the key */
};

static_assert(MDB_AGGR_SCRATCH >= MDB_AGGR_MERGE * sizeof(struct mdb_aggr_ent));

struct mdb_aggr {
	union {
		struct mdb_aggr_ent e[MDB_AGGR_SLOTS];
		u64 b[MDB_HIST_BUCKETS];
	};
	u64 dropped;
	u32 used;
};

int mdb_aggr_alloc(struct mdb_bp *bp)
{
	if (!bp->cmd.by && !bp->cmd.hist)
		return 0;
	bp->aggr = alloc_percpu(struct mdb_aggr);
	return bp->aggr ? 0 : -ENOMEM;
}

void mdb_aggr_free(struct mdb_bp *bp)
{
	free_percpu(bp->aggr);
	bp->aggr = NULL;
}

static __always_inline u32 mdb_aggr_hash(u64 k0, u64 k1)
{
	return (u32)((((k0 * 0x9e3779b97f4a7c15ULL) ^ k1) * 0xc2b2ae3d27d4eb4fULL) >> 32);
}

/* NMI-safe: this CPU's block, bounded work. @ex: at a return, else NULL. */
__mdb_hot void mdb_aggr_hit(struct mdb_bp *bp, const struct pt_regs *regs,
			    const struct mdb_exit *ex)
{
	struct mdb_aggr *a = this_cpu_ptr(bp->aggr);
	struct mdb_aggr_ent *e;
	u64 k0 = 0, k1 = 0;
	unsigned int i, probe;
	s64 v;

	switch (bp->cmd.hist) {
	case MDB_HIST_NONE:
		break;
	case MDB_HIST_RETVAL:
		v = ex ? (s64)ex->retval : 0;
		goto hist;
	case MDB_HIST_ELAPSED:
		v = ex ? (s64)ex->elapsed : 0;
		goto hist;
	default:
		/* argN: its register (rdi, rsi, ...), read from @regs */
		v = (s64)regs_get_kernel_argument((struct pt_regs *)regs,
						  bp->cmd.hist - MDB_HIST_ARG1);
		goto hist;
	}
	switch (bp->cmd.by) {
	case MDB_BY_COMM:
		memcpy(&k0, current->comm, 8);
		memcpy(&k1, current->comm + 8, 8);
		k1 &= ~(0xffULL << 56);	/* TASK_COMM_LEN - 1 characters and a NUL */
		break;
	case MDB_BY_PID:
		k0 = current->tgid;
		break;
	case MDB_BY_TID:
		k0 = current->pid;
		break;
	default:
		k0 = raw_smp_processor_id();
		break;
	}
	for (probe = 0, i = mdb_aggr_hash(k0, k1) & (MDB_AGGR_SLOTS - 1); probe < MDB_AGGR_SLOTS;
	     probe++, i = (i + 1) & (MDB_AGGR_SLOTS - 1)) {
		e = &a->e[i];
		if (!e->used) {
			if (a->used >= MDB_AGGR_FULL)
				break;
			a->used++;
			e->key[0] = k0;
			e->key[1] = k1;
			e->n = 1;
			smp_store_release(&e->used, 1);
			return;
		}
		if (e->key[0] == k0 && e->key[1] == k1) {
			e->n++;
			return;
		}
	}
	a->dropped++;
	return;
hist:
	a->b[mdb_hist_bucket(v)]++;
}

/* ---- the aggr file (process context, mdb_lock) ------------------------- */

static int mdb_aggr_cmp(const void *x, const void *y)
{
	const struct mdb_aggr_ent *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	if (a->key[0] != b->key[0])
		return a->key[0] < b->key[0] ? -1 : 1;
	return a->key[1] < b->key[1] ? -1 : a->key[1] > b->key[1];
}

static const char * const mdb_by_name[] = { "", "comm", "pid", "tid", "cpu" };

static void mdb_aggr_show_counts(struct seq_file *m, struct mdb_bp *bp, struct mdb_aggr_ent *all)
{
	unsigned int n = 0, i, j;
	u64 dropped = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct mdb_aggr *a = per_cpu_ptr(bp->aggr, cpu);

		dropped += READ_ONCE(a->dropped);
		for (i = 0; i < MDB_AGGR_SLOTS; i++) {
			const struct mdb_aggr_ent *e = &a->e[i];

			if (!smp_load_acquire(&e->used))
				continue;
			for (j = 0; j < n; j++)
				if (all[j].key[0] == e->key[0] && all[j].key[1] == e->key[1])
					break;
			if (j == n) {
				if (n == MDB_AGGR_MERGE) {
					dropped += READ_ONCE(e->n);
					continue;
				}
				all[n++] = (struct mdb_aggr_ent){ .key = { e->key[0], e->key[1] } };
			}
			all[j].n += READ_ONCE(e->n);
		}
		cond_resched();
	}
	sort(all, n, sizeof(*all), mdb_aggr_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (bp->cmd.by == MDB_BY_COMM)
			seq_printf(m, "@%s[%.16s]: %llu\n", mdb_by_name[bp->cmd.by],
				   (const char *)all[i].key, all[i].n);
		else
			seq_printf(m, "@%s[%llu]: %llu\n", mdb_by_name[bp->cmd.by], all[i].key[0],
				   all[i].n);
	}
	if (dropped)
		seq_printf(m, "@%s: %llu more not counted: a CPU's table is full (%d keys)\n",
			   mdb_by_name[bp->cmd.by], dropped, MDB_AGGR_FULL);
	cond_resched();
}

static const char * const mdb_hist_name[] = {
	"", "retval", "elapsed", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6"
};

static void mdb_aggr_show_hist(struct seq_file *m, struct mdb_bp *bp, u64 *b)
{
	char line[MDB_HIST_LINE];
	unsigned int k, first, last;
	u64 max;
	int cpu;

	memset(b, 0, sizeof(u64) * MDB_HIST_BUCKETS);
	for_each_possible_cpu(cpu) {
		const struct mdb_aggr *a = per_cpu_ptr(bp->aggr, cpu);

		for (k = 0; k < MDB_HIST_BUCKETS; k++)
			b[k] += READ_ONCE(a->b[k]);
	}
	seq_printf(m, "@%s:\n", mdb_hist_name[bp->cmd.hist]);
	if (!mdb_hist_span(b, &first, &last, &max))
		return;
	for (k = first; k <= last; k++) {
		mdb_hist_line(line, k, b[k], max);
		seq_printf(m, "%s\n", line);
	}
}

/*
 * The aggr file's part for @bp (bp.c walks the breakpoints under mdb_lock):
 * its id and command, then its map. @text and @scratch: MDB_CMD_TEXT_MAX and
 * MDB_AGGR_SCRATCH bytes.
 */
void mdb_aggr_show_one(struct seq_file *m, struct mdb_bp *bp, char *text, void *scratch)
{
	if (!bp->aggr)
		return;
	mdb_cmd_format(text, MDB_CMD_TEXT_MAX, &bp->cmd);
	seq_printf(m, "# %u %s\n", bp->id, text);
	if (bp->cmd.hist)
		mdb_aggr_show_hist(m, bp, scratch);
	else
		mdb_aggr_show_counts(m, bp, scratch);
}
