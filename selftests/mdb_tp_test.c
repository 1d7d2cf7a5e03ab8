// SPDX-License-Identifier: GPL-2.0
/*
 * description: tracepoints in (break tp:SUBSYSTEM:NAME) and trace events
 * out (mdb:mdb_hit, mdb:mdb_step, mdb:mdb_print): the tracepoints file;
 * sched_switch's prev/next by name against ctx and against the kernel's
 * own sched_switch events in the same trace buffer, in time order; a path
 * from syscalls:sys_enter_openat by name and the fd from sys_exit_openat;
 * the test module's own tracepoint with exact counts from every context,
 * gone when it unloads, back on enable; refusals; mdb_hit events counted
 * equal to the hits; a disabled or full trace buffer never costs a hit.
 */
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include "mdb_test.h"

#define TT_KO "/lib/mdb/mdb_test_target.ko"
#define TPATH "/tmp/mdb-tp-path"

static const char *tr = "/sys/kernel/tracing";

static const char script[] =
"bad, n = 0, 0\n"
"noargs, why = 0, ''\n"
"function sw(ctx)\n"
"  local ok, prev = pcall(function() return ctx.args.prev end)\n"
"  local nxt\n"
"  n = n + 1\n"
"  if ok then nxt = ctx.args.next\n"
"  else\n"
"    why = prev; noargs = noargs + 1\n"
"    prev = mdb.cast(ctx.arg(2), 'struct task_struct *')\n"
"    nxt = mdb.cast(ctx.arg(3), 'struct task_struct *')\n"
"  end\n"
"  if prev.pid ~= ctx.tid or nxt.pid == prev.pid then bad = bad + 1 end\n"
"  return false\n"
"end\n"
"function swrep() print('SW ' .. n .. ' ' .. bad .. ' ' .. noargs .. ' ' .. why) end\n"
"function op(ctx) mdb.printf('OPEN %s flags=%d', ctx.args.filename:str(), ctx.args.flags) return false end\n"
"function opx(ctx) mdb.printf('OPENED %d', ctx.args.ret) return false end\n"
"function hard(ctx) return ctx.arg(2) == 2 end\n"
"function tr(ctx) mdb.trace('hello %d', ctx.arg(1)) return false end\n";

static int tr_write(const char *file, const char *v)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", tr, file);
	return mdb_write(p, v);
}

/* Empty the trace buffer (an open of trace with O_TRUNC). */
static void tr_clear(void)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/trace", tr);
	fd = open(p, O_WRONLY | O_TRUNC);
	if (fd >= 0)
		close(fd);
}

/* The trace buffer's text into @buf (NUL-terminated); its length, or -1. */
static int tr_read(char *buf, size_t size)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/trace", tr);
	return mdb_read(p, buf, size);
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	while (s && (s = strstr(s, needle))) {
		n++;
		s++;
	}
	return n;
}

static void refused(const char *cmd, const char *want)
{
	int ret = mdb_ctl(cmd);
	const char *e = mdb_last_error();

	ksft_test_result(ret && strstr(e, want), "refused: %.*s: %s\n",
			 (int)strcspn(cmd, "\n"), cmd, want);
	if (!(ret && strstr(e, want)))
		ksft_print_msg("got: %s\n", e);
}

/* open(TPATH) in a child named mdb-tp-open; the fd it got, or -1. */
static int opener(void)
{
	int st, p[2], fd = -1;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (!pid) {
		prctl(PR_SET_NAME, "mdb-tp-open");
		fd = open(TPATH, O_RDONLY | O_CREAT, 0600);
		write(p[1], &fd, sizeof(fd));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &fd, sizeof(fd)) != sizeof(fd))
		fd = -1;
	close(p[0]);
	waitpid(pid, &st, 0);
	return fd;
}

int main(void)
{
	static char buf[1 << 20];
	char *text = NULL, want[160];
	long n = ncpus_online();
	struct mdb_row r;
	int fd, ok, i, named, sys, btf;

	ksft_print_header();
	if (!path_exists(TT_DIR "/run"))
		ksft_exit_skip("mdb_test_target is not loaded\n");
	ksft_set_plan(21);
	if (!path_exists("/sys/kernel/tracing/trace"))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	if (!path_exists("/sys/kernel/tracing/trace"))
		tr = "/sys/kernel/debug/tracing";
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	if (mdb_script_load(script, strlen(script)))
		ksft_print_msg("script: %s\n", mdb_last_error());

	/* the tracepoints file */
	/*
	 * Argument names come from the BTF of __bpf_trace_TEMPLATE; 5.10's BTF
	 * has no records of static functions: no names there (ctx.arg(n)).
	 */
	ok = mdb_read(MDB_DIR "/tracepoints", buf, sizeof(buf)) > 0;
	named = strstr(buf, "\ntp:sched:sched_switch preempt,prev,next") != NULL;
	if (!named)
		ksft_print_msg("this kernel's BTF names no tracepoint arguments\n");
	ksft_test_result(ok && (named || strstr(buf, "\ntp:sched:sched_switch\n")) &&
			 strstr(buf, "\ntp:mdb_tt:mdb_tt_event") && strstr(buf, "[mdb_test_target]") &&
			 strstr(buf, "\ntp:mdb:mdb_hit"),
			 "tracepoints: sched_switch with its argument names, the modules' own\n");
	/* syscall events need CONFIG_FTRACE_SYSCALLS (Debian's kernels, not the debug lane's) */
	sys = ok && strstr(buf, "\ntp:syscalls:") != NULL;
	if (!sys)
		ksft_test_result_skip("no syscalls:* events in this kernel\n");
	else ksft_test_result(ok && strstr(buf, "\ntp:syscalls:sys_enter_openat dfd,filename,flags,mode") &&
			 strstr(buf, "\ntp:syscalls:sys_exit_openat ret"),
			 "tracepoints: syscalls:sys_enter_openat dfd,filename,flags,mode; sys_exit_openat ret\n");

	/* sched_switch: prev is the task switching out, by name */
	btf = mdb_have_btf();
	ok = !mdb_ctl("break tp:sched:sched_switch lua=sw\n");
	ksft_test_result(ok && mdb_bp_row(1, &r) && !strcmp(r.kind, "tp") && !strcmp(r.impl, "tp") &&
			 !strcmp(r.loc, "sched:sched_switch"),
			 "break tp:sched:sched_switch: kind tp, location sched:sched_switch\n");
	for (i = 0; i < 40; i++)
		mdb_sleep_ms(5);
	mdb_ctl("delete all\ncall swrep\n");
	mdb_log_take(&text, NULL);
	{
		long long sn = -1, sb = -1, sna = -1;
		char *p = text ? strstr(text, "SW ") : NULL;

		if (p)
			sscanf(p, "SW %lld %lld %lld", &sn, &sb, &sna);
		if (!btf)
			ksft_test_result_skip("no BTF in this kernel: no task_struct to read\n");
		else ksft_test_result(sn >= 20 && sb == 0 &&
				 (named ? sna == 0 : (sna == sn && strstr(p, "no function '__bpf_trace_sched_switch'"))),
				 "%s.prev.pid == ctx.tid != %s.next.pid on %lld switches (%lld bad)\n",
				 named ? "ctx.args" : "ctx.arg(2)", named ? "ctx.args" : "ctx.arg(3)", sn, sb);
		if (btf && (sn < 20 || sb))
			ksft_print_msg("%s", text ? text : "");
	}
	ok = !mdb_ctl("break tp:sched:sched_switch args limit=2\n");
	mdb_sleep_ms(50);
	mdb_log_take(&text, NULL);
	if (!btf)
		ksft_test_result(!ok && strstr(mdb_last_error(), "no BTF"),
				 "args: refused, says the kernel has no BTF\n");
	else if (named)
		ksft_test_result(ok && text && count(text, " tp sched:sched_switch args: preempt=") == 2 &&
				 strstr(text, " prev=0x") && strstr(text, " next=0x"),
				 "args: 'tp sched:sched_switch args: preempt=... prev=0x... next=0x...'\n");
	else
		ksft_test_result(!ok && strstr(mdb_last_error(), "has no prototype (__bpf_trace_sched_switch"),
				 "args: refused, says the kernel's BTF has no prototype\n");

	/* beside the kernel's own sched_switch events, in the same buffer */
	mdb_ctl("reset\n");
	tr_write("tracing_on", "0");
	tr_clear();
	tr_write("events/sched/sched_switch/enable", "1");
	tr_write("events/mdb/mdb_hit/enable", "1");
	mdb_ctl("break tp:sched:sched_switch count trace\n");
	tr_write("tracing_on", "1");
	for (i = 0; i < 20; i++)
		mdb_sleep_ms(5);
	tr_write("tracing_on", "0");
	mdb_ctl("reset\n");
	tr_write("events/sched/sched_switch/enable", "0");
	tr_read(buf, sizeof(buf));
	{
		/* each mdb_hit right next to a sched_switch of the same CPU */
		int ns = count(buf, ": sched_switch: "), nm = count(buf, ": mdb_hit: bp=1 tp ");
		int adj = 0, bad_order = 0;
		char *line, *save = NULL, prev_kind = 0, prev_cpu[8] = "";
		double prev_ts = 0;

		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char *c = strchr(line, '['), kind;
			char cpu[8] = "";
			double ts = 0;

			if (*line == '#' || !c)
				continue;
			kind = strstr(line, ": mdb_hit: ") ? 'M' : strstr(line, ": sched_switch: ") ? 'S' : 0;
			if (!kind)
				continue;
			snprintf(cpu, sizeof(cpu), "%.5s", c);
			{
				char *t = strchr(c, ']');

				while (t && *t && (*t < '0' || *t > '9'))
					t++;
				/* "[001] d..2.   12.345678:" -> skip the flags field */
				t = t ? strchr(t, ' ') : NULL;
				ts = t ? strtod(t, NULL) : 0;
			}
			if (ts < prev_ts)
				bad_order++;
			prev_ts = ts;
			if (kind == 'M' && prev_kind == 'S' && !strcmp(cpu, prev_cpu))
				adj++;
			prev_kind = kind;
			snprintf(prev_cpu, sizeof(prev_cpu), "%s", cpu);
		}
		ksft_test_result(nm >= 20 && ns >= nm && ns - nm <= 2 * n && adj >= nm - 2 * n &&
				 bad_order == 0,
				 "trace: %d mdb:mdb_hit and %d sched:sched_switch events, %d paired on their CPU, in time order\n",
				 nm, ns, adj);
	}

	/* syscalls: the path by name, the fd from the exit */
	mdb_ctl("reset\n");
	mdb_log_take(&text, NULL);
	unlink(TPATH);
	mdb_ctl("break tp:syscalls:sys_enter_openat comm=mdb-tp-open lua=op\n");
	mdb_ctl("break tp:syscalls:sys_exit_openat comm=mdb-tp-open lua=opx\n");
	fd = opener();
	mdb_log_take(&text, NULL);
	snprintf(want, sizeof(want), "OPENED %d", fd);
	if (!sys || !btf)
		ksft_test_result_skip("no syscalls:* events or no BTF in this kernel\n");
	else ksft_test_result(fd >= 0 && text && count(text, "OPEN " TPATH " flags=") == 1 && strstr(text, want),
			 "sys_enter_openat: ctx.args.filename:str() = " TPATH "; sys_exit_openat: ctx.args.ret = %d\n", fd);
	if (sys && btf && !(text && strstr(text, "OPEN " TPATH)))
		ksft_print_msg("%s", text ? text : "");

	/* the test module's tracepoint: exact counts from every context */
	mdb_ctl("reset\n");
	mdb_ctl("break tp:mdb_tt:mdb_tt_event count\n");
	mdb_ctl("break tp:mdb_tt:mdb_tt_event count if=hard\n");
	tt_run("all 100");
	ksft_test_result(mdb_bp_hits(1) == 100 + 300LL * n && mdb_bp_hits(2) == 100LL * n,
			 "mdb_tt:mdb_tt_event: %lld hits (want %lld), %lld from hardirq (want %lld)\n",
			 mdb_bp_hits(1), 100 + 300LL * n, mdb_bp_hits(2), 100LL * n);
	ok = !syscall(SYS_delete_module, "mdb_test_target", O_NONBLOCK);
	ksft_test_result(ok && mdb_bp_row(1, &r) && !strcmp(r.state, "gone") && mdb_bp_row(2, &r) &&
			 !strcmp(r.state, "gone") && strstr(r.command, "# module mdb_test_target unloaded"),
			 "the module unloads: both go 'gone'\n");
	fd = open(TT_KO, O_RDONLY);
	ok = fd >= 0 && !syscall(SYS_finit_module, fd, "", 0);
	if (fd >= 0)
		close(fd);
	ok = ok && !mdb_ctl("enable all\n");
	tt_run("process 7");
	ksft_test_result(ok && mdb_bp_row(1, &r) && !strcmp(r.state, "armed") && r.hits == 707,
			 "reloaded: enable re-finds it, 7 more hits (%lld of 707)\n", r.hits);

	/* refusals */
	mdb_ctl("reset\n");
	refused("break tp:sched:sched_switch hw\n", "not for a tracepoint");
	refused("break tp:sched:sched_switch step=3\n", "not for a tracepoint");
	refused("break tp:sched:sched_switch ret\n", "not for a tracepoint");
	refused("watch tp:sched:sched_switch\n", "only break takes tp:");
	refused("break tp:sched:no_such_tracepoint\n", "no tracepoint sched:no_such_tracepoint");
	refused("break tp:sched\n", "unknown symbol");
	ksft_test_result(mdb_bp_count() == 0, "refused commands leave the table empty\n");

	/* mdb:mdb_hit events: as many as the hits */
	tr_clear();
	tr_write("events/mdb/enable", "1");
	tr_write("tracing_on", "1");
	mdb_ctl("break mdb_tt_target count trace\n");
	tt_run("process 50");
	mdb_ctl("delete 1\n");
	mdb_ctl("break mdb_tt_target hw step=3 limit=1 trace count\n");
	tt_run("process 1");
	mdb_ctl("break mdb_tt_args lua=tr count\n");
	tt_run("args 4");
	tr_write("tracing_on", "0");
	mdb_ctl("reset\n");
	tr_read(buf, sizeof(buf));
	ksft_test_result(count(buf, ": mdb_hit: bp=1 break mdb_tt_target") == 50 && mdb_log_take(&text, "bp=1 ") == 0,
			 "trace count: 50 mdb:mdb_hit events for 50 hits, no log lines\n");
	ksft_test_result(count(buf, ": mdb_step: bp=2 step mdb_tt_target") == 3,
			 "mdb:mdb_step: one event per single-step (3)\n");
	ksft_test_result(count(buf, ": mdb_print: bp=3 hello 42") == 4,
			 "mdb.trace(): 4 mdb:mdb_print events 'hello 42'\n");

	/* tracing off, or a tiny buffer: every hit still counts */
	tr_clear();
	tr_write("buffer_size_kb", "4");
	tr_write("tracing_on", "1");
	mdb_ctl("break mdb_tt_target count trace\n");
	tt_run("process 20000");
	tr_write("tracing_on", "0");
	tt_run("process 1000");
	ksft_test_result(mdb_bp_row(1, &r) && r.hits == 21000 && r.missed == 0,
			 "a full, then a stopped trace buffer: %lld hits of 21000, %lld missed\n",
			 r.hits, r.missed);
	mdb_ctl("reset\n");
	tr_write("events/mdb/enable", "0");
	tr_write("buffer_size_kb", "1408");
	tr_clear();
	tr_write("tracing_on", "1");
	free(text);
	ksft_finished();
}
