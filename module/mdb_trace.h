/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mdb's own trace events (system "mdb"), emitted from the hit path for
 * breakpoints with the `trace` option and by mdb.trace() in Lua: they land
 * in the kernel's trace buffers, beside the kernel's own events, for
 * trace_pipe, perf and trace-cmd. Only module/trace.c includes this.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mdb

#if !defined(_MDB_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MDB_TRACE_H

#include <linux/tracepoint.h>

#define MDB_TRACE_INSN_MAX 16

TRACE_EVENT(mdb_hit,
	TP_PROTO(unsigned int id, int kind, unsigned long ip, unsigned long addr),
	TP_ARGS(id, kind, ip, addr),
	TP_STRUCT__entry(
		__field(unsigned int, id)
		__field(int, kind)
		__field(unsigned long, ip)
		__field(unsigned long, addr)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->kind = kind;
		__entry->ip = ip;
		__entry->addr = addr;
	),
	/* kind: 0 break, 1 watch (addr: the watched address), 2 ret (addr:
	 * the return value), 3 tp */
	TP_printk("bp=%u %s %pS addr=0x%lx", __entry->id,
		  __print_symbolic(__entry->kind, { 0, "break" }, { 1, "watch" },
				   { 2, "ret" }, { 3, "tp" }),
		  (void *)__entry->ip, __entry->addr)
);

TRACE_EVENT(mdb_step,
	TP_PROTO(unsigned int id, unsigned long ip, const u8 *insn, int len),
	TP_ARGS(id, ip, insn, len),
	TP_STRUCT__entry(
		__field(unsigned int, id)
		__field(unsigned long, ip)
		__field(int, len)
		__array(u8, insn, MDB_TRACE_INSN_MAX)
	),
	TP_fast_assign(
		__entry->id = id;
		__entry->ip = ip;
		__entry->len = len > MDB_TRACE_INSN_MAX ? MDB_TRACE_INSN_MAX : len;
		memcpy(__entry->insn, insn, __entry->len);
	),
	TP_printk("bp=%u step %pS len=%d insn=%s", __entry->id, (void *)__entry->ip,
		  __entry->len, __print_hex(__entry->insn, __entry->len))
);

TRACE_EVENT(mdb_print,
	TP_PROTO(unsigned int id, const char *msg, int len),
	TP_ARGS(id, msg, len),
	TP_STRUCT__entry(
		__field(unsigned int, id)
		__dynamic_array(char, msg, len + 1)
	),
	TP_fast_assign(
		__entry->id = id;
		memcpy(__get_dynamic_array(msg), msg, len);
		((char *)__get_dynamic_array(msg))[len] = '\0';
	),
	TP_printk("bp=%u %s", __entry->id, __get_str(msg))
);

#endif /* _MDB_TRACE_H */

/* the kernel's define_trace.h finds this file in module/ (Kbuild's -I) */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mdb_trace
#include <trace/define_trace.h>
