/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test target's own trace event, for break tp:mdb_tt:mdb_tt_event:
 * a module's tracepoint, fired by every call of mdb_tt_target (so from
 * process, softirq, hardirq and kthread context alike).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mdb_tt

#if !defined(_MDB_TT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MDB_TT_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(mdb_tt_event,
	TP_PROTO(unsigned long arg, int where),
	TP_ARGS(arg, where),
	TP_STRUCT__entry(
		__field(unsigned long, arg)
		__field(int, where)
	),
	TP_fast_assign(
		__entry->arg = arg;
		__entry->where = where;
	),
	TP_printk("arg=%lu where=%d", __entry->arg, __entry->where)
);

#endif /* _MDB_TT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mdb_tt_trace
#include <trace/define_trace.h>
