// SPDX-License-Identifier: GPL-2.0
/*
 * The hit path's requests to process context: a breakpoint to disarm
 * (limit= reached, its script failing, mdb.disable()), or work waiting
 * (mdb.watch() requests, a script's garbage). A hit may run in NMI
 * context, where nothing can be disarmed or allocated: it marks the
 * request and queues an irq_work (NMI-safe), which queues the engine's
 * work item (mdb_defer_init()); the engine does the rest under mdb_lock.
 *
 * This file sits below the hit path and everything a hit does, so that
 * each of them can ask without calling up into the engine.
 */
#include <linux/kernel.h>
#include <linux/irq_work.h>
#include <linux/workqueue.h>
#include "mdb.h"
#include "bp.h"

static void (*mdb_defer_fn)(void);

static void mdb_defer_workfn(struct work_struct *w)
{
	void (*fn)(void) = READ_ONCE(mdb_defer_fn);

	if (fn)
		fn();
}
static DECLARE_WORK(mdb_defer_work, mdb_defer_workfn);

/*
 * Unbound: the CPU that asked may be looping in the kernel through hits
 * (a busy loop calling a probed function): a per-CPU worker would wait
 * for it, and a script's garbage with it (mdb_lua_set_gc_kick()).
 */
static void mdb_defer_irq_workfn(struct irq_work *w)
{
	queue_work(system_unbound_wq, &mdb_defer_work);
}
static struct irq_work mdb_defer_irq_work = IRQ_WORK_INIT(mdb_defer_irq_workfn);

/**
 * mdb_defer_disable - a hit asks for @bp to be disarmed
 * @why: MDB_DIS_*, kept for the table and the log
 *
 * Context: any, NMI included. The first reason wins.
 */
void mdb_defer_disable(struct mdb_bp *bp, int why)
{
	WRITE_ONCE(bp->live, 0);
	atomic_cmpxchg(&bp->disable_req, 0, why);
	irq_work_queue(&mdb_defer_irq_work);
}

/* Any context, NMI-safe: run the engine's work soon (mdb.watch, GC). */
void mdb_defer_kick(void)
{
	irq_work_queue(&mdb_defer_irq_work);
}

/* Process context: @fn is the engine's work, run for every request. */
void mdb_defer_init(void (*fn)(void))
{
	WRITE_ONCE(mdb_defer_fn, fn);
}

/* Process context, with nothing armed: no request can come any more. */
void mdb_defer_exit(void)
{
	irq_work_sync(&mdb_defer_irq_work);
	cancel_work_sync(&mdb_defer_work);
}
