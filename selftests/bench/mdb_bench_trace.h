/* SPDX-License-Identifier: GPL-2.0 */
/*
 * make bench's tracepoint: the "tp N" loop of mdb_bench.ko fires
 * mdb_bench:mdb_bench_event N times, for the rows that compare `break
 * tp:mdb_bench:mdb_bench_event` with the kernel's own enabled trace event
 * on the same tracepoint.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mdb_bench

#if !defined(_MDB_BENCH_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MDB_BENCH_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(mdb_bench_event,
	TP_PROTO(unsigned long i, int v),
	TP_ARGS(i, v),
	TP_STRUCT__entry(
		__field(unsigned long, i)
		__field(int, v)
	),
	TP_fast_assign(
		__entry->i = i;
		__entry->v = v;
	),
	TP_printk("i=%lu v=%d", __entry->i, __entry->v)
);

#endif /* _MDB_BENCH_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mdb_bench_trace
#include <trace/define_trace.h>
