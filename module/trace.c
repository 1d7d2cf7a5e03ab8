// SPDX-License-Identifier: GPL-2.0
/*
 * The mdb:* trace events (mdb_trace.h), defined here once; the rest of
 * mdb calls these wrappers, which cost a static-key test while no tracer
 * listens. Any context, NMI included: the kernel's trace buffers are
 * lockless and NMI-safe; a full or disabled buffer drops the event, and
 * the hit goes on.
 */
#include <linux/kernel.h>
#include "mdb.h"
#include "bp.h"

#define CREATE_TRACE_POINTS
#include "mdb_trace.h"

__mdb_hot void mdb_trace_hit(const struct mdb_bp *bp, unsigned long ip, unsigned long addr)
{
	int kind = (bp->flags & MDB_F_WATCH) ? 1 : (bp->flags & MDB_F_RET) ? 2 :
		   (bp->flags & MDB_F_TP) ? 3 : 0;

	trace_mdb_hit(bp->id, kind, ip, addr);
}

void mdb_trace_step(unsigned int id, unsigned long ip, const u8 *insn, int len)
{
	trace_mdb_step(id, ip, insn, len);
}

void mdb_trace_print(unsigned int id, const char *msg, size_t len)
{
	trace_mdb_print(id, msg, len);
}

/* Is anyone listening to mdb:mdb_print (for mdb.trace's return value)? */
bool mdb_trace_print_enabled(void)
{
	return trace_mdb_print_enabled();
}
